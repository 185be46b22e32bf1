"""The theme's WCAG 2.2 AA promises, each checked in headless Chromium on real built pages.

Three sample sites are built once (own static checks only, so the build is quick) and each is
served at the root of its own local port; one browser serves the whole module. Every check
drives the page as a person would: with the Tab and Enter keys, at 320 CSS px, with text
spacing overridden, with reduced motion requested and with JavaScript off. The pages are a
representative set per site: home, a section, a service page with blocks, news and events
(list and item), contact, the accessibility statement and the 404 page (at an unknown
address); pomarkku shows an alert banner and lohja is bilingual (fi/sv).

Walking a page with Tab is the slow part, so each page is walked once per viewport and the
tests that read the walk (skip link, focus shown and not covered, focus contrast) share it.

Focus indicators are measured the way WCAG 2.4.11 and 1.4.11 describe: the same area is
captured unfocused and focused, and the changed pixels must contrast at least 3:1 with the
pixels they replaced. The PNGs are decoded on a canvas in the same browser, so no imaging
library is needed.
"""

from __future__ import annotations

import functools
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 800}
NARROW = {"width": 320, "height": 640}

NOT_FOUND = "ei-ole/olemassa/"  # any unknown address: the server answers 404 with the site's 404.html

# Home, section, service page with blocks, news list and item, events list and item, contact,
# accessibility statement, 404. Lohja adds Swedish pages.
SITES: dict[str, list[str]] = {
    "kankaanpaa": [
        "",
        "vapaa-aika/",
        "vapaa-aika/kirjasto/",  # opening hours, contact card, FAQ
        "ajankohtaista/",
        "ajankohtaista/2026-11-vesikatko-keskustassa/",
        "tapahtumat/",
        "tapahtumat/2027-02-talvirieha/",
        "yhteystiedot/",
        "saavutettavuusseloste/",
        NOT_FOUND,
    ],
    "lohja": [
        "",
        "asuminen/",
        "asuminen/jatehuolto/",  # contact card, FAQ
        "ajankohtaista/",
        "ajankohtaista/2026-11-vesikatko-virkkalassa/",
        "tapahtumat/",
        "tapahtumat/2027-02-talvipaiva-lohjanjarven-jaalla/",
        "yhteystiedot/",
        "saavutettavuusseloste/",
        NOT_FOUND,
        "sv/",
        "sv/boende/avfallshantering/",
        "haku/",  # the search page (its form in <main>, none in the header)
    ],
    "pomarkku": [  # alert banner on every page
        "",
        "vapaa-aika/",
        "vapaa-aika/kirjasto/",  # opening hours, contact card
        "ajankohtaista/",
        "ajankohtaista/2026-11-kirjaston-aukiolo-joulu/",
        "tapahtumat/",
        "tapahtumat/2027-02-hiihtotapahtuma/",
        "yhteystiedot/",
        "saavutettavuusseloste/",
        NOT_FOUND,
    ],
}
PAGES = [f"{site}/{path}" for site, paths in SITES.items() for path in paths]

# WCAG 1.4.12: the user's text spacing, which must not clip or hide any text.
TEXT_SPACING = """
* { line-height: 1.5 !important; letter-spacing: 0.12em !important; word-spacing: 0.16em !important; }
p { margin-bottom: 2em !important; }
"""

# --- what the page reports about itself ---------------------------------------------------

