"""Classify an HTTP answer for retry: 2xx done, 429 wait, 5xx back off, other 4xx give up."""

from __future__ import annotations

import contextlib

import httpx

from alert_system.channels.base import DeliveryError, TemporaryDeliveryError
from signal_bus.retry import retry_after_secs as header_secs


def retry_after_secs(response: httpx.Response) -> float | None:
    """Return the wait a 429 asks for: body ``retry_after``, else the ``Retry-After`` header."""
    with contextlib.suppress(ValueError, TypeError, AttributeError):
        value = response.json().get("retry_after")
        if value is not None:
            return max(0.0, float(value))
    header = response.headers.get("Retry-After") or response.headers.get("X-RateLimit-Reset-After")
    return header_secs(header)


def raise_for_delivery(response: httpx.Response) -> None:
    """Raise DeliveryError unless `response` is a success."""
    status = response.status_code
    if status < 300:
        return
    if status == 429:
        raise TemporaryDeliveryError(
            "HTTP 429", retry_after=retry_after_secs(response), status=status
        )
    if status >= 500:
        raise TemporaryDeliveryError(f"HTTP {status}", status=status)
    raise DeliveryError(f"HTTP {status}", permanent=True, status=status)


async def post(
    client: httpx.AsyncClient, url: str, content: bytes, headers: dict[str, str]
) -> httpx.Response:
    """POST `content`; turn timeouts and connection errors into retryable DeliveryErrors."""
    try:
        response = await client.post(url, content=content, headers=headers)
    except httpx.TimeoutException as exc:
        raise TemporaryDeliveryError(f"timeout ({type(exc).__name__})") from None
    except httpx.TransportError as exc:
        raise TemporaryDeliveryError(f"connection failed ({type(exc).__name__})") from None
    raise_for_delivery(response)
    return response
