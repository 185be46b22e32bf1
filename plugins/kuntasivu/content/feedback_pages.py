"""The site's pages about location-based feedback that come from the receiving service's data:
how quickly reports are answered (always, when the site has feedback), and the handled reports
staff approved for publishing (site.yml ``feedback.public_list``).

Both are built from what feedback_data.fetch_feedback_data read at build time. Without it the
pages still exist, so links to them never break, and say where the current figures are.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, Protocol

from . import urls
from .feedback_data import FeedbackData, statistics_url
from .feedback_export import exported
from .loading import Content

if TYPE_CHECKING:  # pages.py imports this module
    from .pages import PageSource

STATISTICS_KEY = "feedback:statistics"
REPORTS_KEY = "feedback:reports"
MAX_LISTED = 100
"""The public list shows the newest reports; older ones stay in the Open311 answer."""


class Builder(Protocol):
    """What these pages need of pages._Builder."""

    content: Content
    lang: str
    t: dict[str, str]

    def make(self, url: str, kind: str, title: str, key: str, **extra: Any) -> PageSource: ...
    def crumbs(self, *trail: dict[str, str]) -> list[dict[str, str]]: ...
    def date(self, value: dt.date) -> str: ...


def statistics_page_url(content: Content, lang: str) -> str:
    return f"{urls.home_url(content, lang)}{content.texts[lang]['slug.feedback_statistics']}/"


def reports_page_url(content: Content, lang: str) -> str:
    return f"{urls.home_url(content, lang)}{content.texts[lang]['slug.feedback_reports']}/"


def decimal(value: float, lang: str) -> str:
    """1.5 as '1,5' in Finnish and Swedish; whole numbers without decimals."""
    text = f"{value:.1f}".removesuffix(".0")
    return text.replace(".", ",") if lang in ("fi", "sv") else text


def _moment(text: str) -> dt.datetime | None:
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _names(content: Content, lang: str) -> dict[str, str]:
    feedback = content.site.item.feedback
    assert feedback is not None
    return {c.code: c.name.get(lang) for c in feedback.categories}


def _row(builder: Builder, row: dict[str, Any], name: str) -> dict[str, Any]:
    """One category (or the total) as the feedback_statistics component shows it."""
    t, lang = builder.t, builder.lang
    share = row["answered_within_3_working_days"]
    median = row["median_working_days"]
    return {
        "name": name,
        "count": row["count"],
        "replied": row["replied"],
        "median": decimal(median, lang) if median is not None else t["feedback_statistics.no_value"],
        "share": t["feedback_statistics.percent"].format(value=round(share * 100)) if share is not None else None,
        "percent": round(share * 100) if share is not None else None,
    }


def statistics_context(builder: Builder, data: FeedbackData | None) -> dict[str, Any]:
    content, lang, t = builder.content, builder.lang, builder.t
    statistics = data.statistics if data else None
    context: dict[str, Any] = {"json_url": statistics_url(content), "statistics": None}
    if statistics is None:
        return context
    names = _names(content, lang)
    rows = [_row(builder, row, names.get(row["service_code"], row["service_code"])) for row in statistics["categories"]]
    generated = _moment(statistics["generated"])
    context["statistics"] = {
        "rows": rows,
        "total": _row(builder, statistics["total"], t["feedback_statistics.total"]),
        "updated": builder.date(generated.date()) if generated else statistics["generated"],
        "updated_iso": generated.date().isoformat() if generated else None,
    }
    return context


def reports_context(builder: Builder, data: FeedbackData | None) -> dict[str, Any]:
    content, lang, t = builder.content, builder.lang, builder.t
    reports = data.reports if data else None
    context: dict[str, Any] = {"json_url": f"{content.site.item.inbox_url}open311/v2/", "reports": None}
    if reports is None:
        return context
    names = _names(content, lang)
    listed = []
    for report in reports[:MAX_LISTED]:
        requested = _moment(report["requested_datetime"])
        lat, long = report.get("lat"), report.get("long")
        listed.append(
            {
                "id": report["service_request_id"],
                "category": names.get(report["service_code"], report.get("service_name") or report["service_code"]),
                "date": builder.date(requested.date()) if requested else "",
                "datetime": requested.date().isoformat() if requested else "",
                "status": t[f"feedback_reports.status_{'closed' if report['status'] == 'closed' else 'open'}"],
                "description": report["description"],
                "address": report.get("address") or "",
                "coordinates": f"{decimal_coordinate(lat, lang)}, {decimal_coordinate(long, lang)}"
                if isinstance(lat, int | float) and isinstance(long, int | float)
                else "",
                "reply": report.get("status_notes") or "",
            }
        )
    context["reports"] = listed
    return context


def decimal_coordinate(value: float, lang: str) -> str:
    text = f"{value:.5f}"
    return text.replace(".", ",") if lang in ("fi", "sv") else text


def feedback_pages(builder: Builder, data: FeedbackData | None) -> list[PageSource]:
    """The statistics page, and the public list when the site publishes one."""
    content, lang, t = builder.content, builder.lang, builder.t
    if not exported(content):
        return []
    feedback = content.site.item.feedback
    assert feedback is not None
    if feedback.open311 is not None:
        return []  # the other system answers the reports: the service here knows no answer times
    url = statistics_page_url(content, lang)
    title = t["feedback.statistics_title"]
    out = [
        builder.make(
            url,
            "feedback_statistics",
            title,
            STATISTICS_KEY,
            source=content.site.path,
            description=t["feedback_statistics.description"],
            breadcrumbs=builder.crumbs({"title": title, "url": url}),
            **statistics_context(builder, data),
        )
    ]
    if feedback.public_list:
        url = reports_page_url(content, lang)
        title = t["feedback.public_list_title"]
        out.append(
            builder.make(
                url,
                "feedback_reports",
                title,
                REPORTS_KEY,
                source=content.site.path,
                description=t["feedback_reports.description"],
                breadcrumbs=builder.crumbs({"title": title, "url": url}),
                statistics_url=statistics_page_url(content, lang),
                **reports_context(builder, data),
            )
        )
    return out
