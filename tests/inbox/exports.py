"""Form exports for the tests, written by hand to match form.schema.json (test_forms.py
validates them against it)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

SITE = "testikunta"
OTHER_SITE = "toinenkunta"
ORIGIN = "https://www.testikunta.fi"

FI = {
    "error_summary_title": "Korjaa nämä kohdat",
    "error_title_prefix": "Virhe: ",
    "required": "Täytä kohta ”{label}”.",
    "required_choice": "Valitse vaihtoehto kohdassa ”{label}”.",
    "consent": "Rastita hyväksyntä, jotta voit lähettää lomakkeen.",
    "too_short": "Kirjoita kohtaan ”{label}” vähintään {min} merkkiä.",
    "too_long": "Kohdassa ”{label}” voi olla enintään {max} merkkiä.",
    "too_small": "Kohdan ”{label}” pitää olla vähintään {min}.",
    "too_large": "Kohdan ”{label}” pitää olla enintään {max}.",
    "pattern": "Tarkista kohta ”{label}”: se ei ole oikeassa muodossa.",
    "email": "Kirjoita kohtaan ”{label}” sähköpostiosoite muodossa nimi@esimerkki.fi.",
    "tel": "Kirjoita kohtaan ”{label}” puhelinnumero, esimerkiksi 040 123 4567.",
    "number": "Kirjoita kohtaan ”{label}” luku, esimerkiksi 12 tai 2,5.",
    "integer": "Kirjoita kohtaan ”{label}” kokonaisluku, esimerkiksi 3.",
    "date": "Kirjoita kohtaan ”{label}” päivämäärä, joka on olemassa, esimerkiksi 2027-03-14.",
    "choice": "Valitse kohdassa ”{label}” jokin annetuista vaihtoehdoista.",
    "full": "”{option}” on jo täynnä. Vapaana on vielä: {alternatives}.",
    "full_none": "Kohdan ”{label}” kaikki paikat on jo varattu.",
    "too_fast": "Lomake lähetettiin niin nopeasti, että se näytti koneen lähettämältä.",
    "rate_limited": "Lomakkeita on lähetetty lyhyessä ajassa liian monta.",
    "required_marker": "(pakollinen)",
    "send": "Lähetä",
    "characters_left": "Voit kirjoittaa vielä {count} merkkiä.",
    "characters_over": "Tekstissä on {count} merkkiä liikaa.",
    "option_full": "(täynnä)",
    "seats_left": "({count} paikkaa vapaana)",
    "honeypot_label": "Jätä tämä kenttä tyhjäksi",
    "privacy_link": "Tietosuojaseloste",
    "sent": "Kiitos! Viestisi on lähetetty.",
}
SV = {
    **{k: f"[sv] {v}" for k, v in FI.items()},
    "error_summary_title": "Rätta dessa punkter",
    "error_title_prefix": "Fel: ",
    "required": "Fyll i ”{label}”.",
    "email": "Skriv en e-postadress i ”{label}”.",
    "full": "”{option}” är fullt. Lediga: {alternatives}.",
    "required_marker": "(obligatorisk)",
    "send": "Skicka",
    "sent": "Tack! Ditt meddelande har skickats.",
}


def text(fi: str, sv: str | None = None) -> dict[str, str]:
    return {"fi": fi, "sv": sv or f"{fi} (sv)"}


def field(name: str, type_: str, label: str, *, required: bool = False, **extra: Any) -> dict[str, Any]:
    result: dict[str, Any] = {
        "name": name,
        "type": type_,
        "label": text(label),
        "hint": extra.pop("hint", None),
        "required": required,
        "autocomplete": extra.pop("autocomplete", None),
    }
    if type_ in ("text", "email", "tel", "textarea"):
        result["max_length"] = extra.pop("max_length", 200)
    result.update(extra)
    return result


def option(value: str, label: str, capacity: int | None = None) -> dict[str, Any]:
    return {"value": value, "label": text(label), "capacity": capacity}


def base(site: str, form_id: str, kind: str, fieldsets: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "format": 1,
        "site": site,
        "site_name": text("Testikunta", "Testkommun"),
        "site_url": f"https://www.{site}.fi/",
        "origins": [f"https://www.{site}.fi"],
        "languages": ["fi", "sv"],
        "id": form_id,
        "kind": kind,
        "title": text("Palaute" if kind == "form" else "Ilmoittautuminen", "Respons" if kind == "form" else "Anmälan"),
        "intro": text("Kerro meille."),
        "recipients": ["kirjaamo@testikunta.fi"],
        "confirmation_field": "email",
        "retention_days": 30,
        "privacy_url": text(f"https://www.{site}.fi/tietosuoja/", f"https://www.{site}.fi/sv/dataskydd/"),
        "thanks_url": text(f"https://www.{site}.fi/kiitos/", f"https://www.{site}.fi/sv/tack/"),
        "stylesheets": [f"https://www.{site}.fi/assets/kunta.css"],
        "fieldsets": fieldsets,
        "texts": {"fi": FI, "sv": SV},
    }


def feedback(site: str = SITE) -> dict[str, Any]:
    contact = [
        field("name", "text", "Nimi", required=True, min_length=2, max_length=100, autocomplete="name"),
        field("email", "email", "Sähköposti", max_length=254, autocomplete="email", hint=text("Vastaamme tähän.")),
        field("phone", "tel", "Puhelin", autocomplete="tel"),
    ]
    rest = [
        field("message", "textarea", "Viesti", required=True, max_length=500),
        field("age", "number", "Ikä", integer=True, min=0, max=120),
        field("amount", "number", "Määrä", min=0.5, max=10.5),
        field("day", "date", "Päivä", min="2026-01-01", max="2030-12-31"),
        field("topic", "select", "Aihe", required=True, options=[option("roads", "Tiet"), option("parks", "Puistot")]),
        field(
            "reply", "radios", "Vastaustapa", required=True, options=[option("email", "Sähköposti"), option("no", "Ei")]
        ),
        field("areas", "checkboxes", "Alueet", options=[option("north", "Pohjoinen"), option("south", "Etelä")]),
        field("code", "text", "Koodi", pattern="[A-Z]{3}", pattern_message=text("Kolme isoa kirjainta.")),
        field("consent", "consent", "Hyväksyn ehdot", required=True),
    ]
    return base(
        site, "palaute", "form", [{"legend": text("Yhteystiedot"), "fields": contact}, {"legend": None, "fields": rest}]
    )


def registration(site: str = SITE, morning: int = 10) -> dict[str, Any]:
    fields = [
        field("name", "text", "Nimi", required=True),
        field("email", "email", "Sähköposti", required=True),
        field(
            "session",
            "radios",
            "Ryhmä",
            required=True,
            options=[option("morning", "Aamu", morning), option("evening", "Ilta", 2), option("online", "Etä")],
        ),
        field("extras", "checkboxes", "Lisät", options=[option("lunch", "Lounas", 1), option("sauna", "Sauna")]),
    ]
    return base(site, "ilmoittautuminen", "registration", [{"legend": None, "fields": fields}])


def write(forms_dir: Path, export: dict[str, Any]) -> Path:
    path = forms_dir / export["site"] / "forms" / f"{export['id']}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(export, ensure_ascii=False), encoding="utf-8")
    return path


def write_all(forms_dir: Path, morning: int = 10) -> None:
    for export in (feedback(), registration(morning=morning), feedback(OTHER_SITE)):
        write(forms_dir, copy.deepcopy(export))


VALID_FEEDBACK = {
    "name": "Maija Meikäläinen",
    "email": "maija@example.fi",
    "phone": "",
    "message": "Tie on kuoppainen.",
    "age": "",
    "amount": "",
    "day": "",
    "topic": "roads",
    "reply": "email",
    "code": "",
    "consent": "yes",
}
