"""What the gate needs to know about a site, taken from its content (engine-free)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from ..content.loading import Content, Sourced
from ..content.model import Image
from ..content.pages import page_sources
from . import static
from .gate import SiteFacts
from .link_texts import load_generic_link_texts
from .policy import policy_from_site


def _images(value: object, found: list[tuple[Image, bool]], shared: bool) -> None:
    if isinstance(value, Image):
        found.append((value, shared))
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            _images(getattr(value, name), found, shared)
    elif isinstance(value, list):
        for item in value:
            _images(item, found, shared)


def decorative_images(content: Content) -> frozenset[str]:
    """Site paths of images that may have an empty alt: the logo (it stands beside the site's
    name) and every image the content declares decorative."""
    found: list[tuple[Image, bool]] = []
    sources: list[Sourced[Any]] = [content.site, *content.pages.values(), *content.news, *content.events]
    for source in sources:
        _images(source.item, found, not source.path.is_relative_to(content.municipality_dir))
    paths = {
        f"assets/shared/{image.src.removeprefix('assets/')}" if shared else image.src
        for image, shared in found
        if image.decorative
    }
    if content.site.item.brand.logo:
        paths.add(content.site.item.brand.logo)
    return frozenset(paths)


def site_facts(content: Content, root: Path, today: dt.date) -> SiteFacts:
    def relative(path: Path) -> str:
        try:
            return str(path.resolve().relative_to(root.resolve()))
        except ValueError:
            return str(path)

    sources = {s.url: relative(s.source) for s in page_sources(content, today) if s.source is not None}
    assets = content.municipality_dir / "assets"
    for html in assets.rglob("*.html") if assets.is_dir() else []:
        sources[f"assets/{html.relative_to(assets).as_posix()}"] = relative(html)
    doc = content.site.doc
    positions = {
        index: doc.position(("accessibility", "known_issues", index)).line
        for index in range(len(content.site.item.accessibility.known_issues))
    }
    context = static.StaticContext(
        languages=tuple(content.languages),
        generic_link_texts=load_generic_link_texts(content.texts),
        decorative_images=decorative_images(content),
    )
    return SiteFacts(
        slug=content.slug,
        site_url=content.site.item.site_url,
        context=context,
        sources=sources,
        policy=policy_from_site(content.site.item, doc.path, positions, root),
    )
