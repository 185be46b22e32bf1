"""Karvia built with its addresses on 127.0.0.1: the site of the end-to-end tests of forms and
of feedback (test_forms_e2e.py, test_feedback_e2e.py; their ``ports`` and ``mailbox`` fixtures
are in conftest.py)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import make_project

ROOT = Path(__file__).resolve().parent.parent
SITE = "karvia"


def build_karvia(project: Path, site_port: int, inbox_port: int, extra: str = "", *options: str) -> Path:
    """Karvia with its site and inbox addresses on 127.0.0.1 (and ``extra`` put into its
    feedback: section), built with the own checks and ``options``; returns the built site."""
    if not (project / "municipalities" / SITE).exists():
        make_project(project, municipalities=())
        shutil.copytree(ROOT / "municipalities" / SITE, project / "municipalities" / SITE)
    site_yml = project / "municipalities" / SITE / "site.yml"
    text = site_yml.read_text("utf-8")
    text, urls = re.subn(r"(?m)^site_url: .*$", f"site_url: http://127.0.0.1:{site_port}/", text)
    text, inboxes = re.subn(r"(?m)^inbox_url: .*$", f"inbox_url: http://127.0.0.1:{inbox_port}/", text)
    assert urls == inboxes == 1, "karvia's site.yml should set site_url and inbox_url once each"
    if extra:
        text = text.replace("\nfeedback:\n", f"\nfeedback:\n{extra}", 1)
    site_yml.write_text(text, "utf-8")
    command = [sys.executable, "-m", "kuntasivu.cli", "build", SITE, "--checks", "static", "--today", "2026-11-26"]
    result = subprocess.run([*command, *options], cwd=project, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    return project / "public" / SITE
