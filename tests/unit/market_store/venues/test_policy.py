"""Only temporary failures are retried; 429/418 honour Retry-After and a ban waits longer."""

from __future__ import annotations

import random
from collections.abc import Awaitable, Callable

import pytest

from market_store.venues.base import (
    MalformedPayloadError,
    RateLimitedError,
    VenueError,
    VenueRequestError,
    VenueUnavailableError,
)
from market_store.venues.policy import RetryPolicy, retrying


class Waits(list[float]):
    """A sleep that records the waits instead of waiting."""

    async def __call__(self, secs: float) -> None:
        self.append(secs)


def policy(waits: Waits, **overrides: float) -> RetryPolicy:
    settings: dict[str, float] = {"initial_secs": 0.5, "max_secs": 8.0, "ban_wait_secs": 120.0}
    settings.update(overrides)
    return RetryPolicy(max_attempts=4, sleep=waits, **settings)


def failing(*errors: Exception) -> Callable[[], Awaitable[str]]:
    remaining = list(errors)

    async def call() -> str:
        if remaining:
            raise remaining.pop(0)
        return "ok"

    return call


def test_backoff_grows_and_is_capped() -> None:
    rng = random.Random(1)
    plain = RetryPolicy(initial_secs=0.5, max_secs=4.0)
    error = VenueUnavailableError("v", "503")
    delays = [plain.delay(error, n, rng) for n in range(1, 7)]
    for got, base in zip(delays, [0.5, 1, 2, 4, 4, 4], strict=True):
        assert base <= got <= base * 1.1


def test_rate_limits_wait_what_the_venue_asked_and_bans_longer() -> None:
    plain = RetryPolicy(initial_secs=0.5, ban_wait_secs=120.0)
    asked = RateLimitedError("v", "429", retry_after_secs=30.0, banned=False)
    unsaid = RateLimitedError("v", "429", retry_after_secs=None, banned=False)
    banned = RateLimitedError("v", "418", retry_after_secs=5.0, banned=True)
    assert plain.delay(asked, 1) == 30.0
    assert 0.5 <= plain.delay(unsaid, 1) <= 0.55
    assert plain.delay(banned, 1) == 120.0
    long_ban = RateLimitedError("v", "418", retry_after_secs=600.0, banned=True)
    assert plain.delay(long_ban, 1) == 600.0


async def test_temporary_failures_are_retried_and_reported() -> None:
    waits = Waits()
    seen: list[str] = []
    errors = [
        RateLimitedError("v", "429", retry_after_secs=2.0, banned=False),
        VenueUnavailableError("v", "502"),
        MalformedPayloadError("v", "cut short"),
    ]
    result = await retrying(
        failing(*errors),
        policy(waits),
        what="page",
        on_retry=lambda error, wait: seen.append(type(error).__name__),
    )
    assert result == "ok"
    assert seen == ["RateLimitedError", "VenueUnavailableError", "MalformedPayloadError"]
    assert waits[0] == 2.0
    assert 1.0 <= waits[1] <= 1.1


async def test_request_errors_are_not_retried() -> None:
    waits = Waits()
    with pytest.raises(VenueRequestError):
        await retrying(
            failing(VenueRequestError("v", "400 Invalid symbol")), policy(waits), what="p"
        )
    assert waits == []


async def test_it_gives_up_after_max_attempts(caplog: pytest.LogCaptureFixture) -> None:
    waits = Waits()
    errors: list[VenueError] = [VenueUnavailableError("v", f"503 #{n}") for n in range(4)]
    with pytest.raises(VenueUnavailableError, match="503 #3"):
        await retrying(failing(*errors), policy(waits), what="page from 0")
    assert len(waits) == 3
    assert "page from 0 failed 4 times, giving up" in caplog.text
