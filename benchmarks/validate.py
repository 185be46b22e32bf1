"""Validation time per page: `kuntasivu check`, cold and cached, against stock pa11y-ci.

Usage: .venv/bin/python benchmarks/validate.py [--pages N]

Generates a throw-away municipality of at least N pages (default 112: 85 service pages in five
sections, 8 news, 5 events and the site's own pages), builds it once with only the own static
checks, then times in one run:

1. `kuntasivu check <slug> --no-cache`: cold, all three layers (own static checks, Nu Html
   Checker, pa11y-ci with axe and HTML_CodeSniffer);
2. `kuntasivu check <slug>` twice: the first fills the cache, the second is the cached
   re-validation of an unchanged site;
3. stock pa11y-ci over the same pages served on 127.0.0.1, with pa11y-ci's own defaults
   (HTML_CodeSniffer only, one page at a time, an incognito context per page); the only
   settings given are the ones it needs to start Debian's Chromium here.

It prints seconds and seconds per page for each, the speed-up against stock, the load average
(other work on the machine slows the gate, which is CPU-bound, more than stock pa11y-ci, which
mostly waits), and whether the targets are met: cold at least 2x faster per page than stock,
cached at most 2 s.

Where the time goes
-------------------
pa11y loads every page with `waitUntil: networkidle2`: about a second per page of waiting for
the network to stay quiet, whatever the checks. Stock pa11y-ci waits for it one page at a
time. The gate runs four pages per core (pa11y.PAGES_PER_CORE), so the cores work while pages
wait, and caps Chromium's page processes at one per core (`--renderer-process-limit`), so
that pages share processes and the 560 KB of axe that pa11y injects into each page is compiled
once per process instead of once per page. Measured on 60 pages of this site (2 cores, pa11y-ci
alone, s/page): stock 1.56; the gate before, 2 pages at once, 1.00-1.04; 8 at once 0.84-0.87;
with shared processes too 0.63-0.65; checking only <main> (below) 0.61-0.62. The last saves
little because axe's fixed cost per page is larger than its cost per element, but it is CPU
that a busy machine does not have.

Why the gate may check the page chrome once per template
--------------------------------------------------------
Every page is built from themes/kunta/base.html: the skip link, the header (logo, language
switcher, main navigation), the alert banner and breadcrumbs, then <main>, then the footer.
The gate gives pa11y-ci the whole page of the first page (in URL order) of each template
(`<body data-kind>`) and language, and only `<main>` (pa11y's per-URL `rootElement`) of the
others. That finds the same faults:

- Every page still gets axe and HTML_CodeSniffer on its <main>, where all content is. axe
  resolves styles and ids against the whole document, so contrast, and the relations between
  <main> and the rest (labels, aria references) are checked as before. HTML_CodeSniffer always
  reads the whole document; pa11y only drops what it reports outside the root element.
- The chrome is the same template code on every page of a kind and language, and one style
  sheet per site: its markup, landmarks, skip link, names, roles and contrast are checked in
  full on that kind's first page. A change to the template, the style sheet or site.yml
  changes that page too, so it is checked again (cache keys hold each page's HTML and the
  assets it loads, and whether the whole page or <main> was checked).
- What differs per page in the chrome is data: `<title>`, `<html lang>`, canonical and
  hreflang links, which navigation item has `aria-current`, the breadcrumb trail and the
  language switcher's target. The own static checks and the Nu Html Checker still read every
  whole page and cover these: a language of the site on <html>, a non-empty title unique in
  the site, one h1 and no skipped heading levels across the whole page, a name for every link
  and button, unique ids, valid markup and nesting.
- HTML that is not one of the theme's pages (a municipality's assets, frames) and pages
  without exactly one <main> are always checked whole, as is the first page of each kind and
  language: the page-level rules (`html-has-lang`, `document-title`, `bypass`, landmarks) run
  on those, and the theme writes these parts the same way on every page.
- Redirect pages are not given to pa11y-ci at all (as before): they leave at once.

Checked when this was introduced: tests/fixtures/a11y/ (13 faults, each with a broken and a
fixed twin; the faults sit in a service page's <main> or in an asset) gives the same findings
(page, rule, severity) with and without it. A low-contrast paragraph and an empty link put in
the footer template are reported by axe and HTML_CodeSniffer on the first page of each of the
10 kinds instead of on all 14 browser pages, and by the own checks on every page: the build
fails either way.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from kuntasivu.checks.pa11y import CLI, serve
from kuntasivu.checks.tools import CHROMIUM_FLAGS, Tools

ROOT = Path(__file__).resolve().parent.parent
SLUG = "mittakunta"
TODAY = "2026-11-26"
NEWS = 8
EVENTS = 5
FIXED_PAGES = 14
"""Pages every generated site has besides service pages, news and events: home, 5 sections,
news and events indexes, contact, accessibility statement, privacy notice, digital support,
404 and a redirect."""
COLD_TARGET = 2.0
"""Cold validation must be at least this many times faster per page than stock pa11y-ci."""
CACHED_TARGET = 2.0
"""Seconds a cached re-validation of an unchanged site may take."""

SECTIONS = {
    "asuminen": (
        "Asuminen ja ympäristö",
        "Rakentaminen, jätehuolto, vesihuolto, kadut ja tontit.",
        [
            "Rakennuslupa",
            "Toimenpidelupa",
            "Purkamislupa",
            "Maisematyölupa",
            "Jätehuolto",
            "Vesihuolto",
            "Katujen kunnossapito",
            "Talvikunnossapito",
            "Omakotitontit",
            "Yritystontit",
            "Kaavoitus",
            "Ympäristönsuojelu",
            "Vuokra-asunnot",
            "Joukkoliikenne",
            "Yksityistiet",
            "Pysäköinti",
            "Energianeuvonta",
        ],
    ),
    "kasvatus": (
        "Varhaiskasvatus ja koulutus",
        "Päiväkodit, esiopetus, koulut, lukio ja kansalaisopisto.",
        [
            "Varhaiskasvatus",
            "Päiväkotihaku",
            "Perhepäivähoito",
            "Varhaiskasvatuksen maksut",
            "Esiopetus",
            "Perusopetus",
            "Kouluun ilmoittautuminen",
            "Koulukuljetus",
            "Kouluruokailu",
            "Aamu- ja iltapäivätoiminta",
            "Oppilashuolto",
            "Lukio",
            "Kansalaisopisto",
            "Musiikkiopisto",
            "Opintotuki ja koulumatkatuki",
            "Erityisopetus",
            "Nuorisotyö",
        ],
    ),
    "vapaa-aika": (
        "Kulttuuri ja vapaa-aika",
        "Kirjasto, liikuntapaikat, kulttuuri ja harrastukset.",
        [
            "Kirjasto",
            "Kirjastoauto",
            "Uimahalli",
            "Kuntosali",
            "Liikuntahalli",
            "Urheilukenttä",
            "Kuntoradat ja ladut",
            "Uimarannat",
            "Venepaikat",
            "Museo",
            "Taidenäyttelyt",
            "Kulttuuriavustukset",
            "Liikunta-avustukset",
            "Seniorien liikunta",
            "Lasten harrastukset",
            "Retkeilyreitit",
            "Tilojen vuokraus",
        ],
    ),
    "sosiaali-ja-terveys": (
        "Sosiaali- ja terveyspalvelut",
        "Terveysasema, neuvola ja sosiaalipalvelut hyvinvointialueelta.",
        [
            "Terveysasema",
            "Hammashoito",
            "Neuvola",
            "Kouluterveydenhuolto",
            "Mielenterveyspalvelut",
            "Päihdepalvelut",
            "Kotihoito",
            "Omaishoidon tuki",
            "Ikäihmisten asumispalvelut",
            "Vammaispalvelut",
            "Toimeentulotuki",
            "Lastensuojelu",
            "Perheneuvola",
            "Kuljetuspalvelu",
            "Apteekki",
            "Ensiapu ja päivystys",
            "Hyvinvointialueen yhteystiedot",
        ],
    ),
    "hallinto": (
        "Hallinto ja päätöksenteko",
        "Valtuusto, hallitus, lautakunnat, talous ja työpaikat.",
        [
            "Kunnanvaltuusto",
            "Kunnanhallitus",
            "Lautakunnat",
            "Pöytäkirjat",
            "Kuulutukset",
            "Talousarvio",
            "Tilinpäätös",
            "Työpaikat",
            "Kesätyöt",
            "Hankinnat",
            "Laskutus",
            "Kuntastrategia",
            "Vaalit",
            "Nuorisovaltuusto",
            "Vanhus- ja vammaisneuvosto",
            "Asiakirjapyynnöt",
            "Kunnan organisaatio",
        ],
    ),
}

SENTENCES = [
    "{topic} kuuluu kunnan peruspalveluihin, ja sitä voivat käyttää kaikki kuntalaiset.",
    "Palvelu on tarkoitettu kunnan asukkaille, mutta myös muualla asuvat voivat käyttää sitä.",
    "Hakemuksen voi tehdä sähköisesti tai paperilomakkeella, jonka saa asiointipisteestä.",
    "Käsittely kestää yleensä kahdesta neljään viikkoa, kiireisimpinä aikoina hieman pidempään.",
    "Päätös lähetetään sinulle postitse tai sähköisesti, jos olet antanut siihen luvan.",
    "Hinnat on päätetty kunnanhallituksessa, ja ne tarkistetaan vuosittain talousarvion yhteydessä.",
    "Kysy rohkeasti neuvoa puhelimitse, sähköpostilla tai käymällä asiointipisteessä.",
    "Tarvittaessa voit varata ajan, jolloin virkailija auttaa sinua asiassa henkilökohtaisesti.",
    "Jos et voi asioida verkossa, saat apua digituesta kirjastossa.",
    "Muutoksista tiedotetaan kunnan verkkosivuilla ja paikallislehdessä hyvissä ajoin.",
    "{topic} on järjestetty yhteistyössä naapurikuntien ja hyvinvointialueen kanssa.",
    "Palautetta palvelusta voi antaa verkossa, puhelimitse tai suoraan henkilökunnalle.",
    "Tiedot käsitellään luottamuksellisesti tietosuojalain mukaisesti.",
    "Lomakkeet saa myös ruotsiksi ja englanniksi, ja tulkkauksen voi pyytää etukäteen.",
]

HEADINGS = [
    "Kenelle palvelu on tarkoitettu",
    "Näin haet",
    "Hinnat ja maksut",
    "Käsittelyaika",
    "Yhteistyö ja vastuut",
    "Usein kysyttyä",
    "Ohjeet asiointiin",
    "Tietosuoja",
]

LIST_ITEMS = [
    "henkilötodistus tai passi",
    "voimassa oleva osoite ja puhelinnumero",
    "tarvittavat liitteet sähköisenä tai paperisena",
    "valtakirja, jos asioit toisen puolesta",
    "tiedot aiemmista päätöksistä",
    "pankkiyhteystiedot maksun palautusta varten",
]


@dataclass(frozen=True)
class Run:
    name: str
    pages: int
    seconds: float
    gate_seconds: float | None = None


def _slug(title: str) -> str:
    table = str.maketrans({"ä": "a", "ö": "o", "å": "a"})
    return re.sub(r"[^a-z0-9]+", "-", title.lower().translate(table)).strip("-")


def _yaml_block(text: str, indent: str = "  ") -> str:
    return "\n".join(indent + line if line else "" for line in text.splitlines())


def _service_page(rng: random.Random, number: int, section: str, title: str, others: list[tuple[str, str]]) -> str:
    page_id = _slug(title)
    sentences = [s.format(topic=title) for s in SENTENCES]
    paragraphs = [" ".join(rng.sample(sentences, 3)) for _ in range(2)]
    body = [paragraphs[0], ""]
    for heading in rng.sample(HEADINGS, 2 + number % 2):
        body += [f"## {heading}", "", " ".join(rng.sample(sentences, 3)), ""]
    body += ["Ota asiointiin mukaan:", ""]
    body += [f"- {item}" for item in rng.sample(LIST_ITEMS, 3)]
    body.append("")
    if number % 4 == 0:
        body += [
            "| Palvelu | Hinta |",
            "| --- | --- |",
            "| Perusmaksu | 25 € |",
            "| Lisäpalvelu | 12 € |",
            "",
        ]
    related = rng.sample(others, 2)
    body += [
        f"Lue myös [{related[0][1]}](page:{related[0][0]}) ja [{related[1][1]}](page:{related[1][0]}).",
        "",
        paragraphs[1],
    ]
    blocks: list[str] = []
    if number % 3 == 0:
        blocks += [
            "  - type: contact",
            f"    name: {title}, asiakaspalvelu",
            "    role: Neuvonta ja hakemukset",
            f"    phone: 044 123 {4000 + number}",
            f"    email: {page_id}@mittakunta.fi",
        ]
    if number % 3 == 1:
        blocks += [
            "  - type: opening_hours",
            "    rows:",
            "      - days: ma–to",
            "        hours: 9.00–15.00",
            "      - days: pe",
            "        hours: 9.00–13.00",
        ]
    if number % 5 == 2:
        blocks += [
            "  - type: faq",
            "    items:",
            f"      - question: Mistä saan lisätietoa palvelusta {title.lower()}?",
            "        answer: Kysy asiointipisteestä tai soita kunnan vaihteeseen.",
            "      - question: Voinko asioida toisen puolesta?",
            "        answer: Voit, kun sinulla on valtakirja.",
        ]
    if number % 5 == 4:
        blocks += [
            "  - type: links",
            "    title: Lomakkeet ja ohjeet",
            "    links:",
            f"      - page: {related[0][0]}",
            "      - url: https://www.suomi.fi/",
            "        text: Suomi.fi-palvelut",
        ]
    lines = [
        f"id: {page_id}",
        f"section: {section}",
        f"title: {title}",
        f"summary: {sentences[0]}",
        f"order: {number}",
        "body: |",
        _yaml_block("\n".join(body)),
    ]
    if blocks:
        lines += ["blocks:", *blocks]
    return "\n".join(lines) + "\n"


def generate_municipality(folder: Path, service_pages: int) -> None:
    """A municipality like tests/fixtures/municipalities/pieni, with ``service_pages`` pages
    spread over five sections, some news and some events."""
    rng = random.Random(2026)
    (folder / "pages").mkdir(parents=True)
    (folder / "news").mkdir()
    (folder / "events").mkdir()
    shutil.copytree(ROOT / "tests" / "fixtures" / "municipalities" / "pieni" / "assets", folder / "assets")
    titles: list[tuple[str, str]] = []
    sections = list(SECTIONS)
    for number in range(service_pages):
        section = sections[number % len(sections)]
        names = SECTIONS[section][2]
        base = names[(number // len(sections)) % len(names)]
        round_ = number // (len(sections) * len(names))
        titles.append((section, base if round_ == 0 else f"{base} {round_ + 1}"))
    others = [(_slug(title), title) for _, title in titles]
    for number, (section, title) in enumerate(titles):
        text = _service_page(rng, number, section, title, [o for o in others if o[1] != title])
        (folder / "pages" / f"{_slug(title)}.yml").write_text(text, encoding="utf-8")
    for number in range(NEWS):
        topic = titles[number * 7 % len(titles)][1]
        sentences = [s.format(topic=topic) for s in SENTENCES]
        (folder / "news" / f"uutinen-{number + 1}.yml").write_text(
            f"id: uutinen-{number + 1}\n"
            f"date: 2026-{1 + number:02d}-{10 + number:02d}\n"
            f"title: Muutoksia palvelussa {topic.lower()} ({number + 1})\n"
            f"lead: {sentences[3]}\n"
            "body: |\n" + _yaml_block(" ".join(rng.sample(sentences, 4)) + "\n\n## Lisätietoja\n\n" + sentences[6]),
            encoding="utf-8",
        )
    for number in range(EVENTS):
        (folder / "events" / f"tapahtuma-{number + 1}.yml").write_text(
            f"id: tapahtuma-{number + 1}\n"
            f"title: Kuntalaisilta {number + 1}\n"
            f"start: 2027-0{1 + number}-1{number}T18:00\n"
            f"end: 2027-0{1 + number}-1{number}T20:00\n"
            "place: Kunnantalon valtuustosali\n"
            "summary: Kuntalaisilta, jossa kerrotaan ajankohtaisista asioista ja kuullaan asukkaita.\n"
            "description: |\n"
            "  Tilaisuus on avoin kaikille. Kahvitarjoilu alkaa puoli tuntia ennen tilaisuutta.\n",
            encoding="utf-8",
        )
    first = _slug(titles[0][1])
    nav = "\n".join(
        f"  - id: {sid}\n    title: {name}\n    summary: {summary}" for sid, (name, summary, _) in SECTIONS.items()
    )
    (folder / "site.yml").write_text(
        f"""name: Mittakunta
