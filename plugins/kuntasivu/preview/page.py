"""The preview's error page: every error with its file, line, column, message and lines.

One self-contained HTML document (its style inline: a failed build has made no style sheet),
grouped by file so that an officer fixes one file at a time. Every text from content, file
paths and messages included, is escaped: a body may well hold `<script>`. The offending line is
marked with a visible ▶, <mark> and a hidden "line with the error" for screen readers, so the
marking does not rely on colour; long lines wrap, so the page reads at 400% zoom without
scrolling sideways.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape
from itertools import groupby
from pathlib import Path

from ..content.errors import ContentError

CONTEXT = 2
"""Lines shown before and after the offending one."""

STYLE = """
body{margin:0;padding:1rem;font-family:system-ui,sans-serif;line-height:1.5;color:#1a1a1a;background:#fff}
main{max-width:60rem;margin:0 auto}
h1{color:#a00000}
h1,h2,h3,p,code,pre{overflow-wrap:anywhere}
h2{margin-top:2rem;border-top:2px solid #767676;padding-top:1rem}
pre{white-space:pre-wrap;background:#f3f3f3;border:1px solid #767676;padding:.5rem;tab-size:4}
figure{margin:0}
figcaption{font-weight:bold}
.ln{color:#4a4a4a}
mark{background:#fff0a0;color:#1a1a1a;font-weight:bold}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
"""


@dataclass(frozen=True)
class Line:
    """One line of a file as shown on the page."""

    number: int
    text: str
    marked: bool


def excerpt(text: str, line: int, context: int = CONTEXT) -> list[Line]:
    """The lines around ``line`` (1-based), clamped to the file; a line past the end (YAML
    reports an unfinished file there) shows the file's last lines, none of them marked."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if len(lines) > 1 and lines[-1] == "" and line < len(lines):
        lines.pop()  # the newline that ends the file does not start a line of its own
    first, last = max(1, line - context), min(len(lines), line + context)
    if first > last:
        first, last = max(1, len(lines) - context), len(lines)
    return [Line(number, lines[number - 1], number == line) for number in range(first, last + 1)]


def read_source(path: Path) -> str | None:
    """The file's text, or None when it no longer exists (or cannot be read)."""
    try:
        return path.read_bytes().decode("utf-8", errors="replace")
    except OSError:
        return None


def shown_path(path: Path, root: Path) -> str:
    """The path relative to the project, as the officer knows it; absolute when outside."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


def error_page(
    errors: Sequence[ContentError],
    messages: Sequence[str],
    root: Path,
    lang: str,
    texts: Mapping[str, str],
    site: str,
) -> str:
    """The whole page. ``errors`` have a file and line; ``messages`` are failures without one."""
    count = len(errors) + len(messages)
    if not errors:
        heading = texts["heading_failed"]
    else:
        heading = texts["heading_one"] if count == 1 else texts["heading_many"].format(count=count)
    # The loader's messages are in English; the page says so when it is in another language.
    message_lang = "" if lang == "en" else ' lang="en"'
    parts = [
        "<!doctype html>",
        f'<html lang="{escape(lang)}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(texts['title'].format(site=site))}</title>",
        f"<style>{STYLE}</style>",
        "</head>",
        "<body>",
        "<main>",
        f"<h1>{escape(heading)}</h1>",
        f"<p>{escape(texts['intro'])}</p>",
        f"<p>{escape(texts['unpublished'])}</p>",
    ]
    ordered = sorted(errors, key=lambda e: (str(e.path), e.line, e.column))
    for path, in_file in groupby(ordered, key=lambda e: e.path):
        parts.append(f"<h2><code>{escape(shown_path(path, root))}</code></h2>")
        source = read_source(path)
        if source is None:
            parts.append(f"<p>{escape(texts['missing_file'])}</p>")
        for error in in_file:
            parts.extend(_error(error, source, texts, message_lang))
    if messages:
        parts.append(f"<h2>{escape(texts['message'])}</h2>")
        parts.extend(f"<pre{message_lang}>{escape(message)}</pre>" for message in messages)
    parts += [f"<p>{escape(texts['terminal'])}</p>", "</main>", "</body>", "</html>", ""]
    return "\n".join(parts)


def _error(error: ContentError, source: str | None, texts: Mapping[str, str], message_lang: str) -> list[str]:
    parts = [
        f"<h3>{escape(texts['location'].format(line=error.line, column=error.column))}</h3>",
        f"<p{message_lang}>{escape(error.message)}</p>",
    ]
    if error.field:
        before, _, after = texts["field"].partition("{field}")
        parts.append(f"<p>{escape(before)}<code>{escape(error.field)}</code>{escape(after)}</p>")
    if source is not None:
        lines = excerpt(source, error.line)
        caption = texts["lines"].format(first=lines[0].number, last=lines[-1].number)
        parts.append(f"<figure><figcaption>{escape(caption)}</figcaption><pre>{_lines(lines, texts)}</pre></figure>")
    return parts


def _lines(lines: list[Line], texts: Mapping[str, str]) -> str:
    width = len(str(lines[-1].number))
    shown = []
    for line in lines:
        number = f"{line.number:>{width}}"
        if line.marked:
            hidden = f'<span class="visually-hidden"> ({escape(texts["marker"])})</span>'
            shown.append(f'<mark><span class="ln">▶ {number}</span>  {escape(line.text)}{hidden}</mark>')
        else:
            shown.append(f'<span class="ln">  {number}</span>  {escape(line.text)}')
    return "\n".join(shown)