# The focused element: where it is, what is drawn at its centre, and a signature (element and
# the classes around it) so that elements styled alike are measured once per site.
FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const describe = (node) => {
    let text = node.tagName.toLowerCase();
    if (node.id) text += '#' + node.id;
    if (node.classList.length) text += '.' + [...node.classList].join('.');
    const label = (node.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 40);
    return label ? `${text} "${label}"` : text;
  };
  const rects = [...el.getClientRects()].filter((r) => r.width > 0 && r.height > 0);
  const box = el.getBoundingClientRect();
  const largest = rects.reduce((a, r) => (r.width * r.height > a.width * a.height ? r : a), rects[0] || box);
  const x = largest.left + largest.width / 2, y = largest.top + largest.height / 2;
  const hit = document.elementFromPoint(x, y);
  // How far the focus indicator reaches outside the border box: outline and outer box shadows.
  const style = getComputedStyle(el);
  let ring = style.outlineStyle === 'none' ? 0 : parseFloat(style.outlineWidth) + parseFloat(style.outlineOffset);
  for (const shadow of style.boxShadow === 'none' ? [] : style.boxShadow.split(/,(?![^(]*\\))/)) {
    if (shadow.includes('inset')) continue;
    const [dx = 0, dy = 0, blur = 0, spread = 0] = (shadow.match(/-?[\\d.]+px/g) || []).map(parseFloat);
    ring = Math.max(ring, Math.max(Math.abs(dx), Math.abs(dy)) + blur + spread);
  }
  const context = [];
  for (let node = el.parentElement; node && node !== document.body; node = node.parentElement) {
    if (node.classList.length) context.push([...node.classList].join('.'));
  }
  return {
    index: [...document.getElementsByTagName('*')].indexOf(el),
    tag: el.tagName.toLowerCase(),
    name: describe(el),
    href: el.href || null,
    focusVisible: el.matches(':focus-visible'),
    box: {x: box.left, y: box.top, width: box.width, height: box.height},
    ring: {x: box.left - ring, y: box.top - ring, width: box.width + 2 * ring, height: box.height + 2 * ring},
    viewport: {width: innerWidth, height: innerHeight},
    point: {x, y},
    hit: hit ? describe(hit) : null,
    covered: !(hit && (hit === el || el.contains(hit))),
    inMainNav: !!el.closest('.main-nav'),
    inLanguages: !!el.closest('.language-switcher'),
    signature: [el.tagName, [...el.classList].join('.'), style.display, ...context].join('|'),
  };
}"""

# Centre one element in view and focus it by script (after a key press, so :focus-visible applies
# as it does for Tab); the area to capture is its boxes padded by 8 px, in page coordinates.
FOCUS_BY_INDEX = """(index) => {
  const el = document.getElementsByTagName('*')[index];
  if (document.activeElement) document.activeElement.blur();
  el.scrollIntoView({block: 'center', inline: 'nearest'});
  el.focus({preventScroll: true});
  const rects = [...el.getClientRects()].filter((r) => r.width > 0 && r.height > 0);
  const pad = 8;
  const left = Math.floor(Math.max(0, Math.min(...rects.map((r) => r.left)) - pad));
  const top = Math.floor(Math.max(0, Math.min(...rects.map((r) => r.top)) - pad));
  const right = Math.ceil(Math.min(innerWidth, Math.max(...rects.map((r) => r.right)) + pad));
  const bottom = Math.ceil(Math.min(innerHeight, Math.max(...rects.map((r) => r.bottom)) + pad));
  return {
    focusVisible: el.matches(':focus-visible'),
    perimeter: rects.reduce((sum, r) => sum + 2 * (r.width + r.height), 0),
    clip: {x: left + scrollX, y: top + scrollY, width: right - left, height: bottom - top, scale: 1},
  };
}"""

# Two same-sized PNGs (unfocused, focused), decoded on a canvas: how many pixels changed, and how
# many of those contrast at least 3:1 (WCAG relative luminance) with the pixel they replaced.
COMPARE_PIXELS = """async ([before, after]) => {
  const decode = (data) => new Promise((resolve, reject) => {
    const image = new Image();
    image.onload = () => {
      const canvas = document.createElement('canvas');
      canvas.width = image.width;
      canvas.height = image.height;
      const context = canvas.getContext('2d');
      context.drawImage(image, 0, 0);
      resolve(context.getImageData(0, 0, image.width, image.height).data);
    };
    image.onerror = reject;
    image.src = 'data:image/png;base64,' + data;
  });
  const [a, b] = await Promise.all([decode(before), decode(after)]);
  const channel = (v) => (v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  const luminance = (d, i) => 0.2126 * channel(d[i]) + 0.7152 * channel(d[i + 1]) + 0.0722 * channel(d[i + 2]);
  let changed = 0, contrasting = 0;
  for (let i = 0; i < a.length; i += 4) {
    if (a[i] === b[i] && a[i + 1] === b[i + 1] && a[i + 2] === b[i + 2]) continue;
    changed += 1;
    const la = luminance(a, i), lb = luminance(b, i);
    if ((Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05) >= 3) contrasting += 1;
  }
  return {changed, contrasting};
}"""

# WCAG 2.5.8: every target is 24 × 24 CSS px, or a 24 px circle centred on it touches no other
# target and no other undersized target's circle; links in a sentence are exempt (inline).
TARGET_SIZE = """() => {
  const selector = 'a[href], button, summary, input:not([type=hidden]), select, textarea';
  const describe = (node) => {
    const label = (node.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 40);
    return `${node.tagName.toLowerCase()}${node.className ? '.' + node.className : ''} "${label}"`;
  };
  const shown = (el) => {
    const r = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    const onPage = r.bottom + scrollY > 0 && r.right + scrollX > 0;  // not moved off the page
    return r.width > 1 && r.height > 1 && style.visibility !== 'hidden' && onPage;
  };
  const inSentence = (el) => {
    if (el.tagName !== 'A' || getComputedStyle(el).display !== 'inline') return false;
    const block = el.closest('p, li, dd, dt, td, th, figcaption, blockquote');
    if (!block) return false;
    const links = [...block.querySelectorAll('a')];
    const own = links.reduce((text, a) => text.replace(a.textContent, ''), block.textContent);
    return own.replace(/[\\s,.;:()–-]/g, '').length > 0;
  };
  const targets = [...document.querySelectorAll(selector)].filter(shown).map((el) => {
    const r = el.getBoundingClientRect();
    return {
      el, name: describe(el), inline: inSentence(el),
      rects: [...el.getClientRects()].filter((q) => q.width > 0 && q.height > 0),
      width: r.width, height: r.height, cx: r.left + r.width / 2, cy: r.top + r.height / 2,
    };
  });
  const tolerance = 0.5;
  for (const t of targets) t.small = t.width < 24 - tolerance || t.height < 24 - tolerance;
  const distanceToRect = (x, y, r) => {
    const dx = Math.max(r.left - x, 0, x - r.right), dy = Math.max(r.top - y, 0, y - r.bottom);
    return Math.hypot(dx, dy);
  };
  const problems = [];
  for (const t of targets) {
    if (!t.small || t.inline) continue;
    for (const u of targets) {
      if (u === t || u.el.contains(t.el) || t.el.contains(u.el)) continue;
      const touches = u.rects.some((r) => distanceToRect(t.cx, t.cy, r) < 12 - tolerance);
      const circles = u.small && !u.inline && Math.hypot(t.cx - u.cx, t.cy - u.cy) < 24 - tolerance;
      if (touches || circles) {
        problems.push(`${t.name} is ${t.width.toFixed(1)}×${t.height.toFixed(1)} px and too close to ${u.name}`);
        break;
      }
    }
  }
  return problems;
}"""

# WCAG 1.4.12: elements that clip their content and have more content than room.
CLIPPED = """() => {
  const problems = [];
  for (const el of document.body.getElementsByTagName('*')) {
    const style = getComputedStyle(el);
    const clips = (v) => v === 'hidden' || v === 'clip';
    if (!clips(style.overflowX) && !clips(style.overflowY)) continue;
    const r = el.getBoundingClientRect();
    if (r.width <= 1 || r.height <= 1 || style.clipPath !== 'none') continue;  // visually hidden text
    const tall = clips(style.overflowY) && el.scrollHeight > el.clientHeight + 1;
    const wide = clips(style.overflowX) && el.scrollWidth > el.clientWidth + 1;
    if (tall || wide) {
      const sizes = `${el.scrollWidth}×${el.scrollHeight} in ${el.clientWidth}×${el.clientHeight}`;
      problems.push(`${el.tagName.toLowerCase()}.${el.className}: ${sizes}`);
    }
  }
  return problems;
}"""

# WCAG 2.3.3 / prefers-reduced-motion: nothing animates or transitions, on elements or their
# ::before/::after boxes.
MOTION = """() => {
  const problems = document.getAnimations().map((a) => `running ${a.constructor.name} on ${a.effect?.target?.tagName}`);
  // 'auto' is 0s for CSS animations (CSS Animations 2)
  const zero = (value) => value.split(',').every((v) => v.trim() === 'auto' || parseFloat(v) === 0);
  for (const el of document.getElementsByTagName('*')) {
    for (const pseudo of [null, '::before', '::after']) {
      const style = getComputedStyle(el, pseudo);
      const where = el.tagName.toLowerCase() + (el.className ? '.' + el.className : '') + (pseudo || '');
      if (!zero(style.transitionDuration)) problems.push(`${where}: transition-duration ${style.transitionDuration}`);
      if (!zero(style.animationDuration)) problems.push(`${where}: animation-duration ${style.animationDuration}`);
    }
  }
  return problems;
}"""


# What a reader sees of the page: the h1's text if shown, and whether each navigation and
# footer link is shown.
RENDERED = """() => {
  const shown = (el) => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden';
  };
  return {
    h1: [...document.querySelectorAll('h1')].map((h) => (shown(h) ? h.textContent.trim() : '')),
    nav: [...document.querySelectorAll('.main-nav a')].map(shown),
    footer: [...document.querySelectorAll('footer a')].map(shown),
  };
}"""


# --- serving and browsing ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def site_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample sites, built with the own static checks only (the whole gate is tested elsewhere)."""
    work = tmp_path_factory.mktemp("browser")
    out = work / "public"
    command = [sys.executable, "-m", "kuntasivu.cli", "build", *SITES, "--checks", "static"]
    command += ["--today", "2026-11-26", "--out", str(out), "--reports", str(work / "reports")]
    command += ["--cache-dir", str(work / "cache")]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    return out


