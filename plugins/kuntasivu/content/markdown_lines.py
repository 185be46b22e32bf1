"""The lines of a Markdown text outside fenced code blocks, each with where it starts in the text.

What a code block shows is an example, not content: an image or link written there is never
looked up. Shared by the loader's reference checks (references.py) and lint (lint/markdown.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

_FENCE = re.compile(r"^ {0,3}(```|~~~)")


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
