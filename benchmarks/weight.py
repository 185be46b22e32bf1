"""Page weight per content page: stock mkdocs-material against Kuntasivu, on the same content.

Usage: .venv/bin/python benchmarks/weight.py            # generated 50- and 200-page sites
       .venv/bin/python benchmarks/weight.py --samples  # the six sample sites in municipalities/

The default run generates the same Finnish municipality twice, with 50 and with 200 service
pages in five sections (plain text: paragraphs, headings, a list, links to other pages; page i
is the same text in both), and builds each size in one run as

(a) a stock mkdocs-material project: one Markdown file per page under a folder per section,
    mkdocs.yml with `theme: material` (language fi) and the default search plugin, and
    `font: false` as in Kuntasivu's mkdocs.yml: Google Fonts would add requests to another host
    that cannot be measured here (so stock is measured lighter than its real default);
(b) a Kuntasivu municipality in a temporary project (mkdocs.yml, site_src/, themes/ copied,
    node_modules/ linked), built with `kuntasivu build --checks static`.

Five content pages of each site (one per section, the same pages in all four builds) are then
loaded in Debian's Chromium from a local server on 127.0.0.1, each as a first visit (HTTP cache
cleared and disabled), until the network is idle. Every response counts as a request; its transfer
size is its body gzipped at level 6 (the local server sends files uncompressed), images and
fonts as they are — the same rule as the build's own measure (kuntasivu/weight.py), which is
printed beside it. The sample pages have no content images.

It prints, side by side: build time, first-load KB gzip and requests per page (mean), the page
HTML in KB (mean, uncompressed) at 50 and 200 pages and the HTML growth ratio 50 → 200, then
each Kuntasivu sample page against the budget. Exit status 1 when a Kuntasivu sample page is
over the budget (from mkdocs.yml, as the build applies it) or the growth ratio exceeds 1.1.

--samples builds the six sample sites instead and measures every content page (service pages,
news, events; data-kind page/news/event) the same way, each against its budget: pages with the
feedback map against the map page budget.
"""

from __future__ import annotations

import argparse
import gzip
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from statistics import mean
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from kuntasivu.checks.pa11y import serve
from kuntasivu.checks.tools import CHROMIUM_FLAGS, Tools
from kuntasivu.mkdocs_plugin import mkdocs_config
from kuntasivu.weight import GZIP_LEVEL, KB, Budget, SiteFiles, measure_page
from validate import HEADINGS, LIST_ITEMS, SECTIONS, SENTENCES

ROOT = Path(__file__).resolve().parent.parent
SLUG = "mittakunta"
TODAY = "2026-11-26"
SIZES = (50, 200)
SAMPLES = (0, 11, 22, 33, 44)
"""Indexes of the sample pages: one per section (five sections, pages dealt in turn), among the
first 50 so that all four builds have them."""
GROWTH_TARGET = 1.1
CONTENT_KINDS = ("page", "news", "event")
MAP_MARKER = "ks-feedback__form"
"""In the HTML of a page with the feedback map (components/feedback)."""
COMPRESSED_TYPES = ("image/png", "image/jpeg", "image/webp", "image/gif", "image/avif", "font/woff2", "font/woff")


def slug(title: str) -> str:
    table = str.maketrans({"ä": "a", "ö": "o", "å": "a"})
    return "-".join("".join(c if c.isalnum() else " " for c in title.lower().translate(table)).split())


@dataclass(frozen=True)
class ContentPage:
    index: int
    section: str
    title: str
    summary: str
    body: str

    @property
    def id(self) -> str:
        return slug(self.title)