languages: [fi]
site_url: https://www.mittakunta.fi/
description: Mittakunta on kuvitteellinen kunta, jonka sivustolla mitataan tarkistusten nopeutta.
brand:
  primary_colour: "#00466e"
  logo: assets/logo.svg
hero:
  image:
    src: assets/hero.svg
    alt: Järvi ja metsä kesällä.
contact:
  address:
    street: Kunnantie 1
    postal_code: "12345"
    city: Mittakunta
  phone: 02 123 4567
  email: kirjaamo@mittakunta.fi
  opening_hours:
    - days: ma–pe
      hours: 9.00–15.00
navigation:
{nav}
top_tasks:
  - page: {first}
  - page: {_slug(titles[1][1])}
  - page: digituki
shared_pages:
  - page: digituki
    section: hallinto
  - tietosuoja
footer_pages: [tietosuoja]
redirects:
  /vanha/{first}/: {first}
accessibility:
  email: kirjaamo@mittakunta.fi
""",
        encoding="utf-8",
    )


def make_project(root: Path, service_pages: int) -> None:
    for name in ("site_src", "themes"):
        shutil.copytree(ROOT / name, root / name)
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    (root / "node_modules").symlink_to(ROOT / "node_modules")
    generate_municipality(root / "municipalities" / SLUG, service_pages)


def kuntasivu(root: Path, *args: str) -> float:
    """Run the command line in ``root``; returns its wall time. Stops the benchmark if it fails."""
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "kuntasivu.cli", *args],
        cwd=root,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    seconds = time.monotonic() - started
    if result.returncode != 0:
        sys.exit(f"kuntasivu {' '.join(args)} failed (exit {result.returncode}):\n{result.stderr[-3000:]}")
    return seconds


def gate_run(root: Path, name: str, *args: str) -> Run:
    seconds = kuntasivu(root, "check", SLUG, "--today", TODAY, *args)
    report = json.loads((root / "reports" / SLUG / "a11y.json").read_text("utf-8"))
    return Run(name, report["summary"]["pages"], seconds, report["seconds"])


def browser_urls(site: Path) -> list[str]:
    """The pages pa11y-ci can check (what the gate gives it): every page but the redirects."""
    urls = []
    for path in sorted(site.rglob("*.html")):
        if 'http-equiv="refresh"' in path.read_text("utf-8")[:4000].lower():
            continue
        relative = path.relative_to(site).as_posix()
        urls.append(relative.removesuffix("index.html") if path.name == "index.html" else relative)
    return urls


def stock_pa11y(site: Path, tmp: Path) -> Run:
    """pa11y-ci with its defaults; only Chromium's path and flags are given."""
    tools = Tools.find(ROOT)
    urls = browser_urls(site)
    config = tmp / "stock-pa11y-ci.json"
    output = tmp / "stock-results.json"
    with serve(site) as base:
        launch = {"executablePath": tools.require_chromium(), "args": CHROMIUM_FLAGS}
        config.write_text(json.dumps({"defaults": {"chromeLaunchConfig": launch}, "urls": [base + u for u in urls]}))
        started = time.monotonic()
        with output.open("w") as out:
            result = subprocess.run(
                [tools.require_node(), str(tools.require_package("pa11y-ci", CLI)), "--config", str(config), "--json"],
                stdout=out,
                stderr=subprocess.PIPE,
                text=True,
                cwd=ROOT,
                env={**os.environ, "PUPPETEER_SKIP_DOWNLOAD": "1", "HOME": str(tmp)},
            )
        seconds = time.monotonic() - started
    try:
        report = json.loads(output.read_text("utf-8"))
    except ValueError:
        sys.exit(f"stock pa11y-ci did not finish (exit {result.returncode}): {result.stderr[-2000:]}")
    crashed = [url for url, issues in report["results"].items() if any("code" not in i for i in issues)]
    if report["total"] != len(urls) or crashed:
        sys.exit(f"stock pa11y-ci did not check every page: {crashed[:3]} … {result.stderr[-1000:]}")
    return Run(f"stock pa11y-ci ({report['errors']} issues)", len(urls), seconds)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument(
        "--pages",
        type=int,
        default=112,
        help="pages of the generated site (default: 112, of which 85 service pages in 5 sections)",
    )
    args = parser.parse_args()
    service_pages = max(10, args.pages - FIXED_PAGES - NEWS - EVENTS)
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="kuntasivu-bench-") as tmp_name:
        tmp = Path(tmp_name)
        root = tmp / "project"
        make_project(root, service_pages)
        print(f"building {SLUG} ({service_pages} service pages, {NEWS} news, {EVENTS} events)…", file=sys.stderr)
        kuntasivu(root, "build", SLUG, "--checks", "static", "--today", TODAY)
        site = root / "public" / SLUG
        pages = sum(1 for _ in site.rglob("*.html"))
        if pages < args.pages:
            sys.exit(f"the generated site has {pages} pages, fewer than {args.pages}")
        print(f"{pages} pages; validating cold…", file=sys.stderr)
        cold = gate_run(root, "kuntasivu check --no-cache (cold)", "--no-cache")
        print("validating with the cache, twice…", file=sys.stderr)
        fill = gate_run(root, "kuntasivu check (fills the cache)")
        cached = gate_run(root, "kuntasivu check (cached)")
        print("stock pa11y-ci…", file=sys.stderr)
        stock = stock_pa11y(site, tmp)

    per_page = {run.name: run.seconds / run.pages for run in (cold, fill, cached, stock)}
    stock_per_page = per_page[stock.name]
    print(f"\n{'run':<38} {'pages':>5} {'seconds':>8} {'gate s':>7} {'s/page':>7} {'vs stock':>9}")
    for run in (stock, cold, fill, cached):
        gate = f"{run.gate_seconds:7.1f}" if run.gate_seconds is not None else f"{'–':>7}"
        speed = stock_per_page / per_page[run.name]
        print(f"{run.name:<38} {run.pages:>5} {run.seconds:8.1f} {gate} {per_page[run.name]:7.3f} {speed:8.1f}×")
    print("(seconds: wall time of the command; gate s: the gate's own time from a11y.json;")
    print(" vs stock: how many times faster per page than stock pa11y-ci)")
    print(f"{os.cpu_count()} cores; load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after")
    cold_speedup = stock_per_page / per_page[cold.name]
    cold_met = cold_speedup >= COLD_TARGET
    cached_met = cached.seconds <= CACHED_TARGET
    verdict = "met" if cold_met else "NOT met"
    print(f"\ncold ≥ {COLD_TARGET:g}× faster per page than stock: {cold_speedup:.2f}× — {verdict}")
    print(
        f"cached re-validation of {cached.pages} unchanged pages ≤ {CACHED_TARGET:g} s: "
        f"{cached.seconds:.2f} s — {'met' if cached_met else 'NOT met'}"
    )
    return 0 if cold_met and cached_met else 1


if __name__ == "__main__":
    sys.exit(main())
