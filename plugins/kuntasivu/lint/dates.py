"""Past events that still invite residents, and alert banners past their last day.

The build lists an event as upcoming until its last day (pages.py is_upcoming) and hides an alert
after its ``until`` day, so lists fix themselves; what does not is what a person wrote: a
registration form left on a past event's page, or a banner kept in site.yml after it expired (the
published site also keeps showing it until the next build).
"""

from __future__ import annotations

import datetime as dt

from ..content.model import Event
from .context import LintContext

CODE_EVENT = "past-event"
CODE_ALERT = "expired-alert"


def last_day(event: Event) -> dt.date:
    """The event's last day, as the build decides whether it is upcoming."""
    last = event.end or event.start
    return last.date() if isinstance(last, dt.datetime) else last


def check(ctx: LintContext) -> None:
    for event in ctx.content.events:
        ended = last_day(event.item)
        if event.item.registration_form is not None and ended < ctx.today:
            ctx.at_source(
                event,
                ("registration_form",),
                "warning",
                CODE_EVENT,
                f"the event ended on {ended.isoformat()}, but its page still offers registration with form"
                f" '{event.item.registration_form}'; remove registration_form",
            )
    alert = ctx.content.site.item.alert
    if alert is not None and alert.until is not None and alert.until < ctx.today:
        ctx.at_source(
            ctx.content.site,
            ("alert", "until"),
            "warning",
            CODE_ALERT,
            f"the alert banner expired on {alert.until.isoformat()}: new builds no longer show it, but the"
            " published site shows it until the next build; remove alert from site.yml and publish",
        )