class _SiteHandler(SimpleHTTPRequestHandler):
    """Static files; an unknown address gets the site's 404.html with status 404, as in hosting."""

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code != 404 or self.command != "GET" or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def site_urls(site_root: Path) -> Iterator[dict[str, str]]:
    """Each site served at the root of its own port: 404.html refers to /assets/… from any depth."""
    servers = [
        ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_SiteHandler, directory=str(site_root / site)))
        for site in SITES
    ]
    threads = [threading.Thread(target=server.serve_forever, daemon=True) for server in servers]
    for thread in threads:
        thread.start()
    try:
        yield {
            site: f"http://127.0.0.1:{server.server_address[1]}/" for site, server in zip(SITES, servers, strict=True)
        }
    finally:
        for server, thread in zip(servers, threads, strict=True):
            server.shutdown()
            server.server_close()
            thread.join()


MODES: dict[str, dict[str, Any]] = {
    "desktop": {"viewport": DESKTOP},
    "narrow": {"viewport": NARROW},  # 1280 px at 400 % zoom
    "reduced-motion": {"viewport": DESKTOP, "reduced_motion": "reduce"},
    "no-js": {"viewport": DESKTOP, "java_script_enabled": False},
}


class Web:
    """One browser for the module, one reusable tab per mode, and what each page reported."""

    def __init__(self, browser: Browser, urls: dict[str, str]) -> None:
        self.browser = browser
        self.urls = urls
        self.tabs: dict[str, Page] = {}
        self.reports: dict[tuple[str, str], dict[str, Any]] = {}

    def url(self, path: str) -> str:
        site, _, rest = path.partition("/")
        return self.urls[site] + rest

    def tab(self, mode: str) -> Page:
        if mode not in self.tabs:
            context = self.browser.new_context(device_scale_factor=1, **MODES[mode])
            self.tabs[mode] = context.new_page()
        return self.tabs[mode]

    def open(self, path: str, mode: str = "desktop") -> Page:
        page = self.tab(mode)
        response = page.goto(self.url(path))
        assert response is not None, path
        expected = 404 if path.endswith(NOT_FOUND) else 200
        assert response.status == expected, f"{path}: HTTP {response.status}"
        return page

    def report(self, path: str, mode: str) -> dict[str, Any]:
        """Measured once per page and mode; the tests below each assert one promise on it."""
        key = (path, mode)
        if key not in self.reports:
            measure = {"desktop": desktop_report, "narrow": narrow_tab_report}[mode]
            self.reports[key] = measure(self.open(path, mode))
        return self.reports[key]