def content(pages: int) -> list[ContentPage]:
    """``pages`` service pages dealt over the sections in turn; page i is the same for any ``pages``."""
    sections = list(SECTIONS)
    titles = []
    for number in range(pages):
        section = sections[number % len(sections)]
        names = SECTIONS[section][2]
        base = names[(number // len(sections)) % len(names)]
        round_ = number // (len(sections) * len(names))
        titles.append((section, base if round_ == 0 else f"{base} {round_ + 1}"))
    out = []
    for number, (section, title) in enumerate(titles):
        rng = random.Random(number)
        sentences = [s.format(topic=title) for s in SENTENCES]
        body = [" ".join(rng.sample(sentences, 3)), ""]
        for heading in rng.sample(HEADINGS, 2 + number % 2):
            body += [f"## {heading}", "", " ".join(rng.sample(sentences, 3)), ""]
        body += ["Ota asiointiin mukaan:", "", *[f"- {item}" for item in rng.sample(LIST_ITEMS, 3)], ""]
        body.append(" ".join(rng.sample(sentences, 2)))
        out.append(ContentPage(number, section, title, sentences[0], "\n".join(body)))
    return out


def related(pages: list[ContentPage], page: ContentPage) -> list[ContentPage]:
    """Two other pages a page links to: earlier ones, so that page i links the same in every size."""
    return [pages[(page.index * 7 + 3) % max(1, page.index)], pages[(page.index * 3 + 1) % max(1, page.index)]]


# --- (a) stock mkdocs-material ----------------------------------------------------------------------


def stock_project(root: Path, pages: list[ContentPage]) -> None:
    docs = root / "docs"
    (docs).mkdir(parents=True)
    (root / "mkdocs.yml").write_text(
        "site_name: Mittakunta\ntheme:\n  name: material\n  language: fi\n  font: false\nplugins:\n  - search\n",
        "utf-8",
    )
    (docs / "index.md").write_text("# Mittakunta\n\nMittakunnan palvelut, ajankohtaiset asiat ja tapahtumat.\n")
    for section, (name, summary, _) in SECTIONS.items():
        (docs / section).mkdir()
        (docs / section / "index.md").write_text(f"# {name}\n\n{summary}\n", "utf-8")
    for page in pages:
        links = " ".join(f"[{o.title}](../{o.section}/{o.id}.md)" for o in related(pages, page) if o != page)
        text = f"# {page.title}\n\n{page.summary}\n\n{page.body}\n" + (f"\nLue myös: {links}\n" if links else "")
        (docs / page.section / f"{page.id}.md").write_text(text, "utf-8")


def stock_url(page: ContentPage) -> str:
    return f"{page.section}/{page.id}/"


# --- (b) Kuntasivu ----------------------------------------------------------------------------------


def yaml_block(text: str) -> str:
    return "\n".join("  " + line if line else "" for line in text.splitlines())


def kuntasivu_project(root: Path, pages: list[ContentPage]) -> None:
    for name in ("site_src", "themes"):
        shutil.copytree(ROOT / name, root / name)
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    (root / "node_modules").symlink_to(ROOT / "node_modules")
    folder = root / "municipalities" / SLUG
    (folder / "pages").mkdir(parents=True)
    shutil.copytree(ROOT / "tests" / "fixtures" / "municipalities" / "pieni" / "assets", folder / "assets")
    for page in pages:
        links = " ".join(f"[{o.title}](page:{o.id})" for o in related(pages, page) if o != page)
        body = page.body + (f"\n\nLue myös: {links}" if links else "")
        (folder / "pages" / f"{page.id}.yml").write_text(
            f"id: {page.id}\nsection: {page.section}\ntitle: {page.title}\nsummary: {page.summary}\n"
            f"order: {page.index}\nbody: |\n{yaml_block(body)}\n",
            "utf-8",
        )
    nav = "\n".join(
        f"  - id: {s}\n    title: {name}\n    summary: {summary}" for s, (name, summary, _) in SECTIONS.items()
    )
    (folder / "site.yml").write_text(
        f"""name: Mittakunta
languages: [fi]
site_url: https://www.mittakunta.fi/
description: Mittakunnan palvelut, ajankohtaiset asiat ja tapahtumat.
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
navigation:
{nav}
top_tasks:
  - page: {pages[0].id}
accessibility:
  email: kirjaamo@mittakunta.fi
""",
        "utf-8",
    )


def kuntasivu_url(page: ContentPage) -> str:
    return f"{page.section}/{page.id}/"


def run(command: list[str], cwd: Path) -> float:
    """Runs a build; its wall time. Stops the benchmark if it fails."""
    started = time.monotonic()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, env=env)
    if result.returncode != 0:
        sys.exit(f"{' '.join(command[:4])} … failed (exit {result.returncode}):\n{result.stderr[-3000:]}")
    return time.monotonic() - started


def build_kuntasivu(root: Path, slugs: list[str], work: Path) -> float:
    """``kuntasivu build`` in project ``root`` into ``work``/public, with reports and cache in ``work``."""
    command = [sys.executable, "-m", "kuntasivu.cli", "build", *slugs, "--checks", "static", "--today", TODAY]
    outputs = ["--out", str(work / "public"), "--reports", str(work / "reports"), "--cache-dir", str(work / "cache")]
    return run([*command, *outputs], root)


# --- measuring in Chromium ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Load:
    """One page's first load as Chromium made it."""

    url: str
    requests: int
    size: int
    html: int
    """The page's HTML, uncompressed."""
    largest: str


def transfer_size(body: bytes, content_type: str) -> int:
    if content_type.split(";")[0].strip() in COMPRESSED_TYPES:
        return len(body)
    return len(gzip.compress(body, compresslevel=GZIP_LEVEL, mtime=0))


class Chromium:
    """One tab of Debian's Chromium with its HTTP cache cleared before and disabled during each
    load: every load is a first visit (cheaper than a new browser context per page)."""

    def __init__(self) -> None:
        from playwright.sync_api import sync_playwright

        self._playwright = sync_playwright().start()
        executable = Tools.find(ROOT).require_chromium()
        self.browser = self._playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        self.version = self.browser.version
        self.context = self.browser.new_context()
        self.responses: list[Any] = []
        # The context's events include what the page's workers fetch (stock's search index).
        self.context.on("response", lambda response: self.responses.append(response))
        self.page = self.context.new_page()
        self.cdp = self.context.new_cdp_session(self.page)
        self.cdp.send("Network.enable")
        self.cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})

    def load(self, url: str) -> Load:
        """``url`` as a first visit, until the network has been idle for 500 ms."""
        self.page.goto("about:blank")
        self.cdp.send("Network.clearBrowserCache")
        self.responses.clear()
        self.page.goto(url, wait_until="networkidle")
        sizes: dict[str, int] = {}
        html = 0
        for response in self.responses:
            try:
                body = response.body()
            except Exception:  # a redirect or a request cut off: no body, still a request
                body = b""
            sizes[response.url] = transfer_size(body, response.headers.get("content-type", ""))
            if response.url == url:
                html = len(body)
        largest = max(sizes, key=lambda address: sizes[address])
        return Load(
            url,
            len(self.responses),
            sum(sizes.values()),
            html,
            f"{largest.rsplit('/', 1)[-1]} {sizes[largest] / KB:.1f}",
        )

    def close(self) -> None:
        self.browser.close()
        self._playwright.stop()


