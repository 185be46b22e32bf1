"""Alt texts that do not tell what an image shows: 'kuva', a file name, or a whole essay.

A screen reader reads the alt text in place of the image: "kuva" or "IMG_1234.jpg" says nothing,
and a very long one is tiring to listen to (put long descriptions in the text itself).
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from . import markdown
from .context import LintContext
from .texts import images, split_text, texts

CODE = "alt-text"
MAX_ALT = 150
"""Longer alt texts are hard to listen to; screen reader guidance (e.g. WebAIM) suggests ~150 characters."""
USELESS = frozenset(
    {"kuva", "image", "bild", "photo", "kuvituskuva", "picture", "foto", "valokuva", "img", "illustration", "logo"}
)
"""Alt texts that only say there is an image (the screen reader says that already)."""
_FILE_NAME = re.compile(
    r"\.(jpe?g|png|gif|webp|avif|svg|tiff?|bmp|heic)$"
    r"|^(img|dsc[nf]?|pxl|mvimg|image|photo|kuva)[_-]?[0-9][0-9_-]*(\.mp)?$|^p[0-9]{7}$",
    re.I,
)
"""A file name, or what cameras and phones name their pictures: IMG_1234, IMG_20240612_101500, PXL_…, DSC01234."""
_MADE_BY_MACHINE = re.compile(r"[0-9_]")
"""An alt text equal to a file's name is one only when the name looks made by a machine (uimahalli_2):
a plain word (alt 'Uimaranta' for uimaranta.jpg) may well be what the image shows."""


def _normal(text: str) -> str:
    return re.sub(r"[\W_]+", " ", text.lower()).strip()


def problem(alt: str, src: str) -> tuple[str, str] | None:
    """(level, what is wrong and how to fix it) for the alt text of image ``src``, or None."""
    stripped = alt.strip()
    if not stripped:
        return "error", (
            "the image has no alt text; say what it shows, or mark it decorative if it adds nothing to the text"
        )
    if _normal(stripped) in USELESS:
        return "error", f"alt text '{stripped}' only says there is an image; say what the image shows"
    stem = PurePosixPath(src).stem
    same_as_stem = bool(stem) and _normal(stripped) == _normal(stem) and _MADE_BY_MACHINE.search(stem) is not None
    if _FILE_NAME.search(stripped) or same_as_stem:
        return "error", f"alt text '{stripped}' is a file name; say what the image shows"
    if len(stripped) > MAX_ALT:
        return "warning", (
            f"alt text is {len(stripped)} characters long (over {MAX_ALT}); keep it short and put a longer"
            " description in the text"
        )
    return None


def check(ctx: LintContext) -> None:
    for source, path, image in images(ctx.content):
        if image.alt is None:
            continue  # decorative: the loader has made sure that is what was meant
        for text in split_text(ctx.content, source, (*path, "alt"), image.alt, image):
            found = problem(text.value, image.src)
            if found is not None:
                level, message = found
                ctx.at_text(text, 0, "error" if level == "error" else "warning", CODE, message)
    for text in texts(ctx.content):
        if not text.is_markdown:
            continue
        for line in markdown.lines(text.value):
            for match in markdown.IMAGE.finditer(line.text):
                found = problem(match.group("alt"), match.group("src"))
                if found is not None:
                    level, message = found
                    ctx.at_text(
                        text, line.offset + match.start(), "error" if level == "error" else "warning", CODE, message
                    )


__all__ = ["CODE", "check", "problem"]
