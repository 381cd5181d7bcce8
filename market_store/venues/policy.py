"""How venue calls are retried (temporary errors only) and how a live stream behaves."""

from __future__ import annotations

import asyncio
import email.utils
import logging
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Final, TypeVar

from market_store.venues.base import MalformedPayloadError, RateLimitedError, VenueUnavailableError

_log = logging.getLogger(__name__)

T = TypeVar("T")
Sleep = Callable[[float], Awaitable[None]]
_JITTER = random.Random()  # noqa: S311 (jitter, not secrets)


def retry_after_secs(value: str | None, *, now: float | None = None) -> float | None:
    """Return the wait a ``Retry-After`` header asks for (seconds or an HTTP date), or None."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


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

    def delay(self, error: Exception, attempt: int, rng: random.Random | None = None) -> float:
        """Return how long to wait after the `attempt`-th failed call (1-based) with `error`."""
        backoff = min(self.max_secs, self.initial_secs * 2.0 ** (attempt - 1))
        backoff *= 1.0 + 0.1 * (rng or _JITTER).random()
        if isinstance(error, RateLimitedError):
            asked = error.retry_after_secs or 0.0
            floor = self.ban_wait_secs if error.banned else 0.0
            return max(backoff, asked, floor)
        return backoff


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
    attempt = 0
    while True:
        attempt += 1
        try:
            return await call()
        except RETRYABLE as error:
            if attempt >= policy.max_attempts:
                _log.error("%s failed %d times, giving up: %s", what, attempt, error)
                raise
            wait = policy.delay(error, attempt)
            _log.warning("%s failed (%s); retry %d in %.2f s", what, error, attempt, wait)
            if on_retry is not None:
                on_retry(error, wait)
            await policy.sleep(wait)
