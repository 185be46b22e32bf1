"""Finnish working days: Monday to Friday, except public holidays and the two eves offices
close on (Midsummer Eve, Christmas Eve). Answer times are counted in these days."""

from __future__ import annotations

import datetime
from functools import cache
from zoneinfo import ZoneInfo

HELSINKI = ZoneInfo("Europe/Helsinki")
"""Days begin and end in Finnish time, whatever the database stores (UTC)."""


def easter(year: int) -> datetime.date:
    """Easter Sunday (the anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    weekday = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * weekday) // 451
    month, day = divmod(h + weekday - 7 * m + 114, 31)
    return datetime.date(year, month, day + 1)


def _first_weekday_from(start: datetime.date, weekday: int) -> datetime.date:
    return start + datetime.timedelta(days=(weekday - start.weekday()) % 7)


@cache
def holidays(year: int) -> frozenset[datetime.date]:
    """Days off on weekdays too: the public holidays of Finland and Midsummer and Christmas Eve."""
    sunday = easter(year)
    midsummer_eve = _first_weekday_from(datetime.date(year, 6, 19), 4)  # the Friday of 19-25 June
    return frozenset(
        {
            datetime.date(year, 1, 1),  # New Year's Day
            datetime.date(year, 1, 6),  # Epiphany
            sunday - datetime.timedelta(days=2),  # Good Friday
            sunday + datetime.timedelta(days=1),  # Easter Monday
            datetime.date(year, 5, 1),  # May Day
            sunday + datetime.timedelta(days=39),  # Ascension Day
            midsummer_eve,
            midsummer_eve + datetime.timedelta(days=1),  # Midsummer Day
            _first_weekday_from(datetime.date(year, 10, 31), 5),  # All Saints' Day (a Saturday)
            datetime.date(year, 12, 6),  # Independence Day
            datetime.date(year, 12, 24),  # Christmas Eve
            datetime.date(year, 12, 25),
            datetime.date(year, 12, 26),  # St Stephen's Day
        }
    )


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in holidays(day.year)


def working_days_between(start: datetime.datetime, end: datetime.datetime) -> int:
    """Working days after the day of ``start`` up to and including the day of ``end``, in
    Finnish time: answered the same day is 0, on the next working day 1. A report sent on a
    Friday evening and answered on Monday took 1 working day."""
    first = start.astimezone(HELSINKI).date()
    last = end.astimezone(HELSINKI).date()
    count = 0
    day = first + datetime.timedelta(days=1)
    while day <= last:
        count += is_working_day(day)
        day += datetime.timedelta(days=1)
    return count


def working_days_later(start: datetime.datetime, days: int) -> datetime.date:
    """The date ``days`` working days after the day of ``start`` (Finnish time)."""
    day = start.astimezone(HELSINKI).date()
    while days > 0:
        day += datetime.timedelta(days=1)
        days -= is_working_day(day)
    return day
