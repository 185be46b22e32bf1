"""Feedback exports (public/<slug>/feedback.json) for the Open311 tests, written by hand to match
feedback.schema.json (test_open311.py validates them against it)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .exports import OTHER_SITE, SITE

OWNER = "katuvalot@testikunta.fi"
PARKS_OWNER = "puistot@testikunta.fi"
BOUNDS = [61.0, 22.0, 61.5, 23.0]
"""[south, west, north, east]"""
INSIDE = ("61.2", "22.5")


def text(fi: str, sv: str, en: str | None = None) -> dict[str, str]:
    return {"fi": fi, "sv": sv, **({"en": en} if en else {})}


def feedback(site: str = SITE) -> dict[str, Any]:
    lights = {
        "code": "katuvalot",
        "name": text("Katuvalot", "Gatubelysning", "Street lights"),
        "description": text("Rikkinäinen tai pimeä katuvalo.", "Trasig gatlykta.", "A broken street light."),
        "owner": OWNER,
        "group": text("Kadut", "Gator", "Streets"),
        "keywords": ["valo", "lamppu"],
        "questions": [
            {
                "code": "kind",
                "datatype": "singlevaluelist",
                "required": True,
                "label": text("Mikä on vialla?", "Vad är fel?", "What is wrong?"),
                "description": None,
                "values": [
                    {"key": "dark", "name": text("Ei pala", "Lyser inte", "Not lit")},
                    {"key": "blinking", "name": text("Vilkkuu", "Blinkar", "Blinking")},
                ],
            },
            {
                "code": "times",
                "datatype": "multivaluelist",
                "required": False,
                "label": text("Milloin?", "När?", "When?"),
                "description": text("Valitse kaikki sopivat.", "Välj alla som passar.", "Choose all that apply."),
                "values": [
                    {"key": "evening", "name": text("Illalla", "På kvällen", "In the evening")},
                    {"key": "night", "name": text("Yöllä", "På natten", "At night")},
                ],
            },
            {
                "code": "pole",
                "datatype": "number",
                "required": False,
                "label": text("Pylvään numero", "Stolpens nummer", "Pole number"),
                "description": None,
                "values": [],
            },
        ],
    }
    parks = {
        "code": "puistot",
        "name": text("Puistot", "Parker", "Parks"),
        "description": text("Puistojen kunto.", "Parkernas skick.", "Parks."),
        "owner": PARKS_OWNER,
        "group": None,
        "keywords": [],
        "questions": [],
    }
    return {
        "format": 1,
        "site": site,
        "site_name": text("Testikunta", "Testkommun", "Test municipality"),
        "site_url": f"https://www.{site}.fi/",
        "origins": [f"https://www.{site}.fi"],
        "languages": ["fi", "sv", "en"],
        "agency": text("Testikunnan tekninen toimi", "Testkommunens tekniska väsende", "Technical services"),
        "categories": [lights, parks],
        "map": {
            "centre": [61.2, 22.5],
            "zoom": 12,
            "tiles": "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
            "attribution": "© OpenStreetMap contributors",
            "bounds": BOUNDS,
        },
        "retention_days": 365,
        "privacy_url": text(f"https://www.{site}.fi/tietosuoja/", f"https://www.{site}.fi/sv/dataskydd/"),
        "thanks_url": text(f"https://www.{site}.fi/kiitos/", f"https://www.{site}.fi/sv/tack/"),
        "stylesheets": [f"https://www.{site}.fi/assets/kunta.css"],
    }


def write(forms_dir: Path, export: dict[str, Any]) -> Path:
    path = forms_dir / export["site"] / "feedback.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(export, ensure_ascii=False), encoding="utf-8")
    return path


def write_all(forms_dir: Path) -> None:
    for site in (SITE, OTHER_SITE):
        write(forms_dir, feedback(site))