@pytest.fixture(scope="module")
def web(site_urls: dict[str, str]) -> Iterator[Web]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield Web(browser, site_urls)
        finally:
            browser.close()


def tab_stops(page: Page, first: dict[str, Any]) -> list[dict[str, Any]]:
    """From the first Tab stop, press Tab until focus leaves the page or comes round again."""
    page.evaluate("(i) => document.getElementsByTagName('*')[i].focus()", first["index"])
    stops, seen = [first], {first["index"]}
    for _ in range(400):
        page.keyboard.press("Tab")
        stop = page.evaluate(FOCUSED)
        if stop is None or stop["index"] in seen:
            return stops
        seen.add(stop["index"])
        stops.append(stop)
    raise AssertionError(f"{page.url}: more than 400 Tab stops")


AFTER_MAIN = """() => {
  const main = document.querySelector('main'), el = document.activeElement;
  return main.contains(el) || !!(main.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING);
}"""


def desktop_report(page: Page) -> dict[str, Any]:
    """At 1280 px: skip link, every Tab stop, target sizes, then the text-spacing override."""
    page.keyboard.press("Tab")
    first = page.evaluate(FOCUSED)
    assert first is not None, f"{page.url}: Tab focuses nothing"
    main_focused = after_main = False
    if first["name"].startswith("a.skip-link"):  # Enter on anything else might leave the page
        page.keyboard.press("Enter")
        main_focused = page.evaluate("document.activeElement === document.querySelector('main')")
        page.keyboard.press("Tab")
        after_main = page.evaluate(AFTER_MAIN)
    report = {
        "first": first,
        "main_focused": main_focused,
        "tab_after_main": after_main,
        "stops": tab_stops(page, first),
    }
    page.evaluate("document.activeElement && document.activeElement.blur()")  # the skip link hides again
    report["targets"] = page.evaluate(TARGET_SIZE)
    spacing = page.add_style_tag(content=TEXT_SPACING)
    report["spacing_applied"] = page.evaluate("getComputedStyle(document.querySelector('h1')).wordSpacing") != "0px"
    report["spacing_clipped"] = page.evaluate(CLIPPED)
    report["spacing_width"] = page.evaluate("document.documentElement.scrollWidth")
    spacing.evaluate("(style) => style.remove()")
    # The same page narrowed to 320 px lays out as a fresh load at 320 px would (media queries
    # and all), and saves a page load.
    page.set_viewport_size(NARROW)
    report["narrow"] = narrow_report(page)
    page.set_viewport_size(DESKTOP)
    return report


