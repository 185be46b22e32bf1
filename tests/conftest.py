"""Shared test helpers: the repository's folders and tiny fixture municipalities."""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from kuntasivu.checks.pa11y import PAGES_PER_CORE

if TYPE_CHECKING:
    from playwright.sync_api import Browser

    from tests.inbox.test_mail import Collect

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
SHARED = ROOT / "site_src"


@pytest.fixture
def make_municipality(tmp_path: Path):
    """Copy a fixture municipality into a temporary folder, with optional overlay folders on top."""

    def make(base: str, *overlays: Path) -> Path:
        target = tmp_path / "municipalities" / base
        shutil.copytree(FIXTURES / "municipalities" / base, target)
        for overlay in overlays:
            shutil.copytree(overlay, target, dirs_exist_ok=True)
        return target

    return make


def make_project(root: Path, municipalities: tuple[str, ...] = ("pieni", "kaksikielinen")) -> Path:
    """A project folder with the real theme, shared library and npm tools, and fixture municipalities."""
    root.mkdir(parents=True, exist_ok=True)
    for name in ("mkdocs.yml", "site_src", "themes"):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, root / name)
        else:
            shutil.copy(source, root / name)
    for name in municipalities:
        shutil.copytree(FIXTURES / "municipalities" / name, root / "municipalities" / name)
    (root / "node_modules").symlink_to(ROOT / "node_modules")
    return root


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "project")


@pytest.fixture(scope="module")
def ports() -> tuple[int, int]:
    """A local site's port and its receiving service's (the end-to-end tests)."""
    from tests.inbox.conftest import free_port

    return free_port(), free_port()


@pytest.fixture(scope="module")
def mailbox() -> Iterator[Collect]:
    """An SMTP server on 127.0.0.1 that keeps what it gets; its port is ``mailbox.port``."""
    from tests.inbox.conftest import free_port
    from tests.inbox.test_mail import smtp_server

    port = free_port()
    controller, handler = smtp_server(port)
    handler.port = port  # type: ignore[attr-defined]
    yield handler
    controller.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's Chromium (never a downloaded one), one per test module."""
    from playwright.sync_api import sync_playwright

    from tests.theme.test_browser import CHROMIUM, CHROMIUM_ARGS

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


SAMPLES = ["jamijarvi", "kankaanpaa", "karvia", "lohja", "pomarkku", "siikainen"]


@pytest.fixture(scope="session")
def sample_sites(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """All six sample sites (``SAMPLES``) built and validated by the whole gate, cold (own cache and
    reports). Built once per test run: under `make test` (pytest-xdist) each worker that needs them
    takes the sites one by one, each under its own lock, from opposite ends of the list, so both
    workers build (about half the time each) instead of one building while the other waits. A
    site already built, or failed, is read from what its builder left."""
    base = tmp_path_factory.getbasetemp()
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker:
        base = base.parent  # shared by the workers of this run
    work = base / "samples"
    out, reports = work / "public", work / "reports"
    odd_worker = worker is not None and int(worker.removeprefix("gw") or 0) % 2 == 1
    failed: list[str] = []
    for slug in reversed(SAMPLES) if odd_worker else SAMPLES:
        outcome = base / f"samples-{slug}.json"
        with (base / f"samples-{slug}.lock").open("w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if not outcome.exists():
                command = ["build", slug, "--today", "2026-11-26", "--out", str(out), "--reports", str(reports)]
                if worker:
                    # Two builds at once: half the pages each in Chromium, as many as one build alone.
                    command += ["--concurrency", str(max(1, PAGES_PER_CORE * (os.cpu_count() or 1) // 2))]
                result = subprocess.run(
                    [sys.executable, "-m", "kuntasivu.cli", *command, "--cache-dir", str(work / "cache" / slug)],
                    cwd=ROOT,
                    capture_output=True,
                    text=True,
                    timeout=1800,
                )
                outcome.write_text(json.dumps({"returncode": result.returncode, "stderr": result.stderr}), "utf-8")
        built = json.loads(outcome.read_text("utf-8"))
        if built["returncode"] != 0:
            failed.append(f"{slug}:\n{built['stderr']}")
    assert not failed, "\n\n".join(failed)
    return out, reports


@pytest.fixture(scope="session")
def sample_public(sample_sites: tuple[Path, Path]) -> Path:
    """The public/ folder of sample_sites."""
    return sample_sites[0]
