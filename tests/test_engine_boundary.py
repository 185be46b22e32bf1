"""Only the MkDocs adapter imports MkDocs: the content core must stay engine-free (DESIGN.md §3)."""

from __future__ import annotations

import ast

from tests.conftest import ROOT

PACKAGE = ROOT / "plugins" / "kuntasivu"
ENGINE_MODULES = ("mkdocs", "material")


def imported_modules(path):
    tree = ast.parse(path.read_text("utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module


def test_only_the_adapter_imports_mkdocs() -> None:
    importers = sorted(
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if any(name.split(".")[0] in ENGINE_MODULES for name in imported_modules(path))
    )
    assert importers == ["mkdocs_plugin.py"]


def test_content_core_imports_nothing_outside_itself_but_libraries() -> None:
    for path in (PACKAGE / "content").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level > 1:
                raise AssertionError(f"{path.name} imports from outside kuntasivu.content: {node.module}")