def budgets() -> tuple[Budget, Budget]:
    """The budgets as the build applies them: the plugin's settings in mkdocs.yml, or their defaults."""
    with tempfile.TemporaryDirectory() as scratch:
        config = mkdocs_config(ROOT, ROOT / "municipalities" / "karvia", Path(scratch))
    options = config.plugins["kuntasivu"].config
    return (
        Budget(options.budget_kb, options.budget_requests),
        Budget(options.map_budget_kb, options.map_budget_requests, "map page budget"),
    )


def within(budget: Budget, size: int, requests: int) -> bool:
    return size <= budget.kb * KB and requests <= budget.requests


# --- the two modes ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Site:
    name: str
    pages: int
    seconds: float
    loads: list[Load]
    built: list[tuple[int, int]]
    """The build's own measure (weight.py) of the same pages: (bytes, requests); empty for stock."""


def compare(chromium: Chromium, tmp: Path, budget: Budget) -> int:
    sites: dict[tuple[str, int], Site] = {}
    for size in SIZES:
        pages = content(size)
        samples = [pages[i] for i in SAMPLES]
        stock = tmp / f"stock-{size}"
        stock_project(stock, pages)
        print(f"building stock mkdocs-material, {size} pages…", file=sys.stderr)
        seconds = run([sys.executable, "-m", "mkdocs", "build", "--quiet"], stock)
        with serve(stock / "site") as base:
            loads = [chromium.load(base + stock_url(page)) for page in samples]
        sites["stock", size] = Site("stock mkdocs-material", size, seconds, loads, [])
        project = tmp / f"kuntasivu-{size}"
        kuntasivu_project(project, pages)
        print(f"building Kuntasivu, {size} pages…", file=sys.stderr)
        seconds = build_kuntasivu(project, [SLUG], project / "work")
        site_dir = project / "work" / "public" / SLUG
        with serve(site_dir) as base:
            loads = [chromium.load(base + kuntasivu_url(page)) for page in samples]
        files = SiteFiles.for_site_url(site_dir, "https://www.mittakunta.fi/")
        measured = [measure_page(files, site_dir / kuntasivu_url(page) / "index.html") for page in samples]
        sites["kuntasivu", size] = Site("Kuntasivu", size, seconds, loads, [(m.size, m.requests) for m in measured])

    def row(label: str, value: Any) -> str:
        cells = [value(sites[tool, size]) for tool in ("stock", "kuntasivu") for size in SIZES]
        return f"{label:<30}" + "".join(f"{cell:>14}" for cell in cells)

    growth = {
        tool: mean(x.html for x in sites[tool, 200].loads) / mean(x.html for x in sites[tool, 50].loads)
        for tool in ("stock", "kuntasivu")
    }
    print(
        f"\nSame generated Finnish content, {len(SAMPLES)} sample content pages per site, "
        f"Chromium {chromium.version}, gzip level {GZIP_LEVEL}, 1 KB = {KB} bytes\n"
    )
    print(f"{'':<30}{'stock 50':>14}{'stock 200':>14}{'Kuntasivu 50':>14}{'Kuntasivu 200':>14}")
    print(row("build, s", lambda s: f"{s.seconds:.2f}"))
    print(row("first load, KB gzip (mean)", lambda s: f"{mean(x.size for x in s.loads) / KB:.1f}"))
    print(row("requests (mean)", lambda s: f"{mean(x.requests for x in s.loads):.1f}"))
    print(row("page HTML, KB (mean)", lambda s: f"{mean(x.html for x in s.loads) / KB:.1f}"))
    print(f"{'HTML growth 50 → 200':<30}{growth['stock']:>27.2f}×{growth['kuntasivu']:>27.2f}×")
    print("(Kuntasivu's build time includes its own accessibility checks and the second build with the statement)")

    print(f"\nKuntasivu sample pages against the budget ({budget.describe()}); in brackets the build's own measure:")
    failed = False
    for size in SIZES:
        site = sites["kuntasivu", size]
        for load, (built_size, built_requests) in zip(site.loads, site.built, strict=True):
            ok = within(budget, load.size, load.requests) and within(budget, built_size, built_requests)
            failed |= not ok
            path = load.url.split("/", 3)[3]
            print(
                f"  {size:>3} pages  {path:<48} {load.size / KB:5.1f} KB {load.requests:>2} requests "
                f"({built_size / KB:5.1f} KB, {built_requests} requests)  largest {load.largest} KB  "
                f"{'within budget' if ok else 'OVER BUDGET'}"
            )
    growth_met = growth["kuntasivu"] <= GROWTH_TARGET
    print(f"\nevery sample content page within budget: {'met' if not failed else 'NOT met'}")
    print(
        f"HTML growth 50 → 200 ≤ {GROWTH_TARGET}: {growth['kuntasivu']:.2f}× — {'met' if growth_met else 'NOT met'} "
        f"(stock {growth['stock']:.2f}×)"
    )
    return 0 if not failed and growth_met else 1


