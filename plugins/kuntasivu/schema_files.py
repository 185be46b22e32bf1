"""Which schema each content YAML file follows, and the first line that tells editors so.

The first line ``# yaml-language-server: $schema=../../schemas/page.schema.json`` makes VS Code
(and any editor using redhat's YAML language server) complete and check the file without any
settings. `kuntasivu schema` puts a missing line back and `kuntasivu schema --check` (and CI)
says where it is missing. Decap CMS rewrites a file without its comments when it saves it, except
a field's ``comment``; editor/decap.py gives the first field the line.

The globs are matched like the YAML language server matches ``yaml.schemas`` globs in
.vscode/settings.json: ``*`` may also stand for several folders (pages/ may have subfolders,
as the loader reads them recursively), and a glob is matched against the whole path relative
to the project folder.
"""

from __future__ import annotations

import fnmatch
import os
from dataclasses import dataclass
from pathlib import Path

SCHEMA_DIR = "schemas"
"""Folder of the schema files, relative to the project folder."""

SCHEMA_FILES: dict[str, tuple[str, ...]] = {
    "site": ("municipalities/*/site.yml",),
    "page": ("municipalities/*/pages/*.yml", "site_src/pages/*.yml"),
    "news": ("municipalities/*/news/*.yml",),
    "event": ("municipalities/*/events/*.yml",),
    "form": ("municipalities/*/forms/*.yml", "site_src/forms/*.yml"),
    "texts": ("municipalities/*/texts/*.yml", "site_src/texts/*.yml"),
    "accessibility": ("site_src/data/accessibility.yml",),
}
"""Schema name (schemas/<name>.schema.json) → globs of the YAML files it is for, relative to the
project folder. .vscode/settings.json maps the same globs (a test keeps the two equal)."""

CONTENT_FOLDERS = ("municipalities", "site_src")
"""Folders whose YAML files all follow one of the schemas."""

HEADER_PREFIX = "# yaml-language-server: $schema="


def schema_file(root: Path, name: str) -> Path:
    return root / SCHEMA_DIR / f"{name}.schema.json"


def glob_matches(pattern: str, relative: str) -> bool:
    """Whether ``relative`` (a /-separated path from the project folder) matches ``pattern``."""
    return fnmatch.fnmatchcase(relative, pattern)


def schema_name(path: Path, root: Path) -> str | None:
    """The schema ``path`` follows, or None when it is no content file. The more specific glob
    wins: a page named site.yml in pages/ is still a page."""
    relative = path.resolve().relative_to(root.resolve()).as_posix()
    found = [
        (len(pattern), name) for name, patterns in SCHEMA_FILES.items() for pattern in patterns
        if glob_matches(pattern, relative)
    ]  # fmt: skip
    return max(found)[1] if found else None


def schema_line(path: Path, root: Path) -> str:
    """The first line ``path`` needs, with the schema's path relative to the file's folder.
    Raises ValueError for a file that no schema is for."""
    name = schema_name(path, root)
    if name is None:
        raise ValueError(f"{path} is not a content file any schema is for")
    target = os.path.relpath(schema_file(root, name), path.resolve().parent)
    return HEADER_PREFIX + Path(target).as_posix()


def content_yaml_files(root: Path) -> list[Path]:
    """Every YAML file in municipalities/ and site_src/, sorted."""
    files: list[Path] = []
    for folder in CONTENT_FOLDERS:
        if (root / folder).is_dir():
            files.extend(p for p in (root / folder).rglob("*") if p.suffix in (".yml", ".yaml") and p.is_file())
    return sorted(files)


@dataclass(frozen=True)
class HeaderProblem:
    """A content file whose first line is not the schema line it needs."""

    path: Path
    expected: str
    found: str | None
    """The first line as it is, when it is a yaml-language-server line (a wrong path); else None."""

    def message(self, root: Path) -> str:
        where = f"{self.path.relative_to(root).as_posix()}:1"
        if self.found is not None:
            return f"{where}: the schema line points to the wrong schema; replace it with: {self.expected}"
        return f"{where}: the first line must be the schema line for editors; add this line at the top: {self.expected}"


def _first_line(text: str) -> str:
    return text.lstrip("\ufeff").split("\n", 1)[0].rstrip("\r")


def header_problems(root: Path) -> list[HeaderProblem]:
    """Content files without the right first line. A YAML file no glob covers is left alone
    here; tests/test_schema.py keeps every file in municipalities/ and site_src/ covered."""
    problems: list[HeaderProblem] = []
    for path in content_yaml_files(root):
        try:
            expected = schema_line(path, root)
        except ValueError:
            continue  # not content: the schema globs say which files are
        first = _first_line(path.read_text(encoding="utf-8"))
        if first != expected:
            problems.append(HeaderProblem(path, expected, first if first.startswith(HEADER_PREFIX) else None))
    return problems


def add_header(path: Path, line: str) -> None:
    """Put ``line`` first in the file: replace a wrong schema line, else insert it. The rest of
    the file is kept byte for byte (line endings too)."""
    data = path.read_bytes()
    newline = b"\r\n" if b"\r\n" in data.split(b"\n", 1)[0] + b"\n" else b"\n"
    bom = b"\xef\xbb\xbf" if data.startswith(b"\xef\xbb\xbf") else b""
    body = data[len(bom) :]
    first, sep, rest = body.partition(b"\n")
    if first.rstrip(b"\r").decode("utf-8", "replace").startswith(HEADER_PREFIX):
        body = rest if sep else b""
    path.write_bytes(bom + line.encode("utf-8") + newline + body)


def fix_headers(root: Path) -> list[Path]:
    """Add or correct the schema line of every content file that needs it; the files changed."""
    changed = []
    for problem in header_problems(root):
        add_header(problem.path, problem.expected)
        changed.append(problem.path)
    return changed
