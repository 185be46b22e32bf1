"""Feedback exports (public/<slug>/feedback.json) for the Open311 and widget tests, written by hand
to match feedback.schema.json (test_open311.py validates them against it). The texts are the
site's own wording (site_src/texts/*.yml: forms.* overridden by feedback.*, feedback.thanks as
``sent``), as the build exports them."""

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


TEXTS: dict[str, dict[str, str]] = {
    "fi": {
        "title": "Palaute kartalla",
        "error_summary_title": "Korjaa nämä kohdat",
        "error_title_prefix": "Virhe: ",
        "required": "Täytä kohta ”{label}”.",
        "required_choice": "Valitse vaihtoehto kohdassa ”{label}”.",
        "too_long": "Kohdassa ”{label}” voi olla enintään {max} merkkiä.",
        "email": "Kirjoita kohtaan ”{label}” sähköpostiosoite muodossa nimi@esimerkki.fi.",
        "tel": "Kirjoita kohtaan ”{label}” puhelinnumero, esimerkiksi 040 123 4567.",
        "number": "Kirjoita kohtaan ”{label}” luku, esimerkiksi 12 tai 2,5.",
        "date": "Kirjoita kohtaan ”{label}” oikea päivämäärä, esimerkiksi 2027-03-14.",
        "choice": "Valitse kohdassa ”{label}” jokin annetuista vaihtoehdoista.",
        "rate_limited": "Lomakkeita on lähetetty lyhyessä ajassa liian monta. Yritä uudelleen hetken kuluttua.",
        "required_marker": "(pakollinen)",
        "honeypot_label": "Jätä tämä kenttä tyhjäksi",
        "privacy_link": "Tietosuojaseloste – näin käsittelemme lomakkeella lähettämiäsi tietoja",
        "send": "Lähetä palaute",
        "sent": "Kiitos! Palautteesi on välitetty asiasta vastaavalle työntekijälle. "
        "Vastaamme yleensä kolmen arkipäivän kuluessa.",
        "location_outside": "Valittu paikka on kunnan alueen ulkopuolella. "
        "Valitse paikka kunnan alueelta tai kirjoita osoite.",
        "location_invalid": "Sijaintia ei voitu lukea. Valitse paikka kartalta uudelleen tai kirjoita osoite.",
        "category_legend": "Mitä palautteesi koskee?",
        "description_label": "Kuvaus",
        "description_hint": "Kerro, mitä huomasit. Älä kirjoita kuvaukseen nimiä tai muita henkilötietoja.",
        "location_legend": "Sijainti",
        "location_hint": "Sijainti auttaa löytämään paikan. Voit kirjoittaa osoitteen tai paikan kuvauksen, "
        "valita paikan kartalta tai käyttää omaa sijaintiasi. Sijainti ei ole pakollinen.",
        "address_label": "Osoite tai paikan kuvaus",
        "address_hint": "Esimerkiksi Keskustie 5 tai ”uimarannan pukukoppien vieressä”.",
        "questions_legend": "Lisätietoja aiheesta {category}",
        "contact_legend": "Yhteystietosi",
        "contact_hint": "Voit antaa palautetta nimettömänä. "
        "Jätä sähköpostiosoite, jos haluat vastauksen sähköpostiisi.",
        "public_note": "Aihe, kuvaus, sijainti ja vastauksemme voidaan julkaista käsiteltyjen palautteiden "
        "listassa. Nimeäsi ja yhteystietojasi ei julkaista koskaan.",
        "name_label": "Nimi",
        "email_label": "Sähköposti",
        "phone_label": "Puhelin",
    },
    "sv": {
        "title": "Respons på kartan",
        "error_summary_title": "Rätta till följande",
        "error_title_prefix": "Fel: ",
        "required": "Fyll i ”{label}”.",
        "required_choice": "Välj ett alternativ under ”{label}”.",
        "too_long": "Under ”{label}” får det finnas högst {max} tecken.",
        "email": "Skriv en e-postadress under ”{label}” i formen namn@exempel.fi.",
        "tel": "Skriv ett telefonnummer under ”{label}”, till exempel 040 123 4567.",
        "number": "Skriv ett tal under ”{label}”, till exempel 12 eller 2,5.",
        "date": "Skriv ett giltigt datum under ”{label}”, till exempel 2027-03-14.",
        "choice": "Välj ett av de givna alternativen under ”{label}”.",
        "rate_limited": "För många blanketter har skickats på kort tid. Försök igen om en stund.",
        "required_marker": "(obligatorisk)",
        "honeypot_label": "Lämna det här fältet tomt",
        "privacy_link": "Dataskyddsbeskrivning – så behandlar vi uppgifterna du skickar med blanketten",
        "send": "Skicka respons",
        "sent": "Tack! Din respons har skickats till den anställda som ansvarar för saken. "
        "Vi svarar i regel inom tre vardagar.",
        "location_outside": "Den valda platsen ligger utanför kommunen. "
        "Välj en plats i kommunen eller skriv en adress.",
        "location_invalid": "Platsen kunde inte läsas. Välj platsen på kartan igen eller skriv en adress.",
        "category_legend": "Vad gäller din respons?",
        "description_label": "Beskrivning",
        "description_hint": "Berätta vad du har sett. Skriv inte namn eller andra personuppgifter i beskrivningen.",
        "location_legend": "Plats",
        "location_hint": "Platsen hjälper oss att hitta rätt. Du kan skriva en adress eller beskriva platsen, "
        "välja platsen på kartan eller använda din position. Platsen är inte obligatorisk.",
        "address_label": "Adress eller beskrivning av platsen",
        "address_hint": "Till exempel Centrumvägen 5 eller ”bredvid simstrandens omklädningshytter”.",
        "questions_legend": "Mer om ämnet {category}",
        "contact_legend": "Dina kontaktuppgifter",
        "contact_hint": "Du kan ge respons anonymt. Lämna din e-postadress om du vill ha svar per e-post.",
        "public_note": "Ämnet, beskrivningen, platsen och vårt svar kan publiceras i listan över behandlad "
        "respons. Ditt namn och dina kontaktuppgifter publiceras aldrig.",
        "name_label": "Namn",
        "email_label": "E-post",
        "phone_label": "Telefon",
    },
    "en": {
        "title": "Feedback on the map",
        "error_summary_title": "There is a problem",
        "error_title_prefix": "Error: ",
        "required": "Fill in “{label}”.",
        "required_choice": "Choose an option for “{label}”.",
        "too_long": "“{label}” must be {max} characters or fewer.",
        "email": "Enter an e-mail address in “{label}” in the form name@example.com.",
        "tel": "Enter a phone number in “{label}”, like 040 123 4567.",
        "number": "Enter a number in “{label}”, like 12 or 2.5.",
        "date": "Enter a real date in “{label}”, like 2027-03-14.",
        "choice": "Choose one of the given options for “{label}”.",
        "rate_limited": "Too many forms have been sent in a short time. Try again in a moment.",
        "required_marker": "(required)",
        "honeypot_label": "Leave this field empty",
        "privacy_link": "Privacy notice – how we handle the information you send with this form",
        "send": "Send feedback",
        "sent": "Thank you. Your feedback has been sent to the member of staff responsible. "
        "We usually answer within three working days.",
        "location_outside": "The place you chose is outside the municipality. "
        "Choose a place in the municipality or write an address.",
        "location_invalid": "The location could not be read. Choose the place on the map again or write an address.",
        "category_legend": "What is your feedback about?",
        "description_label": "Description",
        "description_hint": "Tell us what you noticed. "
        "Do not write names or other personal details in the description.",
        "location_legend": "Location",
        "location_hint": "A location helps us find the place. You can write an address or describe the place, "
        "choose it on the map or use your location. The location is optional.",
        "address_label": "Address or description of the place",
        "address_hint": "For example Keskustie 5 or “next to the beach changing huts”.",
        "questions_legend": "More about {category}",
        "contact_legend": "Your contact details",
        "contact_hint": "You can give feedback anonymously. "
        "Leave your e-mail address if you would like an answer by e-mail.",
        "public_note": "The topic, description, location and our reply may be published in the list of handled "
        "feedback. Your name and contact details are never published.",
        "name_label": "Name",
        "email_label": "E-mail",
        "phone_label": "Phone",
    },
}
"""The widget's texts per language (feedback.schema.json ``texts``)."""


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
        "forward": None,
        "texts": {lang: dict(texts) for lang, texts in TEXTS.items()},
    }


def write(forms_dir: Path, export: dict[str, Any]) -> Path:
    path = forms_dir / export["site"] / "feedback.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(export, ensure_ascii=False), encoding="utf-8")
    return path


def write_all(forms_dir: Path) -> None:
    for site in (SITE, OTHER_SITE):
        write(forms_dir, feedback(site))
