"""The lines of a Markdown text outside fenced code blocks, each with where it starts in the text.

What a code block shows is an example, not content: an image or link written there is never
looked up. Code blocks are found as the build's fenced_code extension finds them (its own
pattern: a fence at the line's start, closed by the same fence), so an unclosed or indented ```
is text here as it is on the page. Shared by the loader's reference checks (references.py) and
lint (lint/markdown.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from markdown.extensions.fenced_code import FencedBlockPreprocessor

_FENCED_BLOCK: re.Pattern[str] = FencedBlockPreprocessor.FENCED_BLOCK_RE


@dataclass(frozen=True)
class Line:
    offset: int
    """Where the line starts in the text."""
    text: str


def code_blocks(markdown: str) -> list[tuple[int, int]]:
    """(start, end) of each fenced code block, fences included."""
    return [match.span() for match in _FENCED_BLOCK.finditer(markdown)]


def lines(markdown: str) -> Iterator[Line]:
    """The text's lines outside fenced code blocks, with their offsets."""
    blocks = code_blocks(markdown)
    offset = 0
    for text in markdown.split("\n"):
        if not any(start <= offset < end for start, end in blocks):
            yield Line(offset, text)
        offset += len(text) + 1


def without_code(markdown: str) -> str:
    """The text with its code blocks blanked out, every offset (and line) where it was."""
    out = markdown
    for start, end in code_blocks(markdown):
        out = out[:start] + re.sub(r"[^\n]", " ", out[start:end]) + out[end:]
    return out
