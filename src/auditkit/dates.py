"""Dates as people read them: the round file keeps ISO dates (2026-12-01), documents show 1.12.2026."""

from __future__ import annotations

import datetime as dt
import re

_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")


def date_fi(value: str | dt.date | None) -> str:
    """A date the Finnish way, 1.12.2026; "" for no date, and text that is no ISO date as it is."""
    if value is None or value == "":
        return ""
    if isinstance(value, dt.date):
        return f"{value.day}.{value.month}.{value.year}"
    if _ISO.fullmatch(value):
        try:
            return date_fi(dt.date.fromisoformat(value))
        except ValueError:
            return value
    return value


def parse_iso(value: str) -> dt.date | None:
    """The date of an ISO text (YYYY-MM-DD), or None."""
    if not _ISO.fullmatch(value or ""):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


_FI = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")


def parse_fi(value: str) -> dt.date | None:
    """The date of a text written the Finnish way (31.5.2027, outer space allowed), or None."""
    match = _FI.fullmatch((value or "").strip())
    if match is None:
        return None
    day, month, year = (int(g) for g in match.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None
