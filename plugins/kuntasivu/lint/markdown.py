"""Just enough Markdown for the checks: headings, links, images and paragraphs, outside code.

A full parser would lose the character offsets the messages need; the content's Markdown is simple
(Python-Markdown without HTML), so a line-based reading is exact enough for it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..content.markdown_lines import Line, lines

_ATX = re.compile(r"^(#{1,6})[ \t]*")
"""As Python-Markdown (what the build renders with) reads them: '#Otsikko' without a space is a
heading too, '  ## Kaksi' after spaces is not, and '#######' is a level-6 one."""
_RULE = re.compile(r"^ {0,3}((\* *){3,}|(- *){3,}|(_ *){3,})$")
"""A horizontal rule; like a heading, it ends the block above it."""
_INDENTED_CODE = re.compile(r"^( {4}|\t)")
_UNDERLINE = re.compile(r"^([=-])[=-]*[ \t]*$")
"""A setext heading's underline as Python-Markdown reads it: from the line's start, under the first
line of a block only ('Rivi yksi\\nRivi kaksi\\n===' is a paragraph, not a heading)."""
_LIST_ITEM = re.compile(r"^ {0,3}([-*+]|[0-9]+[.)])[ \t]+")
_TABLE = re.compile(r"^ {0,3}\|")
_QUOTE = re.compile(r"^ {0,3}>")
LINK = re.compile(r"(?<!!)\[(?P<text>[^\]]*)\]\((?P<target>[^)\s]*)(?:\s+\"[^\"]*\")?\)")
IMAGE = re.compile(r"!\[(?P<alt>[^\]]*)\]\((?P<src>[^)\s]*)(?:\s+\"[^\"]*\")?\)")
AUTOLINK = re.compile(r"<(?P<target>https?://[^>\s]+)>")
_INLINE_MARKUP = re.compile(r"[*_`]+|\\(?=[^\s])")
"""Emphasis, code and backslash escapes: '**Lue lisää**' reads 'Lue lisää' on the page."""

__all__ = ["AUTOLINK", "IMAGE", "LINK", "Block", "Heading", "Line", "headings", "inline_text", "lines", "prose_blocks"]


def inline_text(markdown: str) -> str:
    """What a short piece of Markdown (a link text) reads as on the page, without its markup."""
    return _INLINE_MARKUP.sub("", markdown)


@dataclass(frozen=True)
class Heading:
    level: int
    offset: int
    text: str


def headings(markdown: str) -> list[Heading]:
    """ATX (``## Title``) and setext (``Title`` underlined with ``===`` or ``---``) headings."""
    return [heading for heading, _ in _headings(markdown)]


def _headings(markdown: str) -> list[tuple[Heading, Line | None]]:
    """Each heading with its setext underline line (None for an ATX heading). Python-Markdown reads
    blocks: blank lines, headings, horizontal rules and indented code each end one, and only the
    first line of a block can be underlined into a heading."""
    found: list[tuple[Heading, Line | None]] = []
    previous: Line | None = None  # the line before, when it was the first line of its block
    block_start = True  # the next non-blank line begins a block
    for line in lines(markdown):
        atx = _ATX.match(line.text)
        underline = _UNDERLINE.match(line.text)
        if atx:
            found.append((Heading(len(atx.group(1)), line.offset, line.text[atx.end() :].strip(" #")), None))
            previous, block_start = None, True
            continue
        if underline and previous is not None and _is_paragraph_line(previous.text):
            level = 1 if underline.group(1) == "=" else 2
            found.append((Heading(level, previous.offset, previous.text.strip()), line))
            previous, block_start = None, True
            continue
        if _RULE.match(line.text) or (block_start and _INDENTED_CODE.match(line.text)):
            previous, block_start = None, True
            continue
        blank = not line.text.strip()
        previous = line if block_start and not blank else None
        block_start = blank
    return found


def _is_paragraph_line(text: str) -> bool:
    return bool(text.strip()) and not (_LIST_ITEM.match(text) or _TABLE.match(text) or _QUOTE.match(text))


@dataclass(frozen=True)
class Block:
    """A paragraph or one list item: prose whose length matters to a reader."""

    offset: int
    text: str


def prose_blocks(markdown: str) -> list[Block]:
    """Paragraphs and list items (each on its own), leaving out headings, tables and code."""
    blocks: list[Block] = []
    current: list[Line] = []

    def close() -> None:
        if current:
            blocks.append(Block(current[0].offset, " ".join(line.text.strip() for line in current)))
            current.clear()

    # Headings, and the underlines that make them, are left out as the headings reading finds them.
    not_prose = {line.offset for heading, underline in _headings(markdown) for line in (heading, underline) if line}
    for line in lines(markdown):
        text = line.text
        if not text.strip() or line.offset in not_prose or _TABLE.match(text) or _RULE.match(text):
            close()
            continue
        if _LIST_ITEM.match(text) or _QUOTE.match(text):
            close()
            current.append(Line(line.offset, _LIST_ITEM.sub("", _QUOTE.sub("", text))))
            continue
        current.append(line)
    close()
    return blocks
