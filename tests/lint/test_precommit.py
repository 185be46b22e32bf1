"""The pre-commit hooks: a valid configuration whose every command exists here, so that
`.venv/bin/pre-commit install` gives working hooks without downloading anything."""

from __future__ import annotations

import re
import shlex
import subprocess

import pytest
import yaml
from kuntasivu.cli import parser

from tests.conftest import ROOT

CONFIG = ROOT / ".pre-commit-config.yaml"


def hooks() -> list[dict[str, object]]:
    config = yaml.safe_load(CONFIG.read_text(encoding="utf-8"))
    return [hook for repo in config["repos"] for hook in repo["hooks"]]


def test_configuration_is_valid() -> None:
    result = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "pre-commit"), "validate-config", str(CONFIG)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_expected_hooks_run_local_tools() -> None:
    assert [hook["id"] for hook in hooks()] == [
        "kuntasivu-lint",
        "kuntasivu-schema",
        "ruff-check",
        "ruff-format",
        "mypy",
    ]
    assert all(hook["language"] == "system" for hook in hooks())


@pytest.mark.parametrize("hook", hooks(), ids=lambda hook: str(hook["id"]))
def test_each_entry_command_exists(hook: dict[str, object]) -> None:
    command = shlex.split(str(hook["entry"]))
    executable = ROOT / command[0]
    assert command[0].startswith(".venv/bin/") and executable.is_file(), f"{command[0]} is not installed"
    if executable.name == "kuntasivu":
        parser().parse_args(command[1:])  # the subcommand and its options exist (exits 2 if not)
    else:
        result = subprocess.run([str(executable), *command[1:], "--help"], capture_output=True, text=True)
        assert result.returncode == 0, result.stderr


def test_content_hooks_watch_the_content_folders() -> None:
    by_id = {hook["id"]: hook for hook in hooks()}
    pattern = re.compile(str(by_id["kuntasivu-lint"]["files"]))
    assert pattern.search("municipalities/karvia/pages/kirjasto.yml")
    assert pattern.search("site_src/pages/digituki.yml")
    assert pattern.search("municipalities/karvia/assets/kirjastoauto.jpg"), "an image lint measures"
    assert pattern.search("site_src/assets/digituki.png")
    assert not pattern.search("plugins/kuntasivu/cli.py")
    assert not pattern.search("municipalities/karvia/README.md")
    schema = re.compile(str(by_id["kuntasivu-schema"]["files"]))
    # Everything the schemas are made from (the schema test names the same sources).
    for source in (
        "plugins/kuntasivu/content/model.py",
        "plugins/kuntasivu/schema.py",
        "plugins/kuntasivu/schema_files.py",
        "plugins/kuntasivu/schema_fi.yml",
        "plugins/kuntasivu/statement/data.py",
        "schemas/page.schema.json",
        "site_src/texts/fi.yml",
    ):
        assert schema.search(source), source
    assert schema.search("municipalities/karvia/site.yml")
