"""iCalendar text (RFC 5545): TEXT escaping, line folding and CRLF line ends.

Written by hand rather than with a library: the files are small, and the rules that matter
are a few lines each. The tests read every file the build writes with the `icalendar` parser.
"""

from __future__ import annotations

import datetime as dt
import re

CRLF = "\r\n"
LINE_OCTETS = 75
"""RFC 5545 3.1: content lines longer than this many octets are folded."""

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
"""Control characters a TEXT value may not hold (RFC 5545 3.3.11 allows only HTAB)."""


def escape_text(value: str) -> str:
    """A TEXT value: backslash, semicolon and comma escaped, line breaks as '\\n'."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    value = value.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")
    return _CONTROL.sub("", value)


def fold(line: str) -> str:
    """One content line folded into lines of at most 75 octets; a fold never splits a UTF-8 character.

    A continuation line starts with one space, which counts towards its 75 octets."""
    lines: list[str] = []
    current: list[str] = []
    octets = 0
    for char in line:
        width = len(char.encode("utf-8"))
        if octets + width > LINE_OCTETS:
            lines.append("".join(current))
            current, octets = [" "], 1
        current.append(char)
        octets += width
    lines.append("".join(current))
    return CRLF.join(lines)


def utc_stamp(moment: dt.datetime) -> str:
    """A DATE-TIME in UTC ('Z' form) from an aware datetime."""
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def date_value(day: dt.date) -> str:
    return day.strftime("%Y%m%d")


def document(properties: list[tuple[str, str]]) -> str:
    """Content lines (name with parameters, value already escaped) as one iCalendar text."""
    return "".join(fold(f"{name}:{value}") + CRLF for name, value in properties)
