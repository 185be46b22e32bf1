"""Images on pages: their size for the <img> width and height, and smaller copies for the screens
that need no more.

Every <img> gets the width and height of its file, so text does not jump while it loads. A
raster image wider than the theme ever shows it, at twice the CSS pixels for high-density
screens, gets resized copies (same format, never upscaled) listed in srcset with the sizes the
layout gives it; the browser picks the smallest that is sharp enough. Copies are kept in a
cache folder by the content hash of the original, so an unchanged image costs nothing on the
next build. Engine-neutral: the MkDocs adapter publishes ``Images.variants``.

When the original is wider than the widest copy any screen needs, it is left out of the <img>
altogether (``src`` is the widest copy): no browser has a use for it, and crawlers, feed readers
and browsers that ignore srcset would otherwise load a file of several megabytes. It stays in
the site under its own address for links that point at it.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

DENSITY = 2
"""High-density screens draw two device pixels per CSS pixel; more adds bytes the eye cannot see."""
ROOT_PX = 16
"""The browser's default font size; base.css sizes the layout in rem."""
STEPS = (480, 960, 1440, 2240)
"""Widths of the resized copies, as far as the placement needs them (phones, tablets, 2× screens)."""
CLOSE_TO_TOP = 0.9
"""A step this close to the widest copy needed is left out: the two would be nearly the same."""
RESIZABLE = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
"""Pillow formats that get resized copies (in the same format), with their file extension."""
SAVE_OPTIONS: dict[str, dict[str, Any]] = {
    "JPEG": {"quality": 82, "optimize": True, "progressive": True},
    "PNG": {"optimize": True},
    "WEBP": {"quality": 80, "method": 5},
}
CACHE_VERSION = 1
"""Part of every cached copy's name: raise it when the resizing or SAVE_OPTIONS change."""


@dataclass(frozen=True)
class Placement:
    """Where the theme shows an image: how wide it can get (CSS px) and the matching ``sizes``."""

    name: str
    css_px: int
    sizes: str


def _rem(rem: float) -> int:
    return round(rem * ROOT_PX)


# The widths follow themes/kunta/assets/base.css: .container is 72rem wide with 1rem padding on
# each side, .content 46rem, .prose 42rem; under those widths an image fills the viewport less
# the padding. Change these with the CSS.
CONTENT = Placement("content", _rem(46), "(min-width: 48rem) 46rem, calc(100vw - 2rem)")
"""An image at the top of a page, news item or event (.content__image)."""
PROSE = Placement("prose", _rem(42), "(min-width: 44rem) 42rem, calc(100vw - 2rem)")
"""An image in a Markdown body (.prose)."""
HERO = Placement("hero", _rem(70), "(min-width: 72rem) 70rem, calc(100vw - 2rem)")
"""The home page's hero image, as wide as the container."""
LOGO_HEIGHT = 48
"""The header shows the logo this many CSS px high (the header's height); its width follows."""


HASH_LENGTH = 10
"""Hex characters of the content hash in a file name: resized images here, theme CSS and JS in assets.py."""


def content_hash(data: bytes) -> str:
    """The first ``HASH_LENGTH`` lowercase hex characters of the SHA-256 of ``data``."""
    return hashlib.sha256(data).hexdigest()[:HASH_LENGTH]


class ImageError(Exception):
    """An image file that cannot be read or measured; the message names the file and the fix."""


@dataclass(frozen=True)
class Size:
    width: int
    height: int


def _svg_length(value: str | None) -> float | None:
    """A width or height attribute in user units or px; None for %, em and the like."""
    if value is None:
        return None
    match = re.fullmatch(r"\s*([0-9]*\.?[0-9]+)\s*(px)?\s*", value)
    return float(match.group(1)) if match else None


