"""Timeline dates as Open edX datetimes (UTC, ISO 8601 with Z).

Convention: a homework is released at 00:00 Oslo time on the day of the gathering that opens
its gap (`start`), and is due at 23:59 Oslo time on its deadline day (`due`), both expressed
in UTC, so they shift by an hour between winter (CET) and summer (CEST) as Oslo clocks do."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

try:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError
    try:
        OSLO = ZoneInfo("Europe/Oslo")
    except ZoneInfoNotFoundError:  # no tz database (some Windows installs): CET all year
        OSLO = timezone(timedelta(hours=1), "CET")
except ImportError:  # pragma: no cover - Python < 3.9
    OSLO = timezone(timedelta(hours=1), "CET")

DAY_START = time(0, 0)
DEADLINE = time(23, 59)


def utc(day: date, at: time) -> str:
    """`day` at Oslo wall-clock time `at`, as an Open edX date string in UTC."""
    moment = datetime.combine(day, at, tzinfo=OSLO).astimezone(timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")

