"""Link texts that do not say where the link goes: 'lue lisää', 'klicka här', a bare address.

Screen reader users jump from link to link, hearing only the link texts; "tästä" ten times over
tells them nothing. WCAG 2.4.4 Link Purpose.
"""

from __future__ import annotations

import re

from ..content.model import Link, TopTask
from . import markdown
from .context import LintContext
from .texts import Located, texts

CODE = "link-text"
GENERIC: dict[str, frozenset[str]] = {
    "fi": frozenset({"lue lisää", "lisää", "tästä", "klikkaa tästä", "klikkaa", "linkki", "täältä", "tässä"}),
    "sv": frozenset({"läs mer", "mer", "här", "klicka här", "klicka", "länk"}),
    "en": frozenset({"read more", "click here", "here", "more", "link", "this link"}),
}
"""Generic link texts per language. Every language's words are checked in every text: an English
'click here' on a Finnish page is as useless."""
_ALL_GENERIC = frozenset().union(*GENERIC.values())
_URL = re.compile(r"^(https?://|www\.)\S+$", re.I)


def _normal(text: str) -> str:
    return re.sub(r"[\W_]+", " ", text.lower()).strip()


def problem(text: str) -> str | None:
    """What is wrong with link text ``text`` and how to fix it, or None."""
    if _normal(text) in _ALL_GENERIC:
        return f"link text '{text.strip()}' does not say where the link goes; name the page or service instead"
    if _URL.match(text.strip()):
        return "link text is a bare address; write the name of the page or service as the link text"
    return None


def _markdown(ctx: LintContext, text: Located) -> None:
    for line in markdown.lines(text.value):
        for match in markdown.LINK.finditer(line.text):
            found = problem(match.group("text"))
            if found is not None:
                ctx.at_text(text, line.offset + match.start(), "warning", CODE, found)


def check(ctx: LintContext) -> None:
    for text in texts(ctx.content):
        if text.is_markdown:
            _markdown(ctx, text)
        elif isinstance(text.owner, (Link, TopTask)) and text.field_path[-1] in ("text", "title"):
            found = problem(text.value)
            if found is not None:
                ctx.at_text(text, 0, "warning", CODE, found)
