"""Image files far larger than the layout ever shows them.

The build makes smaller copies for screens (content/images.py), but the original is still stored,
copied and offered to the widest screens; a 6000-pixel camera photo also slows every build and
bloats the repository. Only the file headers are read (Pillow opens lazily), so this stays fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..content.images import CONTENT, DENSITY, HERO, PROSE, ImageError, Placement, image_size
from ..content.loading import Content, Sourced
from ..content.yamlsource import Path_
from . import markdown
from .context import LintContext
from .texts import images, texts

CODE = "image-size"
FAR_LARGER = 2
"""A file wider than this many times the widest copy the layout uses is 'far larger'."""
MAX_BYTES = 1_000_000
"""Files over this size (1 MB) slow builds and repository clones even when resized for screens."""
RASTER = frozenset({".jpg", ".jpeg", ".png", ".webp", ".gif", ".avif", ".tif", ".tiff", ".bmp"})


def _file(content: Content, source: Sourced[Any], src: str) -> Path:
    shared = not source.path.is_relative_to(content.municipality_dir)
    return (content.shared_dir if shared else content.municipality_dir) / src


def _check_file(ctx: LintContext, report: Any, path: Path, placement: Placement) -> None:
    if path.suffix.lower() not in RASTER or not path.is_file():
        return  # SVG scales by itself; a missing file is the loader's error
    widest = placement.css_px * DENSITY
    try:
        width = image_size(path).width
    except ImageError:
        return  # the build reports an unreadable image with its own message
    if width > FAR_LARGER * widest:
        report(
            f"{path.name} is {width} px wide, but the layout shows it at most {placement.css_px} px wide"
            f" ({widest} px on sharp screens); resize it to at most {widest} px wide"
        )
    size = path.stat().st_size
    if size > MAX_BYTES:
        report(
            f"{path.name} is {size / 1_000_000:.1f} MB (over {MAX_BYTES // 1_000_000} MB); resize it to at most"
            f" {widest} px wide and save it as JPEG at about 80 % quality"
        )


def check(ctx: LintContext) -> None:
    content = ctx.content
    for source, path, image in images(content):
        placement = HERO if path == ("hero", "image") else CONTENT
        where: Path_ = (*path, "src")

        def report(message: str, source: Sourced[Any] = source, where: Path_ = where) -> None:
            ctx.at_source(source, where, "warning", CODE, message)

        _check_file(ctx, report, _file(content, source, image.src), placement)
    for text in texts(content):
        if not text.is_markdown:
            continue
        for line in markdown.lines(text.value):
            for match in markdown.IMAGE.finditer(line.text):
                src = match.group("src")
                if not src.startswith("assets/"):
                    continue
                offset = line.offset + match.start()

                def report_md(message: str, text: Any = text, offset: int = offset) -> None:
                    ctx.at_text(text, offset, "warning", CODE, message)

                _check_file(ctx, report_md, _file(content, text.source, src), PROSE)
