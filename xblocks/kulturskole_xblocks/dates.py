"""Times as the blocks store them (ISO 8601, UTC) and show them (the learner's zone)."""

from datetime import datetime, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

#: Shown when the learner has no time zone preference.
DEFAULT_TIME_ZONE = "Europe/Oslo"


def utc_now_iso():
    """Current time as an ISO 8601 string in UTC, seconds precision."""
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def parse_iso(value):
    """Parse an ISO 8601 string (``Z`` allowed); None when empty or invalid."""
    if isinstance(value, datetime):
        parsed = value
    elif not value:
        return None
    else:
        try:
            parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        except ValueError:
            return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed


def get_zone(name):
    """ZoneInfo for ``name``; the default zone (or UTC) when unknown."""
    for candidate in (name, DEFAULT_TIME_ZONE):
        if candidate:
            try:
                return ZoneInfo(candidate)
            except (ZoneInfoNotFoundError, ValueError):
                continue
    return timezone.utc


def format_datetime(value, translate, zone):
    """Human date and time in the learner's zone, e.g. "12.01.2026 kl. 18:00 (CET)"."""
    moment = parse_iso(value)
    if moment is None:
        return ""
    local = moment.astimezone(zone)
    text = translate("{date} at {time}").format(
        date=local.strftime(translate("%Y-%m-%d")),
        time=local.strftime("%H:%M"),
    )
    abbreviation = local.tzname()
    return f"{text} ({abbreviation})" if abbreviation else text
