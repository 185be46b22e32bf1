"""Heading levels inside Markdown bodies.

The page's title is its only level-1 heading (the theme writes it), so a body starts at ``##`` and
goes down one level at a time: screen reader users move by headings and a skipped level makes them
think they missed a part (WCAG 1.3.1, 2.4.6).
"""

from __future__ import annotations

from . import markdown
from .context import LintContext
from .texts import texts

CODE = "heading-level"


def check(ctx: LintContext) -> None:
    for text in texts(ctx.content):
        if not text.is_markdown:
            continue
        previous = 1  # the page title
        for heading in markdown.headings(text.value):
            hashes = "#" * heading.level
            if heading.level == 1:
                ctx.at_text(
                    text,
                    heading.offset,
                    "error",
                    CODE,
                    f"heading '{heading.text}' is a level-1 heading, but the page title is the only one;"
                    " start it with ## instead",
                )
            elif heading.level > previous + 1:
                if previous == 1:
                    ctx.at_text(
                        text,
                        heading.offset,
                        "warning",
                        CODE,
                        f"the first heading '{heading.text}' is level {heading.level} ({hashes});"
                        " the text's headings should start at ##",
                    )
                else:
                    ctx.at_text(
                        text,
                        heading.offset,
                        "error",
                        CODE,
                        f"heading '{heading.text}' ({hashes}) skips a level after a level-{previous} heading;"
                        f" use {'#' * (previous + 1)}",
                    )
            previous = max(heading.level, 1)
