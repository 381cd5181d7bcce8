"""Turn a ccxt failure into a `VenueError` whose kind says whether retrying may help.

ccxt maps HTTP 418 and 429 (and even 400/404) onto one exception class, so the status and
``Retry-After`` of the very response that failed decide first; ccxt's class decides when
there was no response (a timeout, a refused connection, a check ccxt made itself).
"""

from __future__ import annotations

from collections.abc import Mapping

import ccxt  # type: ignore[import-untyped]

from signal_bus.retry import retry_after_secs
from venue_adapter.errors import (
    MalformedPayloadError,
    OrderNotFoundError,
    RateLimitedError,
    RegionRefusedError,
    VenueError,
    VenueRequestError,
    VenueUnavailableError,
)


def retry_after_of(headers: Mapping[str, str]) -> float | None:
    """Return the wait a response's ``Retry-After`` header asks for (header names lower-case)."""
    return retry_after_secs(headers.get("retry-after"))


def classify(
    venue: str,
    what: str,
    error: Exception,
    status: int | None = None,
    headers: Mapping[str, str] | None = None,
) -> VenueError:
    """Return the `VenueError` for a ccxt failure of `what`, given the failed response's status.

    429 and 418 (and ccxt's rate-limit classes) are rate limits, 418 a ban; 5xx, timeouts,
    network failures and a rejected nonce are temporary; an unknown order is
    `OrderNotFoundError`; 451 is a refused region; other 4xx and request errors (bad keys,
    insufficient funds, bad symbol) are operational; a response ccxt could not read is
    malformed.

    Parameters
    ----------
    venue
        The venue's name, for the message.
    what
        The call that failed (``fetch_ohlcv BTC/USDT 1h``).
    error
        What ccxt raised.
    status, headers
        The failed response's HTTP status and headers (lower-case names), when there was one.
    """
    message = f"{what}: {type(error).__name__}: {str(error)[:300]}"
    rate_limit = isinstance(error, ccxt.DDoSProtection) or (
        isinstance(error, ccxt.RateLimitExceeded) and (status is None or status < 500)
    )
    if status in (418, 429) or rate_limit:
        wait = retry_after_of(headers or {})
        return RateLimitedError(venue, message, retry_after_secs=wait, banned=status == 418)
    if status is not None and status >= 500:
        return VenueUnavailableError(venue, message)
    if isinstance(error, ccxt.OrderNotFound):
        return OrderNotFoundError(venue, message)
    if isinstance(error, ccxt.InvalidNonce):  # our clock or nonce was off: the next try may pass
        return VenueUnavailableError(venue, message)
    if status == 451:
        return RegionRefusedError(venue, f"refuses this location (HTTP 451): {message}")
    if status is not None and 400 <= status < 500:
        return VenueRequestError(venue, message)
    if isinstance(error, ccxt.BadResponse):
        return MalformedPayloadError(venue, message)
    if isinstance(error, ccxt.NetworkError):
        return VenueUnavailableError(venue, message)
    if isinstance(error, ccxt.BaseError):
        return VenueRequestError(venue, message)
    return MalformedPayloadError(venue, message)
