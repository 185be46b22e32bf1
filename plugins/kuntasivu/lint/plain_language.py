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
SENTENCE_WORDS = {"fi": 25, "sv": 30, "en": 30}
"""Sentences over this many words are hard to follow (selkeä virkakieli suggests at most ~15–20).
Swedish and English say the same in about a fifth more words than Finnish (compound words and case
endings against prepositions and articles: 'kirjastossa' – 'i biblioteket'), so they get more."""
SENTENCE_CHARS = 200
"""Finnish packs in one long word what English says in three ('kirjastonhoitajalle'), so a sentence
of fewer words can be as heavy: above this many characters it is long whatever its word count."""
PARAGRAPH_WORDS = {"fi": 120, "sv": 150, "en": 150}
"""Paragraphs over this many words are walls of text, tiring on a phone screen."""

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÅÄÖ0-9\"'(])")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_PUNCTUATION = ".,;:!?…\"'()"


def _plain(text: str) -> str:
    return markdown.inline_text(_LINK.sub(r"\1", text))


def check(ctx: LintContext) -> None:
    for text in texts(ctx.content):
        if not text.is_markdown:
            continue
        sentence_words = SENTENCE_WORDS.get(text.lang, SENTENCE_WORDS["fi"])
        paragraph_words = PARAGRAPH_WORDS.get(text.lang, PARAGRAPH_WORDS["fi"])
        for block in markdown.prose_blocks(text.value):
            plain = _plain(block.text)
            words = len(plain.split())
            if words > paragraph_words:
                ctx.at_text(
                    text,
                    block.offset,
                    "warning",
                    CODE,
                    f"paragraph of {words} words (over {paragraph_words}); split it into shorter paragraphs",
                )
            cursor = block.offset
            for sentence in _SENTENCE_END.split(plain):
                words_of = sentence.split()
                if not words_of:
                    continue
                first, last = words_of[0].strip(_PUNCTUATION), words_of[-1].strip(_PUNCTUATION)
                found = text.value.find(first, cursor)
                start_at = found if found >= 0 else cursor
                # On past this sentence's last word, so that the next sentence is not looked for in this
                # one ('Kirjasto on auki. Kirjasto …' would find the first 'Kirjasto' twice). The words
                # are read without markup and punctuation, which the text itself may have ('**auki**.').
                after_first = start_at + len(first)
                ends = text.value.find(last, after_first if len(words_of) > 1 else start_at) if last else -1
                cursor = ends + len(last) if ends >= 0 else after_first
                count = len(words_of)
                if count > sentence_words or len(sentence) > SENTENCE_CHARS:
                    start = " ".join(words_of[:4])
                    ctx.at_text(
                        text,
                        start_at,
                        "warning",
                        CODE,
                        f"long sentence ({count} words, {len(sentence)} characters) starting '{start}…';"
                        f" split it: aim for at most {sentence_words} words and {SENTENCE_CHARS} characters",
                    )
