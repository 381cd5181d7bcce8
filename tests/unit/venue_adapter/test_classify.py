"""ccxt's exceptions (the real classes) become temporary, operational or invalid venue errors."""

from __future__ import annotations

import ccxt  # type: ignore[import-untyped]
import pytest

import signal_bus
import venue_adapter as va
from venue_adapter.classify import classify, retry_after_of

TEMPORARY, OPERATIONAL, INVALID = (
    signal_bus.TemporaryError,
    signal_bus.OperationalError,
    signal_bus.InvalidMessageError,
)


@pytest.mark.parametrize(
    ("error", "status", "expected", "kind"),
    [
        (ccxt.RateLimitExceeded("binance 429"), None, va.RateLimitedError, TEMPORARY),
        (ccxt.DDoSProtection("binance 418"), None, va.RateLimitedError, TEMPORARY),
        (ccxt.ExchangeNotAvailable("binance 503"), None, va.VenueUnavailableError, TEMPORARY),
        (ccxt.OnMaintenance("system maintenance"), None, va.VenueUnavailableError, TEMPORARY),
        (ccxt.RequestTimeout("timed out"), None, va.VenueUnavailableError, TEMPORARY),
        (ccxt.NetworkError("connection reset"), None, va.VenueUnavailableError, TEMPORARY),
        (ccxt.InvalidNonce("-1021 timestamp ahead"), 400, va.VenueUnavailableError, TEMPORARY),
        (ccxt.ExchangeError("-1003 internal"), 503, va.VenueUnavailableError, TEMPORARY),
        (ccxt.RateLimitExceeded("-1003 internal"), 503, va.VenueUnavailableError, TEMPORARY),
        (ccxt.AuthenticationError("-2014 bad key"), 401, va.VenueRequestError, OPERATIONAL),
        (ccxt.AuthenticationError("requires apiKey"), None, va.VenueRequestError, OPERATIONAL),
        (ccxt.InsufficientFunds("-2010 balance"), 400, va.VenueRequestError, OPERATIONAL),
        (ccxt.BadSymbol("-1121 invalid symbol"), 400, va.VenueRequestError, OPERATIONAL),
        (ccxt.BadSymbol("does not have market"), None, va.VenueRequestError, OPERATIONAL),
        (ccxt.InvalidOrder("-1013 filter failure"), 400, va.VenueRequestError, OPERATIONAL),
        (ccxt.OrderNotFound("-2013 unknown order"), 400, va.OrderNotFoundError, OPERATIONAL),
        (ccxt.ExchangeNotAvailable("404 not found"), 404, va.VenueRequestError, OPERATIONAL),
        (ccxt.ExchangeNotAvailable("restricted location"), 451, va.RegionRefusedError, OPERATIONAL),
        (ccxt.BadResponse("not JSON"), None, va.MalformedPayloadError, INVALID),
        (ccxt.NullResponse("empty"), None, va.MalformedPayloadError, INVALID),
    ],
)
def test_ccxt_errors_are_classified_by_status_then_class(
    error: Exception, status: int | None, expected: type[va.VenueError], kind: type[Exception]
) -> None:
    classified = classify("binance", "call", error, status, {})
    assert type(classified) is expected
    assert isinstance(classified, kind)
    kinds = (TEMPORARY, OPERATIONAL, INVALID)
    assert [isinstance(classified, k) for k in kinds].count(True) == 1
    assert classified.venue == "binance"
    assert f"call: {type(error).__name__}: " in str(classified)


@pytest.mark.parametrize(
    ("status", "headers", "banned", "wait"),
    [
        (429, {"retry-after": "7"}, False, 7.0),
        (429, {}, False, None),
        (418, {"retry-after": "120"}, True, 120.0),
        (418, {"retry-after": "soon"}, True, None),
    ],
)
def test_a_429_or_418_is_a_rate_limit_carrying_retry_after(
    status: int, headers: dict[str, str], banned: bool, wait: float | None
) -> None:
    classified = classify("binance", "klines", ccxt.DDoSProtection("x"), status, headers)
    assert isinstance(classified, va.RateLimitedError)
    assert (classified.banned, classified.retry_after_secs) == (banned, wait)


def test_retry_after_is_read_from_lower_case_headers() -> None:
    assert retry_after_of({"retry-after": "2.5"}) == 2.5
    assert retry_after_of({"content-type": "application/json"}) is None
