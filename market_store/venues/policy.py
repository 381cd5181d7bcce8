"""How venue calls are retried (temporary errors only) and how a live stream behaves.

Retries are tenacity's, built from `signal_bus.retry`'s shared blocks: the Retry-After-aware
wait, the retry predicate and the one-line-per-retry logger.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Final, TypeVar, cast

from tenacity import AsyncRetrying, RetryCallState, retry_if_exception_type, stop_after_attempt

from market_store.venues.base import MalformedPayloadError, RateLimitedError, VenueUnavailableError
from signal_bus.retry import (
    delay_of,
    log_retry,
    retry_if_temporary,
    wait_backoff,
    wait_retry_after,
)

_log = logging.getLogger(__name__)

T = TypeVar("T")
Sleep = Callable[[float], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """When and how long to wait before calling a venue again.

    Only temporary failures are retried: the network, HTTP 5xx, 429 and 418 (a ban), and a
    malformed payload (a truncated response may come right the next time). A 429 or 418 waits
    at least what the venue's ``Retry-After`` asked; a 418 at least `ban_wait_secs`.

    Parameters
    ----------
    max_attempts
        Calls in all, the first included.
    initial_secs, max_secs
        Exponential backoff between attempts: ``initial_secs * 2**n`` capped at `max_secs`,
        with up to 10 % jitter.
    ban_wait_secs
        The least wait after a 418 ban.
    """

    max_attempts: int = 6
    initial_secs: float = 0.5
    max_secs: float = 60.0
    ban_wait_secs: float = 120.0
    sleep: Sleep = field(default=asyncio.sleep, compare=False, repr=False)

    def wait(self, rng: random.Random | None = None) -> wait_retry_after:
        """Return the tenacity wait: jittered backoff, at least Retry-After, a ban's floor."""
        backoff = wait_backoff(self.initial_secs, self.max_secs, jitter=(1.0, 1.1), rng=rng)
        return wait_retry_after(backoff, floor=self._ban_floor)

    def _ban_floor(self, error: BaseException | None) -> float:
        banned = isinstance(error, RateLimitedError) and error.banned
        return self.ban_wait_secs if banned else 0.0

    def delay(self, error: Exception, attempt: int, rng: random.Random | None = None) -> float:
        """Return how long to wait after the `attempt`-th failed call (1-based) with `error`."""
        return delay_of(self.wait(rng), error, attempt)


@dataclass(frozen=True, slots=True)
class LivePolicy:
    """How `watch_closed` keeps candles coming.

    Parameters
    ----------
    poll_interval_secs
        Between REST polls while the websocket is down (or the venue has none).
    ws_retry_initial_secs, ws_retry_max_secs
        How long to poll before trying the websocket again; doubles after each failed try.
    ws_stall_secs
        A websocket that delivers nothing for this long counts as failed.
    retry
        For the REST calls that fill holes and poll.
    """

    poll_interval_secs: float = 5.0
    ws_retry_initial_secs: float = 10.0
    ws_retry_max_secs: float = 300.0
    ws_stall_secs: float = 90.0
    retry: RetryPolicy = field(default_factory=RetryPolicy)


RETRYABLE: Final = (VenueUnavailableError, MalformedPayloadError)
"""The errors `retrying` retries: temporary ones and malformed payloads."""

_RETRY: Final = retry_if_temporary | retry_if_exception_type(MalformedPayloadError)
"""Temporary errors, and a malformed payload: a truncated response may come right next time."""


async def retrying(
    call: Callable[[], Awaitable[T]],
    policy: RetryPolicy,
    *,
    what: str,
    on_retry: Callable[[Exception, float], None] | None = None,
) -> T:
    """Await ``call()``, retrying temporary failures as `policy` says.

    Parameters
    ----------
    call
        Makes one attempt.
    policy
        When to give up and how long to wait.
    what
        Names the call in log records.
    on_retry
        Told each failure that will be retried and the wait before the retry.

    Returns
    -------
    T
        What the first successful attempt returned.

    Raises
    ------
    VenueUnavailableError, MalformedPayloadError
        The last failure, once `policy.max_attempts` calls have failed.
    VenueRequestError
        At once: retrying cannot help.
    """
    log_line = log_retry(_log, what)

    def before_sleep(state: RetryCallState) -> None:
        log_line(state)
        error = state.outcome.exception() if state.outcome is not None else None
        if on_retry is not None and isinstance(error, Exception) and state.next_action:
            on_retry(error, state.next_action.sleep)

    def give_up(state: RetryCallState) -> T:
        assert state.outcome is not None  # noqa: S101 (tenacity calls this after a failure)
        _log.error(
            "%s failed %d times, giving up: %s",
            what,
            state.attempt_number,
            state.outcome.exception(),
        )
        return cast(T, state.outcome.result())  # raises the last failure

    retryer = AsyncRetrying(
        stop=stop_after_attempt(policy.max_attempts),
        wait=policy.wait(),
        retry=_RETRY,
        sleep=policy.sleep,
        before_sleep=before_sleep,
        retry_error_callback=give_up,
    )

    async def attempt() -> T:  # a coroutine function: tenacity awaits only those
        return await call()

    return cast(T, await retryer(attempt))
