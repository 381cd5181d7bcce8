"""Topic subscription patterns: exact names, `prefix.*`, or `*` for everything."""

from __future__ import annotations

import re
from collections.abc import Iterable

_PATTERN = re.compile(r"^(\*|[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*(\.\*)?)$")


def validate_patterns(patterns: Iterable[str]) -> tuple[str, ...]:
    """Return the patterns as a tuple, or raise ValueError naming the bad one."""
    result = tuple(patterns)
    if not result:
        raise ValueError("subscribe to at least one topic")
    for pattern in result:
        if not _PATTERN.match(pattern):
            raise ValueError(f"bad topic pattern {pattern!r}: use 'a.b', 'a.*' or '*'")
    return result


def matches(pattern: str, topic: str) -> bool:
    """Tell whether `topic` falls under `pattern`."""
    if pattern == "*":
        return True
    if pattern.endswith(".*"):
        return topic.startswith(pattern[:-1])
    return pattern == topic


class TopicMatcher:
    """Answer 'does this subscription want topic X' with a per-topic cache."""

    __slots__ = ("_cache", "patterns")

    def __init__(self, patterns: Iterable[str]) -> None:
        self.patterns = validate_patterns(patterns)
        self._cache: dict[str, bool] = {}

    def __call__(self, topic: str) -> bool:
        hit = self._cache.get(topic)
        if hit is None:
            hit = any(matches(p, topic) for p in self.patterns)
            self._cache[topic] = hit
        return hit
