"""Arming real-money trading: a record, written by ``ntx live arm``, that the live broker checks.

The record names the venue and a fingerprint of the API key, so new keys need a new arming.
"""

from __future__ import annotations

import hashlib
import json
import os
from datetime import UTC, datetime
from pathlib import Path

from exec_core.errors import OperationalError


def confirmation_phrase(venue: str) -> str:
    """Return the exact text an operator must type to arm `venue`."""
    return f"ARM {venue} FOR REAL MONEY"


def key_fingerprint(api_key: str) -> str:
    """Return a short, non-secret fingerprint of `api_key`."""
    return hashlib.sha256(api_key.encode()).hexdigest()[:16]


def arming_path(home: Path, venue: str) -> Path:
    """Return where the arming record of `venue` lives under NTX_HOME."""
    return home / "exec_core" / f"live-armed-{venue}.json"


def arm(home: Path, venue: str, *, api_key: str, api_secret: str, confirmation: str) -> Path:
    """Write the arming record of `venue`; return its path.

    Raises
    ------
    OperationalError
        Keys are missing, or `confirmation` is not exactly `confirmation_phrase(venue)`.
    """
    if not api_key or not api_secret:
        raise OperationalError("live trading needs EXEC_CORE__LIVE__API_KEY and API_SECRET")
    if confirmation.strip() != confirmation_phrase(venue):
        raise OperationalError(f"confirmation must be exactly {confirmation_phrase(venue)!r}")
    path = arming_path(home, venue)
    path.parent.mkdir(parents=True, exist_ok=True)
    record = {
        "venue": venue,
        "key": key_fingerprint(api_key),
        "armed_at": datetime.now(UTC).isoformat(),
    }
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(record), encoding="utf-8")
    os.replace(tmp, path)
    return path


def disarm(home: Path, venue: str) -> bool:
    """Remove the arming record; return whether there was one."""
    path = arming_path(home, venue)
    if path.exists():
        path.unlink()
        return True
    return False


def is_armed(home: Path, venue: str, api_key: str) -> bool:
    """Return whether `venue` is armed for exactly this `api_key`."""
    path = arming_path(home, venue)
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return (
        bool(api_key)
        and record.get("venue") == venue
        and record.get("key") == key_fingerprint(api_key)
    )
