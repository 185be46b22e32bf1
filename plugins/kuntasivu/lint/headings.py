"""Heading levels inside Markdown bodies, judged as the build's heading-order check judges the page.

The page's title is its only level-1 heading (the theme writes it), so a body starts at ``##`` and
goes down one level at a time; a FAQ answer sits under the FAQ block's level-2 heading. Screen
reader users move by headings and a skipped level makes them think they missed a part (WCAG 1.3.1,
2.4.6), so the build refuses it and lint reports it as an error. Each FAQ answer is judged on its
own, under the block's heading: the build reads the answers one after another, so '####' in the
second after '###' in the first passes there, but a reader who opens only the second meets a
skipped level.
"""

from __future__ import annotations

from ..content.model import FaqItem
from . import markdown
from .context import LintContext
from .texts import texts

CODE = "heading-level"


def check(ctx: LintContext) -> None:
    for text in texts(ctx.content):
        if not text.is_markdown:
            continue
        # What the theme puts above the text: the FAQ block's heading, or the page title.
        above, what = (2, "the FAQ block's heading") if isinstance(text.owner, FaqItem) else (1, "the page title")
        previous, seen = above, False
        for heading in markdown.headings(text.value):
            hashes = "#" * heading.level
            if heading.level == 1:
                message = (
                    f"heading '{heading.text}' is a level-1 heading, but the page title is the only one;"
                    " start it with ## instead"
                )
                ctx.at_text(text, heading.offset, "error", CODE, message)
            elif heading.level > previous + 1:
                after = f"a level-{previous} heading" if seen else f"{what} (level {above})"
                message = f"heading '{heading.text}' ({hashes}) skips a level after {after}; use {'#' * (previous + 1)}"
                ctx.at_text(text, heading.offset, "error", CODE, message)
            previous, seen = max(heading.level, 1), True
