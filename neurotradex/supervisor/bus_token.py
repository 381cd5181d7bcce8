"""The service-to-service bus token: from NTX_BUS_TOKEN, else generated once into NTX_HOME."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path

BUS_TOKEN_ENV = "NTX_BUS_TOKEN"  # noqa: S105 - the variable name, not a secret


def bus_token(env: Mapping[str, str], home: Path) -> str:
    """Return the configured token, or the one kept in `home/bus.token` (created 0600)."""
    configured = env.get(BUS_TOKEN_ENV, "").strip()
    if configured:
        return configured
    path = home / "bus.token"
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    home.mkdir(parents=True, exist_ok=True)
    token = secrets.token_urlsafe(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(token + "\n")
    return token
