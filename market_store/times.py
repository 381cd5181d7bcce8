"""Times as commands take them: epoch ms, ISO-8601 UTC, ``now`` or ``now-30d`` on a given clock."""

from __future__ import annotations

import re
from datetime import UTC, datetime

_UNIT_MS = {"m": 60_000, "h": 3_600_000, "d": 86_400_000, "w": 604_800_000}
_RELATIVE_RE = re.compile(r"now(?:-([0-9]{1,6})([mhdw]))?", re.ASCII)


def is_relative(text: str) -> bool:
    """Tell whether `text` is ``now`` or ``now-<count><m|h|d|w>``: a time on the market's clock."""
    return _RELATIVE_RE.fullmatch(text.strip()) is not None


def parse_time_ms(text: str, *, now_ms: int | None = None) -> int:
    """Return epoch milliseconds for a time a user typed.

    Parameters
    ----------
    text
        ``1704067200000``, ``2024-01-01``, ``2024-01-01T12:00Z`` (UTC unless it says otherwise),
        ``now`` or ``now-1095d`` (also ``m``, ``h``, ``w``).
    now_ms
        The clock ``now`` is read on (the venue's, or the end of a recording); required for
        relative times.

    Raises
    ------
    ValueError
        Not a time in any of these forms, or a relative time without `now_ms`.
    """
    text = text.strip()
    if text.isdigit():
        return int(text)
    relative = _RELATIVE_RE.fullmatch(text)
    if relative is not None:
        if now_ms is None:
            raise ValueError(f"{text!r} is relative to the market's clock, which is not known here")
        count, unit = relative.groups()
        return now_ms - (int(count) * _UNIT_MS[unit] if count else 0)
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(
            f"not a time: {text!r} (epoch ms, an ISO-8601 date or time in UTC, now or now-30d)"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp() * 1000)


def iso_utc(ms: int) -> str:
    """Return epoch milliseconds as ISO-8601 UTC text, e.g. ``2018-01-01T00:00:00Z``."""
    return datetime.fromtimestamp(ms / 1000, UTC).isoformat().replace("+00:00", "Z")
