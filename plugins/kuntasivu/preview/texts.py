"""The error page's language and texts, read so that they survive the error being shown.

The page speaks the site's default language with the `preview.*` texts of site_src/texts. But
the broken file may be site.yml (so the language is unknown) or a texts file itself (so the
texts are), which is why nothing here uses the content loader: each file is read on its own, a
language is used only if all its texts are there and usable, and otherwise the page is in
Finnish, from fi.yml or, if that is what is broken, from FALLBACK (kept equal to fi.yml's
`preview:` by a test).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from ..content.model import LANGUAGES

FALLBACK: dict[str, str] = {
    "title": "Virhe sisällössä – esikatselu – {site}",
    "heading_one": "Sisällössä on virhe",
    "heading_many": "Sisällössä on {count} virhettä",
    "heading_failed": "Sivustoa ei voitu koota",
    "intro": (
        "Esikatselu näyttää tämän sivun jokaisessa osoitteessa, kunnes virheet on korjattu. "
        "Korjaa alla luetellut kohdat ja tallenna: sivu latautuu itsestään uudelleen."
    ),
    "unpublished": "Tämä on vain esikatselu: julkaistu sivusto ei muutu.",
    "location": "Rivi {line}, sarake {column}",
    "field": "Kohta: {field}",
    "lines": "Rivit {first}–{last}",
    "marker": "virheen rivi",
    "missing_file": "Tiedostoa ei enää ole, joten sen rivejä ei voi näyttää.",
    "message": "Virheilmoitus",
    "terminal": "Samat virheet näkyvät myös päätteessä, jossa esikatselu on käynnissä.",
}
"""The Finnish texts, for when site_src/texts/fi.yml is itself what is broken."""

_SAMPLE = {"site": "kunta", "count": 2, "line": 1, "column": 1, "field": "title", "first": 1, "last": 3}
"""Values for every placeholder: a text that cannot be formatted with them is not used."""


def preview_texts(shared_dir: Path, municipality_dir: Path) -> tuple[str, dict[str, str]]:
    """The language of the error page and its texts (keys of FALLBACK, without 'preview.')."""
    default = _default_language(municipality_dir / "site.yml")
    for lang in dict.fromkeys((default, "fi")):
        texts: dict[str, Any] = {}
        for folder in (shared_dir, municipality_dir):  # a municipality may override shared texts
            texts.update(_preview_section(folder / "texts" / f"{lang}.yml"))
        if _usable(texts):
            return lang, {key: texts[key] for key in FALLBACK}
    return "fi", dict(FALLBACK)


def _default_language(site_yml: Path) -> str:
    """The first of site.yml's languages, or Finnish when site.yml cannot tell."""
    data = _read(site_yml)
    languages = data.get("languages") if isinstance(data, dict) else None
    first = languages[0] if isinstance(languages, list) and languages else None
    return first if isinstance(first, str) and first in LANGUAGES else "fi"


def _preview_section(path: Path) -> dict[str, Any]:
    data = _read(path)
    section = data.get("preview") if isinstance(data, dict) else None
    return section if isinstance(section, dict) else {}


def _read(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None


def _usable(texts: dict[str, Any]) -> bool:
    for key in FALLBACK:
        text = texts.get(key)
        if not isinstance(text, str) or not text.strip():
            return False
        try:
            text.format(**_SAMPLE)
        except (KeyError, IndexError, ValueError):
            return False
    return True
