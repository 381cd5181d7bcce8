"""What a venue call can fail with, in the three kinds of ARCHITECTURE §7.

Each kind subclasses signal_bus's error of the same kind, so a caller's ``except`` of a kind
(and the shared retry predicate, which retries `signal_bus.TemporaryError` only) catches it.

- temporary: `VenueUnavailableError` (network, timeout, HTTP 5xx) and `RateLimitedError`
  (HTTP 429, or a 418 ban), which carries the venue's ``Retry-After``;
- operational: `VenueRequestError` (the request is wrong: HTTP 4xx, bad keys, rejected
  order), `RegionRefusedError` (HTTP 451), `UnknownVenueError`, `OrderNotFoundError`;
- invalid: `MalformedPayloadError` (a response that could not be read at all).
"""

from __future__ import annotations

import signal_bus


class VenueError(Exception):
    """Base of the errors a venue call raises; ``venue`` names the venue."""

    def __init__(self, venue: str, message: str) -> None:
        super().__init__(f"{venue}: {message}")
        self.venue = venue


class VenueUnavailableError(VenueError, signal_bus.TemporaryError):
    """The venue cannot be reached or failed on its side (network, timeout, HTTP 5xx)."""


class RateLimitedError(VenueUnavailableError):
    """The venue refused a request for its rate (HTTP 429), or banned us for a while (418).

    Parameters
    ----------
    venue, message
        As for `VenueError`.
    retry_after_secs
        The wait the venue asked for (``Retry-After``), when it said.
    banned
        True when the venue banned us (HTTP 418): wait longer than for a plain 429.
    """

    def __init__(
        self, venue: str, message: str, *, retry_after_secs: float | None, banned: bool
    ) -> None:
        super().__init__(venue, message)
        self.retry_after_secs = retry_after_secs
        self.banned = banned


class MalformedPayloadError(VenueError, signal_bus.InvalidMessageError):
    """A response could not be read at all (not JSON, wrong shape); nothing of it was used.

    Counted under the reason ``malformed_payload``, like every `InvalidMessageError`.
    """

    def __init__(self, venue: str, message: str) -> None:
        signal_bus.InvalidMessageError.__init__(self, "malformed_payload", f"{venue}: {message}")
        self.venue = venue


class VenueRequestError(VenueError, signal_bus.OperationalError):
    """The request itself is wrong and retrying will not help (unknown symbol, HTTP 4xx)."""


class RegionRefusedError(VenueRequestError):
    """The venue refuses requests from this machine's location (HTTP 451, "restricted location")."""


class UnknownVenueError(VenueRequestError):
    """No venue of that name: neither registered nor an exchange ccxt knows."""


class OrderNotFoundError(VenueRequestError):
    """The venue knows no such order."""