def sample_sites(chromium: Chromium, tmp: Path, budget: Budget, map_budget: Budget) -> int:
    municipalities = sorted(p.name for p in (ROOT / "municipalities").iterdir() if (p / "site.yml").is_file())
    out = tmp / "public"
    print(f"building {', '.join(municipalities)}…", file=sys.stderr)
    seconds = build_kuntasivu(ROOT, municipalities, tmp)
    print(f"built in {seconds:.1f} s\n")
    print(
        f"Content pages of the sample sites, Chromium {chromium.version}; budget {budget.describe()}, "
        f"pages with the feedback map {map_budget.describe()}; in brackets the build's own measure\n"
    )
    failed = 0
    for slug_ in municipalities:
        site_dir = out / slug_
        files = SiteFiles.for_site_url(site_dir, "https://example.invalid/")
        content_pages = []
        for path in sorted(site_dir.rglob("index.html")):
            html = path.read_text("utf-8")
            if any(f'<body data-kind="{kind}"' in html for kind in CONTENT_KINDS):
                content_pages.append((path, MAP_MARKER in html))
        with serve(site_dir) as base:
            for path, has_map in content_pages:
                address = path.relative_to(site_dir).parent.as_posix() + "/"
                load = chromium.load(base + address)
                built = measure_page(files, path)
                limit = map_budget if has_map else budget
                ok = within(limit, load.size, load.requests) and limit.allows(built)
                failed += not ok
                print(
                    f"  {slug_:<11} {address:<52} {load.size / KB:5.1f} KB {load.requests:>2} requests "
                    f"({built.size / KB:5.1f} KB, {built.requests}){' map' if has_map else ''}  "
                    f"{'within budget' if ok else 'OVER BUDGET'}"
                )
    print(f"\n{failed} content pages over budget" if failed else "\nevery content page within its budget")
    return 1 if failed else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--samples", action="store_true", help="measure the six sample sites instead")
    args = parser.parse_args()
    budget, map_budget = budgets()
    chromium = Chromium()
    try:
        with tempfile.TemporaryDirectory(prefix="kuntasivu-weight-") as tmp:
            if args.samples:
                return sample_sites(chromium, Path(tmp), budget, map_budget)
            return compare(chromium, Path(tmp), budget)
    finally:
        chromium.close()


if __name__ == "__main__":
    sys.exit(main())
