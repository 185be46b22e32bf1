"""Results per page and engine, keyed by everything that can change them.

The key of a page is a hash of its HTML, of the style sheets and scripts it loads (contrast
and focus styles live there), of the engine and its version and of the checker settings.
Site policy is applied after the cache, so it is not part of the key: changing a rule's
severity or a known issue never needs a page to be checked again.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path
from typing import Any

from .findings import Finding

_ASSET = re.compile(
    r"""<(?:link[^>]*\brel=["']?stylesheet\b[^>]*\bhref|script[^>]+src)=["']([^"'#?]+)""", re.IGNORECASE
)
"""Style sheets and scripts only: other links (the news feed every page names, with its build
time) would change every page's key on every build."""
CACHE_FORMAT = 1


class PageHasher:
    """Fingerprints of built pages; each asset file is read and hashed once per run."""

    def __init__(self, site_dir: Path) -> None:
        self.site_dir = site_dir
        self._assets: dict[Path, str] = {}

    def _asset(self, path: Path) -> str:
        if path not in self._assets:
            try:
                self._assets[path] = hashlib.sha256(path.read_bytes()).hexdigest()
            except OSError:
                self._assets[path] = "missing"
        return self._assets[path]

    def fingerprint(self, file: Path) -> str:
        html = file.read_bytes()
        digest = hashlib.sha256(html)
        for reference in _ASSET.findall(html.decode("utf-8", "replace")):
            if re.match(r"^[a-z]+:|^//", reference):
                continue
            target = (file.parent / reference).resolve()
            if target.is_relative_to(self.site_dir.resolve()):
                digest.update(reference.encode() + self._asset(target).encode())
        return digest.hexdigest()


class ResultCache:
    """A JSON file per site: '<engine>:<key>' → the engine's findings for that page."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._old: dict[str, list[dict[str, Any]]] = {}
        self._new: dict[str, list[dict[str, Any]]] = {}
        if path is not None and path.is_file():
            try:
                data = json.loads(path.read_text("utf-8"))
                if data.get("format") == CACHE_FORMAT:
                    self._old = data["entries"]
            except (OSError, ValueError, KeyError, TypeError):
                self._old = {}  # a damaged cache only costs a full check

    @staticmethod
    def key(engine: str, version: str, settings: str, fingerprint: str) -> str:
        return f"{engine}:" + hashlib.sha256(f"{version}\0{settings}\0{fingerprint}".encode()).hexdigest()

    def get(self, key: str) -> list[Finding] | None:
        entry = self._old.get(key, self._new.get(key))
        if entry is None:
            return None
        self._new[key] = entry
        return [Finding.from_json(item) for item in entry]

    def put(self, key: str, findings: list[Finding]) -> None:
        self._new[key] = [f.to_json() for f in findings]

    def save(self, *, prune: bool = True) -> None:
        """Keep only this run's entries, so the file does not grow with every edit; a run that
        left pages out on purpose (``prune=False``) keeps the others' entries too."""
        if self.path is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        entries = self._new if prune else {**self._old, **self._new}
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps({"format": CACHE_FORMAT, "entries": entries}), encoding="utf-8")
        os.replace(tmp, self.path)