def narrow_report(page: Page) -> dict[str, Any]:
    """At 320 px (1280 px at 400 % zoom): width and target sizes."""
    return {
        "width": page.evaluate("document.documentElement.scrollWidth"),
        "too_wide": page.evaluate(
            """() => [...document.body.getElementsByTagName('*')]
                 .filter((el) => el.getBoundingClientRect().right > innerWidth + 1)
                 .slice(0, 5).map((el) => el.tagName.toLowerCase() + '.' + el.className)"""
        ),
        "targets": page.evaluate(TARGET_SIZE),
    }


def narrow_tab_report(page: Page) -> dict[str, Any]:
    """At 320 px: every Tab stop, and how many links the main navigation and language switcher have."""
    page.keyboard.press("Tab")
    first = page.evaluate(FOCUSED)
    return {
        "stops": tab_stops(page, first) if first else [],
        "nav_links": page.locator(".main-nav a").count(),
        "language_links": page.locator(".language-switcher a").count(),
    }


def shown_in_viewport(stop: dict[str, Any]) -> bool:
    """The focused element and its focus indicator lie wholly within the viewport."""
    box, viewport = stop["ring"], stop["viewport"]
    return (
        stop["box"]["width"] > 0
        and stop["box"]["height"] > 0
        and box["x"] >= -0.5
        and box["y"] >= -0.5
        and box["x"] + box["width"] <= viewport["width"] + 0.5
        and box["y"] + box["height"] <= viewport["height"] + 0.5
    )