def svg_size(path: Path) -> Size:
    """The size an SVG is drawn at by default: its width and height, else its viewBox."""
    try:
        _, root = next(ElementTree.iterparse(path, events=("start",)))
    except (ElementTree.ParseError, StopIteration) as exc:
        raise ImageError(f"{path}: not a readable SVG file ({exc}); open it in an editor and save it again") from None
    width, height = _svg_length(root.get("width")), _svg_length(root.get("height"))
    box = [float(n) for n in re.split(r"[\s,]+", (root.get("viewBox") or "").strip()) if n]
    if len(box) == 4 and box[2] > 0 and box[3] > 0:
        ratio = box[2] / box[3]
        width, height = width or (height * ratio if height else box[2]), height or (width / ratio if width else box[3])
    if not width or not height:
        raise ImageError(
            f'{path}: the SVG has no size: give its <svg> element a viewBox (e.g. viewBox="0 0 1200 400"), '
            "or width and height in pixels, so pages can reserve its space"
        )
    return Size(max(1, round(width)), max(1, round(height)))


def _open_raster(path: Path) -> Any:
    from PIL import Image, UnidentifiedImageError

    try:
        return Image.open(path)
    except (UnidentifiedImageError, OSError) as exc:
        raise ImageError(
            f"{path}: not an image file this build can read ({exc}); save it as JPEG, PNG, WebP or SVG"
        ) from None


def raster_size(path: Path) -> Size:
    """Width and height as the browser draws the image: turned by its EXIF orientation."""
    with _open_raster(path) as image:
        width, height = image.size
        # Orientations 5–8 turn the picture a quarter: browsers then swap width and height.
        if image.getexif().get(0x0112) in (5, 6, 7, 8):
            width, height = height, width
    return Size(width, height)


def image_size(path: Path) -> Size:
    return svg_size(path) if path.suffix.lower() == ".svg" else raster_size(path)


def candidate_widths(width: int, placement: Placement) -> list[int]:
    """The widths the <img> offers for a file ``width`` px wide: steps up to what the placement
    needs at DENSITY, then the widest needed (the original itself when it is no wider)."""
    top = min(width, placement.css_px * DENSITY)
    return [step for step in STEPS if step < top * CLOSE_TO_TOP] + [top]


class Images:
    """Measures images and makes their resized copies; ``variants`` is what the site must publish.

    ``cache_dir`` None: sizes only, no copies (for callers that need page data but build nothing)."""

    def __init__(self, cache_dir: Path | None) -> None:
        self.cache_dir = cache_dir
        self.variants: dict[str, Path] = {}
        """Site address of each resized copy → the cached file to publish there."""
        self._sizes: dict[Path, Size] = {}

    def size(self, path: Path) -> Size:
        if path not in self._sizes:
            self._sizes[path] = image_size(path)
        return self._sizes[path]

    def describe(self, path: Path, uri: str, placement: Placement) -> dict[str, Any]:
        """What an <img> of file ``path``, served at site address ``uri``, needs: ``src``, ``width``,
        ``height``, ``srcset`` ([{src, width}], empty when there is only one file) and ``sizes``."""
        size = self.size(path)
        widths = candidate_widths(size.width, placement)
        if widths == [size.width] or not self._resizable(path):
            return {"src": uri, "width": size.width, "height": size.height, "srcset": [], "sizes": ""}
        candidates = [(uri if width == size.width else self._variant(path, uri, width), width) for width in widths]
        src, src_width = candidates[-1]
        several = len(candidates) > 1
        return {
            "src": src,
            "width": src_width,
            "height": max(1, round(size.height * src_width / size.width)),
            "srcset": [{"src": address, "width": width} for address, width in candidates] if several else [],
            "sizes": placement.sizes if several else "",
        }

    def _resizable(self, path: Path) -> bool:
        if self.cache_dir is None or path.suffix.lower() == ".svg":
            return False
        with _open_raster(path) as image:
            return image.format in RESIZABLE and getattr(image, "n_frames", 1) == 1

    def _variant(self, path: Path, uri: str, width: int) -> str:
        """The copy of ``path`` ``width`` px wide: made once per original content, then from the cache."""
        assert self.cache_dir is not None
        data = path.read_bytes()
        with _open_raster(path) as image:
            image_format = image.format
        extension = RESIZABLE[image_format]
        cached = self.cache_dir / f"{content_hash(data)}-{width}w-v{CACHE_VERSION}.{extension}"
        if not cached.is_file():
            _write_atomically(cached, _resized(path, width, image_format))
        stem = uri.rsplit(".", 1)[0]
        address = f"{stem}.{width}w.{content_hash(cached.read_bytes())}.{extension}"
        self.variants[address] = cached
        return address


