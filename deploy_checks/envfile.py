"""The environment names `.env.example` documents: the one list compose and Helm must match."""

from __future__ import annotations

import re
from pathlib import Path

_ASSIGNMENT = re.compile(r"^([A-Z][A-Z0-9_]*)=(.*)$")
_LOOPBACK_URL = re.compile(r"//(127\.0\.0\.1|localhost)[:/]")

# Names the deployment files use before their owners add them to .env.example: reported as
# warnings, never silently accepted. Remove a name once .env.example documents it.
PENDING: frozenset[str] = frozenset()
# Variables only docker-compose.yml interpolates (third-party images, not service settings).
COMPOSE_ONLY: frozenset[str] = frozenset({"POSTGRES_PASSWORD"})


def env_defaults(path: Path) -> dict[str, str]:
    """Return ``{NAME: value}`` of every ``NAME=value`` line in the file at ``path``."""
    found: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        match = _ASSIGNMENT.match(line)
        if match:
            found[match.group(1)] = match.group(2)
    return found


def env_names(path: Path) -> frozenset[str]:
    """Return every ``NAME`` of a ``NAME=value`` line in the file at ``path``."""
    return frozenset(env_defaults(path))


def loopback_urls(path: Path) -> frozenset[str]:
    """Names whose default URL is loopback: a container deployment must override each."""
    return frozenset(k for k, v in env_defaults(path).items() if _LOOPBACK_URL.search(v))