# --- 2.4.1 bypass blocks ------------------------------------------------------------------------


@pytest.mark.parametrize("path", PAGES)
def test_skip_link_is_first_tab_stop_visible_and_moves_focus_to_main(web: Web, path: str) -> None:
    report = web.report(path, "desktop")
    first = report["first"]
    assert first["name"].startswith("a.skip-link"), f"first Tab stop is {first['name']}"
    assert first["focusVisible"]
    assert shown_in_viewport(first), f"focused skip link drawn at {first['box']}"
    assert first["box"]["width"] >= 24 and first["box"]["height"] >= 24, first["box"]
    assert not first["covered"], f"skip link under {first['hit']}"
    assert report["main_focused"], "Enter on the skip link did not focus <main>"
    assert report["tab_after_main"], "Tab after the skip link went back above <main>"


# --- 2.4.7 / 2.4.11 / 1.4.11 focus visible, not obscured, with contrast ---------------------


@pytest.mark.parametrize("site", list(SITES))
def test_every_focus_indicator_contrasts_3_to_1_with_what_it_replaces(web: Web, site: str) -> None:
    """Each kind of Tab stop (element, classes and context) is measured once per site.

    The element's area, padded by 8 px, is captured focused and unfocused; among the changed
    pixels there must be at least as many with ≥ 3:1 contrast against the pixel they replaced
    as a solid 1 CSS px line round the element would have (WCAG 2.4.11 / 1.4.11).
    """
    page = web.tab("desktop")
    lab = page.context.new_page()  # decodes the PNGs; about:blank
    cdp = page.context.new_cdp_session(page)  # Playwright's own screenshot call is 4× slower

    def capture(clip: dict[str, float]) -> str:
        return cdp.send("Page.captureScreenshot", {"format": "png", "clip": clip, "optimizeForSpeed": True})["data"]

    measured: set[str] = set()
    problems: list[str] = []
    for path in (f"{site}/{p}" for p in SITES[site]):
        stops = []
        for stop in web.report(path, "desktop")["stops"]:
            if stop["signature"] not in measured:
                measured.add(stop["signature"])
                stops.append(stop)
        if not stops:
            continue
        web.open(path)
        page.keyboard.press("Tab")  # keyboard modality: focus() by script now shows :focus-visible
        for stop in stops:
            area = page.evaluate(FOCUS_BY_INDEX, stop["index"])
            assert area["focusVisible"], f"{path}: {stop['name']} does not match :focus-visible"
            focused = capture(area["clip"])
            page.evaluate("document.activeElement.blur()")
            pixels = lab.evaluate(COMPARE_PIXELS, [capture(area["clip"]), focused])
            if pixels["contrasting"] < area["perimeter"]:
                problems.append(
                    f"{path}: {stop['name']}: {pixels['contrasting']} of {pixels['changed']} changed pixels "
                    f"contrast ≥ 3:1, need {area['perimeter']:.0f}"
                )
    cdp.detach()
    lab.close()
    assert len(measured) > 10, f"only {len(measured)} kinds of Tab stop"
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("path", PAGES)
def test_focused_element_is_shown_and_never_covered(web: Web, path: str) -> None:
    stops = web.report(path, "desktop")["stops"]
    assert len(stops) > 5, f"only {len(stops)} Tab stops"
    covered = [f"{s['name']} under {s['hit']}" for s in stops if s["covered"]]
    outside = [f"{s['name']} with its focus indicator at {s['ring']}" for s in stops if not shown_in_viewport(s)]
    invisible = [s["name"] for s in stops if not s["focusVisible"]]
    assert not covered, "focused element covered:\n" + "\n".join(covered)
    assert not outside, "focused element or its indicator cut off by the viewport edge:\n" + "\n".join(outside)
    assert not invisible, "focused by Tab but not :focus-visible:\n" + "\n".join(invisible)


