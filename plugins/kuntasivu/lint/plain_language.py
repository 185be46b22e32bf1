"""Plain-language hints: very long sentences and paragraphs are hard to read, for everyone and
especially for readers of Finnish or Swedish as a second language (Kielitoimisto's selkeä
virkakieli advice). Warnings only: a long sentence is sometimes the clearest one.
"""

from __future__ import annotations

import re

from . import markdown
from .context import LintContext
from .texts import texts

CODE = "plain-language"
SENTENCE_WORDS = 25
"""Sentences over this many words are hard to follow (selkeä virkakieli suggests at most ~15–20)."""
SENTENCE_CHARS = 200
"""Finnish packs in one long word what English says in three ('kirjastonhoitajalle'), so a sentence
of fewer words can be as heavy: above this many characters it is long whatever its word count."""
PARAGRAPH_WORDS = 120
"""Paragraphs over this many words are walls of text, tiring on a phone screen."""

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÅÄÖ0-9\"'(])")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MARKUP = re.compile(r"[*_`]+")


def _plain(text: str) -> str:
    return _MARKUP.sub("", _LINK.sub(r"\1", text))


def check(ctx: LintContext) -> None:
    for text in texts(ctx.content):
        if not text.is_markdown:
            continue
        for block in markdown.prose_blocks(text.value):
            plain = _plain(block.text)
            words = len(plain.split())
            if words > PARAGRAPH_WORDS:
                ctx.at_text(
                    text,
                    block.offset,
                    "warning",
                    CODE,
                    f"paragraph of {words} words (over {PARAGRAPH_WORDS}); split it into shorter paragraphs",
                )
            cursor = block.offset
            for sentence in _SENTENCE_END.split(plain):
                first = sentence.split()[0] if sentence.split() else ""
                found = text.value.find(first, cursor)
                cursor = found if found >= 0 else cursor
                count = len(sentence.split())
                if count > SENTENCE_WORDS or len(sentence) > SENTENCE_CHARS:
                    start = " ".join(sentence.split()[:4])
                    ctx.at_text(
                        text,
                        cursor,
                        "warning",
                        CODE,
                        f"long sentence ({count} words, {len(sentence)} characters) starting '{start}…';"
                        f" split it: aim for at most {SENTENCE_WORDS} words",
                    )
