"""Discord webhook: ``content`` (≤ 2,000 chars) plus embeds coloured by direction.

A 429 waits the body's ``retry_after``; when ``X-RateLimit-Remaining`` reaches 0 the next
send waits ``X-RateLimit-Reset-After``; a 404 (or 401: bad token) means the webhook was
deleted: the error says the target is gone, and the dispatcher stops using it.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time

import httpx

from alert_system.alerts import Alert
from alert_system.channels.base import DeliveryError
from alert_system.channels.http import post
from alert_system.settings import DiscordSection
from signal_schema.system import AlertChannel

CONTENT_LIMIT = 2_000
EMBED_LIMIT = 10
GONE = frozenset({401, 404})  # Unknown Webhook / Invalid Webhook Token


class DiscordChannel:
    """POST alerts to one Discord webhook."""

    name: AlertChannel = "discord"
    idempotent = False  # webhook execution has no idempotency key
    target = "discord"
    template_format = "json"

    def __init__(self, settings: DiscordSection, client: httpx.AsyncClient) -> None:
        self._url = settings.webhook_url.get_secret_value()
        self._client = client
        self.filter = settings
        self._resume_at = 0.0

    def package(self, alert: Alert, rendered: str) -> str:
        """Return the rendered JSON as is."""
        return rendered

    def fallback(self, alert: Alert, text: str) -> str:
        """Return a body with the plain rendering as content."""
        return json.dumps({"content": text[:CONTENT_LIMIT]})

    def check(self, body: str) -> None:
        """Raise ValueError unless `body` is a valid webhook payload."""
        payload = json.loads(body)
        if len(payload.get("content") or "") > CONTENT_LIMIT:
            raise ValueError("content longer than 2000 characters")
        if len(payload.get("embeds") or []) > EMBED_LIMIT:
            raise ValueError("more than 10 embeds")

    async def send(self, body: str, alert_id: str) -> None:
        """POST `body`, first waiting out an exhausted rate-limit bucket."""
        pause = self._resume_at - time.monotonic()
        if pause > 0:
            await asyncio.sleep(pause)
        try:
            response = await post(
                self._client, self._url, body.encode(), {"Content-Type": "application/json"}
            )
        except DeliveryError as exc:
            if exc.status in GONE:
                reason = f"discord webhook gone ({exc.reason}): target disabled"
                raise DeliveryError(reason, status=exc.status, gone=True) from None
            raise
        self._note_bucket(response)

    def _note_bucket(self, response: httpx.Response) -> None:
        if response.headers.get("X-RateLimit-Remaining") != "0":
            return
        with contextlib.suppress(TypeError, ValueError):
            reset = float(response.headers.get("X-RateLimit-Reset-After", "0"))
            self._resume_at = time.monotonic() + reset

    async def aclose(self) -> None:
        """Nothing to close: the HTTP client is shared and owned by the service."""
