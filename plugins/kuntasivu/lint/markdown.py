"""Just enough Markdown for the checks: headings, links, images and paragraphs, outside code.

A full parser would lose the character offsets the messages need; the content's Markdown is simple
(Python-Markdown without HTML), so a line-based reading is exact enough for it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

_FENCE = re.compile(r"^ {0,3}(```|~~~)")
_ATX = re.compile(r"^(#{1,6})[ \t]*")
"""As Python-Markdown (what the build renders with) reads them: '#Otsikko' without a space is a
heading too, '  ## Kaksi' after spaces is not, and '#######' is a level-6 one."""
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_LIST_ITEM = re.compile(r"^ {0,3}([-*+]|[0-9]+[.)])[ \t]+")
_TABLE = re.compile(r"^ {0,3}\|")
_QUOTE = re.compile(r"^ {0,3}>")
LINK = re.compile(r"(?<!!)\[(?P<text>[^\]]*)\]\((?P<target>[^)\s]*)(?:\s+\"[^\"]*\")?\)")
IMAGE = re.compile(r"!\[(?P<alt>[^\]]*)\]\((?P<src>[^)\s]*)(?:\s+\"[^\"]*\")?\)")
AUTOLINK = re.compile(r"<(?P<target>https?://[^>\s]+)>")


@dataclass(frozen=True)
class Line:
    offset: int
    """Where the line starts in the text."""
    text: str


def lines(markdown: str) -> Iterator[Line]:
    """The text's lines outside fenced code blocks, with their offsets."""
    offset = 0
    fence: str | None = None
    for text in markdown.split("\n"):
        match = _FENCE.match(text)
        if fence is None and match:
            fence = match.group(1)
        elif fence is not None:
            if text.strip().startswith(fence):
                fence = None
        else:
            yield Line(offset, text)
        offset += len(text) + 1


@dataclass(frozen=True)
class Heading:
    level: int
    offset: int
    text: str


def headings(markdown: str) -> list[Heading]:
    """ATX (``## Title``) and setext (``Title`` underlined with ``===`` or ``---``) headings."""
    found: list[Heading] = []
    previous: Line | None = None
    for line in lines(markdown):
        atx = _ATX.match(line.text)
        setext = _SETEXT.match(line.text)
        if atx:
            found.append(Heading(len(atx.group(1)), line.offset, line.text[atx.end() :].strip(" #")))
            previous = None
            continue
        if setext and previous is not None and _is_paragraph_line(previous.text):
            found.append(Heading(1 if setext.group(1)[0] == "=" else 2, previous.offset, previous.text.strip()))
            previous = None
            continue
        previous = line if line.text.strip() else None
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

    for line in lines(markdown):
        text = line.text
        if not text.strip() or _ATX.match(text) or _TABLE.match(text) or _SETEXT.match(text):
            if _SETEXT.match(text) and current:
                current.pop()  # the line above was a setext heading, not prose
            close()
            continue
        if _LIST_ITEM.match(text) or _QUOTE.match(text):
            close()
            current.append(Line(line.offset, _LIST_ITEM.sub("", _QUOTE.sub("", text))))
            continue
        current.append(line)
    close()
    return blocks
