"""A code block in a text (fenced code is a Markdown extension of the build) at 400 % zoom.

In its own module: test_browser.py drives Chromium through its own Playwright, and a second
one in the same module cannot start while that one runs."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Browser

ROOT = Path(__file__).resolve().parents[2]
NARROW = {"width": 320, "height": 640}
"""1280 CSS px at 400 % zoom."""


def test_a_code_block_in_a_text_wraps_at_320px(browser: Browser) -> None:
    # No sample page has one; a text may.
    page = browser.new_page(viewport=NARROW)
    try:
        line = "kuntasivu build karvia --today 2026-11-26 --out public --reports reports " * 3
        page.set_content(f'<main class="prose"><p>Komento:</p><pre><code>{line}</code></pre></main>')
        page.add_style_tag(path=str(ROOT / "themes" / "kunta" / "assets" / "base.css"))
        widths = page.evaluate(
            "() => { const pre = document.querySelector('pre');"
            " return [pre.scrollWidth, pre.clientWidth, document.documentElement.scrollWidth]; }"
        )
        assert widths[0] <= widths[1] and widths[2] <= NARROW["width"], widths
    finally:
        page.close()
