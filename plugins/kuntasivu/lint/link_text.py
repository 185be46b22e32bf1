"""Link texts that do not say where the link goes: 'lue lisää', 'klicka här', a bare address.

Screen reader users jump from link to link, hearing only the link texts; "tästä" ten times over
tells them nothing. WCAG 2.4.4 Link Purpose. The generic texts are the build's own
(checks/link_texts.py, 'checks.generic_links' in the UI texts): one generic in the text's own
language is an error here because the build refuses it; one from another language ('click here'
on a Finnish page) passes the build, but says as little, so it is a warning.
"""

from __future__ import annotations

import re

from ..checks.link_texts import load_generic_link_texts, normalise_link_text
from ..content.model import Link, TopTask
from . import markdown
from .context import LintContext
from .findings import Level
from .texts import Located, texts

CODE = "link-text"
_URL = re.compile(r"^(https?://|www\.)\S+$", re.I)


def problem(text: str, lang: str, generic: dict[str, frozenset[str]]) -> tuple[Level, str] | None:
    """(level, what is wrong with link text ``text`` in language ``lang`` and how to fix it), or None."""
    normal = normalise_link_text(text)
    if normal in generic.get(lang, frozenset()) or any(normal in phrases for phrases in generic.values()):
        level: Level = "error" if normal in generic.get(lang, frozenset()) else "warning"
        return level, f"link text '{text.strip()}' does not say where the link goes; name the page or service instead"
    if _URL.match(text.strip()):
        return "warning", "link text is a bare address; write the name of the page or service as the link text"
    return None


def check(ctx: LintContext) -> None:
    generic = load_generic_link_texts(ctx.content.texts)
    for text in texts(ctx.content):
        if text.is_markdown:
            _markdown(ctx, text, generic)
        elif isinstance(text.owner, (Link, TopTask)) and text.field_path[-1] in ("text", "title"):
            found = problem(text.value, text.lang, generic)
            if found is not None:
                ctx.at_text(text, 0, found[0], CODE, found[1])


def _markdown(ctx: LintContext, text: Located, generic: dict[str, frozenset[str]]) -> None:
    for line in markdown.lines(text.value):
        for match in markdown.LINK.finditer(line.text):
            found = problem(markdown.inline_text(match.group("text")), text.lang, generic)
            if found is not None:
                ctx.at_text(text, line.offset + match.start(), found[0], CODE, found[1])
