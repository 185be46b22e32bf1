"""Generic link texts ('lue lisää', 'klicka här'): the list and how a link text is compared with it.

One definition for the build's own check on the HTML (static.py) and for `kuntasivu lint` on the
content, so that lint warns about exactly the texts the build refuses. Kept free of the HTML parser
so that lint starts fast.
"""

from __future__ import annotations

import unicodedata

GENERIC_LINKS_KEY = "checks.generic_links"
"""The UI text (site_src/texts/<lang>.yml) that lists a language's generic link texts, separated by ' | '."""

_TRAILING = ".,:;!?…»›«‹>-→←↑↓↗↘⇒⇨⟶⟵➔➜➝➞➟➠➡▶▸► \t"
_LEADING = "»›«‹→⇒⇨⟶➔➜➝➞➟➠➡▶▸► \t"


def normalise_link_text(text: str) -> str:
    """Lower case, whitespace collapsed, trailing punctuation and arrows removed: 'Lue lisää »' → 'lue lisää'."""
    text = " ".join(unicodedata.normalize("NFC", text).lower().split())
    return text.rstrip(_TRAILING).lstrip(_LEADING)


def load_generic_link_texts(texts: dict[str, dict[str, str]]) -> dict[str, frozenset[str]]:
    """Generic link texts per language from the UI texts (flattened keys), 'checks.generic_links'."""
    result: dict[str, frozenset[str]] = {}
    for lang, values in texts.items():
        phrases = (normalise_link_text(phrase) for phrase in values.get(GENERIC_LINKS_KEY, "").split("|"))
        result[lang] = frozenset(phrase for phrase in phrases if phrase)
    return result
