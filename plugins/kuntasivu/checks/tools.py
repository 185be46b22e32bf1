"""Where the external checkers are, and exactly what to do when one is missing.

The gate never passes a site it could not check: a missing tool is an error that says
what to install.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path


class ToolMissing(Exception):
    """Raised when a checker the gate needs is not installed; the message says how to install it."""


CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
"""Flags Debian's Chromium needs here: as root, headless, and without calls home."""


@dataclass(frozen=True)
class Tools:
    root: Path
    """The project folder; node_modules/ is in it."""
    chromium: str | None
    java: str | None
    node: str | None

    @classmethod
    def find(cls, root: Path) -> Tools:
        """Tools from PATH, overridable with KUNTASIVU_CHROMIUM, KUNTASIVU_JAVA and KUNTASIVU_NODE."""

        def locate(variable: str, *names: str) -> str | None:
            if variable in os.environ:
                value = os.environ[variable]
                return value if value and Path(value).is_file() and os.access(value, os.X_OK) else None
            return next((found for name in names if (found := shutil.which(name))), None)

        return cls(
            root=root,
            chromium=locate("KUNTASIVU_CHROMIUM", "chromium", "chromium-browser"),
            java=locate("KUNTASIVU_JAVA", "java"),
            node=locate("KUNTASIVU_NODE", "node"),
        )

    @property
    def node_modules(self) -> Path:
        return self.root / "node_modules"

    def require_java(self) -> str:
        if self.java is None:
            raise ToolMissing(
                "Java is missing, and the Nu Html Checker needs it: install it with "
                "'apt-get install -y default-jre-headless' (make site does this when run as root)"
            )
        return self.java

    def require_chromium(self) -> str:
        if self.chromium is None:
            raise ToolMissing(
                "Chromium is missing, and pa11y-ci needs it: install Debian's with "
                "'apt-get install -y chromium' (make site does this when run as root)"
            )
        return self.chromium

    def require_node(self) -> str:
        if self.node is None:
            raise ToolMissing("Node.js is missing, and pa11y-ci needs it: install it with 'apt-get install -y nodejs'")
        return self.node

    def require_package(self, name: str, path: str) -> Path:
        found = self.node_modules / path
        if not found.exists():
            raise ToolMissing(
                f"the npm package {name} is missing ({found}): run "
                "'PUPPETEER_SKIP_DOWNLOAD=1 npm ci' in the project folder (make site does this)"
            )
        return found

    def package_version(self, name: str) -> str:
        try:
            data = json.loads((self.node_modules / name / "package.json").read_text("utf-8"))
        except (OSError, ValueError):
            return "unknown"
        return str(data.get("version", "unknown"))
