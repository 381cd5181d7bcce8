"""Generic webhook: a JSON body signed with HMAC-SHA256 over ``timestamp + "." + body``.

Headers: ``X-NTX-Timestamp`` (Unix seconds), ``X-NTX-Signature: sha256=<hex>`` and
``X-NTX-Alert-Id`` (the dedup key). A receiver recomputes the signature with the shared
key, rejects a timestamp older than a few minutes (replay) and may drop a repeated alert id.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Callable
from urllib.parse import urlsplit

import httpx

from alert_system.alerts import Alert
from alert_system.channels.http import post
from alert_system.settings import WebhookSection
from signal_schema.system import AlertChannel


def sign(key: bytes, timestamp: str, body: bytes) -> str:
    """Return the signature header value for `body` sent at `timestamp`."""
    mac = hmac.new(key, timestamp.encode() + b"." + body, hashlib.sha256)
    return f"sha256={mac.hexdigest()}"


def verify(
    key: bytes,
    timestamp: str,
    body: bytes,
    signature: str,
    *,
    now: float,
    tolerance_secs: float = 300.0,
) -> bool:
    """Tell whether `signature` is valid and `timestamp` fresh (what a receiver does)."""
    try:
        fresh = abs(now - float(timestamp)) <= tolerance_secs
    except ValueError:
        return False
    return fresh and hmac.compare_digest(sign(key, timestamp, body), signature)


class WebhookChannel:
    """POST alerts as JSON to one URL, signed when an HMAC key is set."""

    name: AlertChannel = "webhook"
    idempotent = True  # X-NTX-Alert-Id
    template_format = "json"

    def __init__(
        self,
        settings: WebhookSection,
        client: httpx.AsyncClient,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._url = settings.url.get_secret_value()
        self._key = settings.hmac_key.get_secret_value().encode()
        self._client = client
        self._clock = clock
        self.filter = settings
        parts = urlsplit(self._url)
        self.target = f"{parts.hostname}:{parts.port or ''}".rstrip(":")

    def package(self, alert: Alert, rendered: str) -> str:
        """Return the rendered JSON as is."""
        return rendered

    def fallback(self, alert: Alert, text: str) -> str:
        """Return a minimal JSON body holding the plain rendering."""
        return json.dumps({"type": alert.kind, "alert_id": alert.alert_id, "text": text})

    def check(self, body: str) -> None:
        """Raise ValueError unless `body` is JSON."""
        json.loads(body)

    async def send(self, body: str, alert_id: str) -> None:
        """POST `body` with fresh timestamp and signature headers."""
        content = body.encode()
        timestamp = str(int(self._clock()))
        headers = {
            "Content-Type": "application/json",
            "X-NTX-Alert-Id": alert_id,
            "X-NTX-Timestamp": timestamp,
        }
        if self._key:
            headers["X-NTX-Signature"] = sign(self._key, timestamp, content)
        await post(self._client, self._url, content, headers)

    async def aclose(self) -> None:
        """Nothing to close: the HTTP client is shared and owned by the service."""
