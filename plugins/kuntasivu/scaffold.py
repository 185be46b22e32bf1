"""`kuntasivu new`: a new municipality that builds at once and shows where everything goes."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from .schema_files import schema_line

_SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


class ScaffoldError(Exception):
    """Raised when the municipality cannot be created (bad slug, folder exists)."""


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def scaffold(municipalities_dir: Path, slug: str, name: str, today: dt.date) -> Path:
    if not _SLUG.match(slug):
        raise ScaffoldError(
            f"'{slug}' is not a valid slug: use lower-case letters a–z, digits and hyphens, e.g. 'demo' or 'ala-kunta'"
        )
    if not name.strip():
        raise ScaffoldError("--name must not be empty")
    folder = municipalities_dir / slug
    if folder.exists():
        raise ScaffoldError(f"{folder} already exists; choose another slug or edit the existing files")
    event_day = today + dt.timedelta(days=30)
    files = {
        "site.yml": f"""\
# Settings of {name}'s site. Every field is documented in the schema: run `kuntasivu schema`.
name: {_quote(name)}
languages: [fi]
site_url: https://www.{slug}.fi/
description: {_quote(f"{name} – kunnan palvelut, ajankohtaiset asiat ja tapahtumat.")}
brand:
  primary_colour: "#00558c"
  logo: assets/logo.svg
contact:
  organisation: {_quote(name)}
  address:
    street: Kunnantie 1
    postal_code: "00100"
    city: {_quote(name)}
  phone: 02 123 4567
  email: kirjaamo@{slug}.fi
  opening_hours:
    - days: ma–pe
      hours: 9.00–15.00
navigation:
  - id: palvelut
    title: Palvelut
    summary: Kunnan palvelut asukkaille.
  - id: hallinto
    title: Hallinto ja päätöksenteko
    summary: Valtuusto, hallitus ja lautakunnat.
top_tasks:
  - page: asiointi
  - page: digituki
shared_pages:
  - page: digituki
    section: palvelut
  - tietosuoja
footer_pages: [tietosuoja]
accessibility:
  email: kirjaamo@{slug}.fi
  statement_prepared: {today.isoformat()}
""",
        "pages/asiointi.yml": """\
id: asiointi
section: palvelut
title: Asiointi ja neuvonta
summary: Kunnan asiointipiste neuvoo kaikissa kunnan palveluissa.
body: |
  Asiointipisteestä saat lomakkeet, neuvoja ja apua asioiden hoitamiseen.

  ## Ota yhteyttä

  Kaikki yhteystiedot ovat [yhteystietosivulla](page:contact).
blocks:
  - type: opening_hours
    rows:
      - days: ma–pe
        hours: 9.00–15.00
""",
        "pages/valtuusto.yml": """\
id: valtuusto
section: hallinto
title: Kunnanvaltuusto
summary: Valtuusto päättää kunnan taloudesta ja toiminnan tavoitteista.
body: |
  Valtuuston kokoukset ovat julkisia. Esityslistat julkaistaan viikkoa ennen kokousta.
""",
        f"news/{today.isoformat()}-uusi-sivusto.yml": f"""\
id: {today.isoformat()}-uusi-sivusto
date: {today.isoformat()}
title: Kunnan uusi verkkosivusto on avattu
lead: Uudistetulta sivustolta löydät kunnan palvelut ja ajankohtaiset asiat.
body: |
  Sivusto toimii puhelimella, näppäimistöllä ja ruudunlukijalla.
""",
        "events/valtuuston-kokous.yml": f"""\
id: valtuuston-kokous
title: Valtuuston kokous
start: {event_day.isoformat()}T18:00
end: {event_day.isoformat()}T20:00
place: Kunnantalo, valtuustosali
summary: Valtuuston kokous on avoin kaikille.
""",
        "assets/logo.svg": """\
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><path d="M8 6h48v26c0 14-10 22-24 26C18 54 8 46 8 32z" \
fill="#00558c"/><path d="M32 16l10 20H22z" fill="#fff"/></svg>
""",
    }
    for relative, text in files.items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.suffix == ".yml":  # editors find the file's schema from its first line
            text = schema_line(path, municipalities_dir.parent) + "\n" + text
        path.write_text(text, encoding="utf-8")
    return folder