def _resized(path: Path, width: int, image_format: str) -> bytes:
    """``path`` turned upright and scaled to ``width`` px, in its own format, without its metadata
    (EXIF can hold where and when a photo was taken); the colour profile is kept."""
    import io

    from PIL import Image, ImageOps

    with _open_raster(path) as original:
        icc_profile = original.info.get("icc_profile")
        image = ImageOps.exif_transpose(original)
        if image.mode not in ("RGB", "RGBA", "L", "LA", "CMYK"):
            has_alpha = "A" in image.mode or (image.mode == "P" and "transparency" in image.info)
            image = image.convert("RGBA" if has_alpha else "RGB")
        if image_format == "JPEG" and image.mode in ("RGBA", "LA"):
            image = image.convert("RGB")
        height = max(1, round(image.height * width / image.width))
        resized = image.resize((width, height), Image.Resampling.LANCZOS)
        out = io.BytesIO()
        options = dict(SAVE_OPTIONS[image_format])
        if icc_profile:
            options["icc_profile"] = icc_profile
        resized.save(out, format=image_format, **options)
    return out.getvalue()


def _write_atomically(target: Path, data: bytes) -> None:
    """Two builds sharing the cache never read a half-written copy."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=target.suffix)
    with os.fdopen(handle, "wb") as stream:
        stream.write(data)
    os.replace(temporary, target)


def logo_placement(size: Size) -> Placement:
    """The header's logo: LOGO_HEIGHT px high, as wide as its shape makes it."""
    width = max(1, round(LOGO_HEIGHT * size.width / size.height))
    return Placement("logo", width, f"{width}px")


# --- images in rendered Markdown bodies -----------------------------------------------------------

_IMG = re.compile(r"<img\b[^>]*>", re.I)
_TAGS = re.compile(r"<[^>]*>")


class _Attributes(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.attributes: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.attributes = attrs


def _parse_tag(tag: str) -> dict[str, str | None]:
    parser = _Attributes()
    parser.feed(tag)
    parser.close()
    return dict(parser.attributes)


def _tag(attributes: dict[str, str | None]) -> str:
    parts = [name if value is None else f'{name}="{escape(value, quote=True)}"' for name, value in attributes.items()]
    return "<img " + " ".join(parts) + ">"


def body_images(
    html: str,
    images: Images,
    locate: Callable[[str], tuple[Path, str] | None],
    link: Callable[[str], str],
    *,
    first_eager: bool,
) -> str:
    """A rendered Markdown body with every <img> given width, height, decoding and, below the
    fold, loading="lazy"; raster images wider than the text column get srcset and sizes (PROSE).

    ``locate``: the src as written → (file, site address), or None when it is on another host
    (it then gets only loading and decoding). ``link``: a site address → the src to write.
    ``first_eager``: the page has no image above its body, so an image before any of the body's
    text is at the top of <main> and loads at once. Width and height an author gave are kept."""
    count = 0

    def rewrite(match: re.Match[str]) -> str:
        nonlocal count
        count += 1
        attributes = _parse_tag(match.group(0))
        found = locate(attributes.get("src") or "")
        if found is not None:
            path, address = found
            view = images.describe(path, address, PROSE)
            attributes["src"] = link(view["src"])
            if view["srcset"]:
                attributes["srcset"] = ", ".join(f"{link(c['src'])} {c['width']}w" for c in view["srcset"])
                attributes["sizes"] = view["sizes"]
            given_width, given_height = attributes.get("width"), attributes.get("height")
            if given_width and not given_height and given_width.isdigit():
                attributes["height"] = str(max(1, round(int(given_width) * view["height"] / view["width"])))
            elif given_height and not given_width and given_height.isdigit():
                attributes["width"] = str(max(1, round(int(given_height) * view["width"] / view["height"])))
            elif not given_width and not given_height:
                attributes["width"], attributes["height"] = str(view["width"]), str(view["height"])
        at_top = first_eager and count == 1 and not _TAGS.sub("", html[: match.start()]).strip()
        if not at_top:
            attributes["loading"] = "lazy"
        attributes["decoding"] = "async"
        return _tag(attributes)

    return _IMG.sub(rewrite, html)
