"""What a page tells other programs about itself: Open Graph tags and schema.org JSON-LD.

Only pages meant to be found get them: the same pages the sitemap lists.
"""

from __future__ import annotations

import datetime as dt
import json
import posixpath
import re
from typing import TYPE_CHECKING, Any

from . import urls
from .feeds import local
from .loading import Content

if TYPE_CHECKING:
    from .pages import PageSource

NOT_LISTED = frozenset({"redirect", "components", "form_thanks", "not_found", "search"})
"""Kinds of page that are no answer to a search, the site's own (search.py) or a search engine's:
old addresses that send the reader on, the component library, the pages a form returns to, the
404 page and the search page itself. They get no sitemap entry, no Open Graph or JSON-LD, and
no place in the site's search index."""

OG_LOCALES = {"fi": "fi_FI", "sv": "sv_FI", "en": "en_GB"}
SHAREABLE_IMAGES = frozenset({".jpg", ".jpeg", ".png", ".gif", ".webp"})
"""Image types that link previews show. SVG is not among them: most consumers ignore it, so a
page whose only image is an SVG gets no og:image rather than one nobody shows."""
SCHEMA = "https://schema.org"


def listed(source: PageSource) -> bool:
    """Whether the page belongs in the sitemap and gets Open Graph and JSON-LD."""
    return source.kind not in NOT_LISTED


def page_metadata(content: Content, source: PageSource) -> dict[str, Any]:
    """``open_graph``: (property, content) pairs; ``json_ld``: the JSON text of a
    ``<script type="application/ld+json">``, or None."""
    if not listed(source):
        return {"open_graph": [], "json_ld": None}
    data = _json_ld(content, source)
    return {"open_graph": open_graph(content, source), "json_ld": script_json(data) if data else None}


# --- Open Graph ---------------------------------------------------------------------------------
def open_graph(content: Content, source: PageSource) -> list[tuple[str, str]]:
    site_url = content.site.item.site_url
    tags = [
        ("og:type", "article" if source.kind == "news" else "website"),
        ("og:title", source.title),
        ("og:url", site_url + source.url),
        ("og:site_name", content.site.item.name.get(source.lang)),
        ("og:locale", OG_LOCALES[source.lang]),
    ]
    tags += [("og:locale:alternate", OG_LOCALES[lang]) for lang in sorted(source.alternates) if lang != source.lang]
    if source.description:
        tags.append(("og:description", source.description))
    image = page_image(source)
    if image is not None and _shareable(image["src"]):
        tags.append(("og:image", site_url + image["src"]))
        if image.get("width") and image.get("height"):  # known once images.py has read the file
            tags += [("og:image:width", str(image["width"])), ("og:image:height", str(image["height"]))]
        if image["alt"]:
            tags.append(("og:image:alt", image["alt"]))
    if source.kind == "news":
        tags.append(("article:published_time", source.context["datetime"]))
    return tags


def page_image(source: PageSource) -> dict[str, Any] | None:
    """The page's own image, or the hero image on the home page ({src, alt, …}; src from the site root)."""
    if source.kind == "home":
        hero = source.context.get("hero")
        return hero["image"] if hero else None
    image: dict[str, Any] | None = source.context.get("image")
    return image


def _shareable(src: str) -> bool:
    return posixpath.splitext(src)[1].lower() in SHAREABLE_IMAGES


# --- JSON-LD ------------------------------------------------------------------------------------
def script_json(data: dict[str, Any]) -> str:
    """JSON for a script element: '<', '>' and '&' as \\u escapes, so no text in it can close the
    element or start a comment (they occur only inside strings, where the escapes mean the same)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _json_ld(content: Content, source: PageSource) -> dict[str, Any] | None:
    if source.kind == "home":
        return {"@context": SCHEMA, **organisation(content, source.lang, full=True)}
    if source.kind == "news":
        return _news_article(content, source)
    if source.kind == "event":
        return _event(content, source)
    return None


def organisation(content: Content, lang: str, *, full: bool = False) -> dict[str, Any]:
    """The municipality as a schema.org GovernmentOrganization; ``full`` adds its contact details."""
    site = content.site.item
    contact = site.contact
    data: dict[str, Any] = {
        "@type": "GovernmentOrganization",
        "@id": f"{site.site_url}#organisation",
        "name": (contact.organisation or site.name).get(lang),
        "url": site.site_url + urls.home_url(content, lang),
    }
    if site.brand.logo:
        data["logo"] = site.site_url + site.brand.logo
    if not full:
        return data
    address = contact.address
    data["address"] = {
        "@type": "PostalAddress",
        "streetAddress": address.street.get(lang),
        "postalCode": address.postal_code,
        "addressLocality": address.city.get(lang),
        "addressCountry": "FI",
    }
    data["telephone"] = international_phone(contact.phone)
    data["email"] = contact.email
    if contact.coordinates is not None:
        data["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": contact.coordinates.lat,
            "longitude": contact.coordinates.lon,
        }
    if site.social:
        data["sameAs"] = [account.url for account in site.social]
    if site.description is not None:
        data["description"] = site.description.get(lang)
    return data


def international_phone(phone: str) -> str:
    """A Finnish number as written ('02 577 211') in international form ('+358 2 577 211')."""
    phone = phone.strip()
    if phone.startswith("+"):
        return phone
    return "+358 " + re.sub(r"^0\s*", "", phone)


def _news_article(content: Content, source: PageSource) -> dict[str, Any]:
    organisation_data = organisation(content, source.lang)
    data: dict[str, Any] = {
        "@context": SCHEMA,
        "@type": "NewsArticle",
        "headline": source.title,
        "description": source.context["lead"],
        "datePublished": source.context["datetime"],
        "inLanguage": source.lang,
        "url": content.site.item.site_url + source.url,
        "mainEntityOfPage": content.site.item.site_url + source.url,
        "author": organisation_data,
        "publisher": organisation_data,
    }
    _add_image(content, source, data)
    return data


def _event(content: Content, source: PageSource) -> dict[str, Any]:
    event_id = source.key.removeprefix("event:")
    event = next(e.item for e in content.events if e.item.id == event_id)
    data: dict[str, Any] = {
        "@context": SCHEMA,
        "@type": "Event",
        "name": source.title,
        "startDate": schema_time(event.start),
    }
    if event.end is not None:
        data["endDate"] = schema_time(event.end)
    data |= {
        "eventAttendanceMode": f"{SCHEMA}/OfflineEventAttendanceMode",
        "eventStatus": f"{SCHEMA}/EventScheduled",
        "location": {"@type": "Place", "name": event.place.get(source.lang)},
        "description": event.summary.get(source.lang),
        "url": content.site.item.site_url + source.url,
        "inLanguage": source.lang,
        "organizer": organisation(content, source.lang),
    }
    _add_image(content, source, data)
    return data


def schema_time(moment: dt.date) -> str:
    """A date as it is; a time with its Finnish offset: '2026-12-20T18:00:00+02:00'."""
    if isinstance(moment, dt.datetime):
        return local(moment).isoformat()
    return moment.isoformat()


def _add_image(content: Content, source: PageSource, data: dict[str, Any]) -> None:
    image = page_image(source)
    if image is not None:
        data["image"] = [content.site.item.site_url + image["src"]]