# --- 2.5.8 target size --------------------------------------------------------------------------


@pytest.mark.parametrize("path", PAGES)
def test_targets_are_24px_or_spaced(web: Web, path: str) -> None:
    problems = [f"1280 px: {p}" for p in web.report(path, "desktop")["targets"]]
    problems += [f"320 px: {p}" for p in web.report(path, "desktop")["narrow"]["targets"]]
    assert not problems, "\n".join(problems)


# --- 1.4.10 reflow and 1.4.12 text spacing ----------------------------------------------------


@pytest.mark.parametrize("path", PAGES)
def test_no_horizontal_scrolling_at_320px(web: Web, path: str) -> None:
    report = web.report(path, "desktop")["narrow"]
    assert report["width"] <= NARROW["width"], f"{report['width']} px wide at 320 px; too wide: {report['too_wide']}"


@pytest.mark.parametrize("path", PAGES)
def test_text_spacing_override_clips_nothing(web: Web, path: str) -> None:
    report = web.report(path, "desktop")
    assert report["spacing_applied"]
    assert not report["spacing_clipped"], "text clipped with increased spacing:\n" + "\n".join(
        report["spacing_clipped"]
    )
    assert report["spacing_width"] <= DESKTOP["width"], f"scrolls sideways: {report['spacing_width']} px"


# --- 2.3.3 prefers-reduced-motion ---------------------------------------------------------------


@pytest.mark.parametrize("path", PAGES)
def test_reduced_motion_means_no_animation_or_transition(web: Web, path: str) -> None:
    page = web.open(path, "reduced-motion")
    assert page.evaluate("matchMedia('(prefers-reduced-motion: reduce)').matches")
    for selector in (".main-nav a", "main a", "summary"):
        target = page.locator(selector)
        if target.count():
            target.first.hover()
    if page.locator("summary").count():
        page.locator("summary").first.click()
    for _ in range(4):
        page.keyboard.press("Tab")
    problems = page.evaluate(MOTION)
    assert not problems, "\n".join(problems[:20])


# --- 2.1.1 keyboard -----------------------------------------------------------------------------


