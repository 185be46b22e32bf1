"""Full-text search: Pagefind indexes the built site, one index per language (engine-neutral).

Pagefind reads each page's `<html lang>` and stems words in that language, so a Finnish search
for "kirjastoissa" finds "Kirjasto" and a Swedish one for "biblioteken" finds "Bibliotek". Only
`<main data-pagefind-body>` is read: base.html marks it on the pages worth finding (not on the
kinds in content/metadata.py NOT_LISTED, which the sitemap leaves out too). The browser side is
themes/kunta/assets/search.js, on the search page only.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterable
from pathlib import Path

from .content.metadata import NOT_LISTED

OUTPUT_DIR = "pagefind"
"""Where the index goes, at the site root; search.js imports OUTPUT_DIR/pagefind.js from there."""
UNUSED_FILES = (
    "pagefind-ui.js",
    "pagefind-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-component-ui.js",
    "pagefind-component-ui.css",
    "pagefind-highlight.js",
    "pagefind-worker.js",
)
"""Pagefind's ready-made interfaces (their markup falls short of our accessibility bar) and its web
worker (search.js searches on the page's own thread, so the site needs no worker-src): never loaded,
so not published."""
INSTALL = "pip install 'pagefind[bin]>=1.5,<2'"
TIMEOUT_S = 300


class SearchIndexError(Exception):
    """Pagefind could not be found or could not index the site."""


def is_indexed(kind: str) -> bool:
    """Whether pages of this kind are found by the search (base.html marks their <main>)."""
    return kind not in NOT_LISTED


def pagefind_binary() -> Path:
    """The Pagefind executable shipped in the pagefind-bin wheel (never downloaded at build time)."""
    try:
        from pagefind.service import get_executable

        binary = get_executable()
    except (ImportError, FileNotFoundError) as error:
        raise SearchIndexError(
            f"Pagefind, which builds the site's search, is not installed ({error}); {INSTALL}"
        ) from None
    if binary is None or not binary.is_file():
        raise SearchIndexError(
            "Pagefind, which builds the site's search, is installed without its program "
            f"(the pagefind-bin package is missing); {INSTALL}"
        )
    return binary


def index_site(site_dir: Path, languages: Iterable[str], binary: Path | None = None) -> dict[str, int]:
    """Index ``site_dir`` into ``site_dir/pagefind/``; returns pages indexed per language.

    Pagefind's progress lines are kept out of the build's output; its warnings and errors are
    raised with the command that gave them. Every language of the site must get an index."""
    command = [str(binary or pagefind_binary()), "--site", str(site_dir), "--output-subdir", OUTPUT_DIR, "--quiet"]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_S, check=False)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise SearchIndexError(f"Pagefind could not index {site_dir}: {error}") from None
    said = "\n".join(line for line in (result.stdout + result.stderr).splitlines() if line.strip())
    if result.returncode != 0 or said:
        problem = f"exited with status {result.returncode}" if result.returncode else "warned"
        raise SearchIndexError(
            f"Pagefind {problem} while indexing {site_dir} ({' '.join(command)}):\n{said or '(no output)'}"
        )
    _sort_entry(site_dir)
    counts = indexed_languages(site_dir)
    missing = [lang for lang in languages if not counts.get(lang)]
    if missing:
        raise SearchIndexError(
            f"the search index of {site_dir} has no pages in {', '.join(missing)} (it has {counts or 'none'}): "
            "the pages of every language need <html lang> and <main data-pagefind-body> (themes/kunta/base.html)"
        )
    for name in UNUSED_FILES:
        (site_dir / OUTPUT_DIR / name).unlink(missing_ok=True)
    return counts


def _sort_entry(site_dir: Path) -> None:
    """Pagefind lists the languages in pagefind-entry.json in a different order on each run; sorted,
    the same site gives the same files (reproducible builds, and no needless upload)."""
    entry = site_dir / OUTPUT_DIR / "pagefind-entry.json"
    try:
        data = json.loads(entry.read_text("utf-8"))
        data["languages"] = dict(sorted(data["languages"].items()))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return  # indexed_languages says what is wrong with it
    entry.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), "utf-8")


def indexed_languages(site_dir: Path) -> dict[str, int]:
    """Pages per language in a built index, from Pagefind's pagefind-entry.json."""
    entry = site_dir / OUTPUT_DIR / "pagefind-entry.json"
    try:
        languages = json.loads(entry.read_text("utf-8"))["languages"]
        return {lang: int(info["page_count"]) for lang, info in languages.items()}
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise SearchIndexError(f"Pagefind wrote no readable {entry} ({error})") from None