def tab_to(page: Page, selector: str, limit: int = 200) -> dict[str, Any]:
    """Press Tab until the focused element matches `selector`; return what FOCUSED reports."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => !!document.activeElement && document.activeElement.matches(s)", selector):
            return page.evaluate(FOCUSED)
    raise AssertionError(f"{page.url}: Tab never reached {selector}")


@pytest.mark.parametrize("site", list(SITES))
def test_main_navigation_works_with_tab_and_enter(web: Web, site: str) -> None:
    page = web.open(f"{site}/")
    link = tab_to(page, ".main-nav a")
    title = page.evaluate("document.activeElement.textContent").strip()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == link["href"]
    assert page.locator("h1").inner_text() == title
    assert page.locator('.main-nav a[aria-current="page"]').inner_text() == title


def test_language_switcher_works_with_tab_and_enter(web: Web) -> None:
    page = web.open("lohja/asuminen/jatehuolto/")
    swedish = page.locator('link[rel="alternate"][hreflang="sv"]').get_attribute("href")
    assert swedish
    tab_to(page, '.language-switcher a[hreflang="sv"]')
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == web.url("lohja" + urlsplit(swedish).path)
    assert page.locator("html").get_attribute("lang") == "sv"
    # … and back to the same Finnish page.
    tab_to(page, '.language-switcher a[hreflang="fi"]')
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == web.url("lohja/asuminen/jatehuolto/")
    assert page.locator("html").get_attribute("lang") == "fi"


@pytest.mark.parametrize("path", ["kankaanpaa/vapaa-aika/kirjasto/", "lohja/asuminen/jatehuolto/"])
def test_faq_opens_and_closes_with_enter_and_space(web: Web, path: str) -> None:
    page = web.open(path)
    tab_to(page, ".faq summary")
    is_open = "document.activeElement.parentElement.open"
    assert page.evaluate(is_open) is False
    page.keyboard.press("Enter")
    assert page.evaluate(is_open) is True
    assert page.evaluate("document.activeElement.matches('.faq summary')"), "focus left the question"
    assert page.locator(".faq details[open] .faq__answer").first.is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate(is_open) is False
    page.keyboard.press("Space")
    assert page.evaluate(is_open) is True


# --- progressive enhancement --------------------------------------------------------------------


@pytest.mark.parametrize("site", list(SITES))
def test_pages_work_without_javascript(web: Web, site: str) -> None:
    for path in (f"{site}/{p}" for p in SITES[site]):
        page = web.open(path, "no-js")
        assert page.evaluate("matchMedia('(scripting: none)').matches"), "JavaScript is on"
        shown = page.evaluate(RENDERED)  # Playwright's own script still runs; the page's would not
        assert len(shown["h1"]) == 1 and shown["h1"][0], f"{path}: h1 {shown['h1']}"
        assert len(shown["nav"]) >= 3 and all(shown["nav"]), f"{path}: main navigation links shown {shown['nav']}"
        assert len(shown["footer"]) >= 3 and all(shown["footer"]), f"{path}: footer links shown {shown['footer']}"
    page = web.open(f"{site}/", "no-js")
    link = page.locator(".main-nav a").nth(1)
    title, href = link.inner_text(), link.get_attribute("href")
    with page.expect_navigation():
        link.click()
    assert page.url == urljoin(web.url(f"{site}/"), href)
    assert page.locator("h1").inner_text() == title


# --- 1.4.4 / 1.4.10 at 400 % zoom: 320 CSS px --------------------------------------------------


@pytest.mark.parametrize("path", ["kankaanpaa/", "lohja/asuminen/jatehuolto/", "lohja/sv/", "pomarkku/vapaa-aika/"])
def test_navigation_and_languages_reachable_by_tab_at_320px(web: Web, path: str) -> None:
    report = web.report(path, "narrow")
    stops = report["stops"]
    assert stops and stops[0]["name"].startswith("a.skip-link")
    reached_nav = [s for s in stops if s["inMainNav"]]
    reached_languages = [s for s in stops if s["inLanguages"]]
    assert len(reached_nav) == report["nav_links"] >= 3
    assert len(reached_languages) == report["language_links"] == (1 if path.startswith("lohja/") else 0)
    for stop in reached_nav + reached_languages:
        assert shown_in_viewport(stop), f"{stop['name']} with its focus indicator at {stop['ring']}"
        assert not stop["covered"], f"{stop['name']} under {stop['hit']}"
