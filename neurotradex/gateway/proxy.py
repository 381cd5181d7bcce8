"""Forward API calls to the owning service and probe every service's `/healthz`."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from typing import Any

import httpx
from fastapi import Request, Response
from fastapi.responses import JSONResponse

from neurotradex.gateway.settings import ServiceName, Upstream, UpstreamSettings

log = logging.getLogger(__name__)

_PASSED_HEADERS = ("content-type", "cache-control", "etag", "last-modified", "location")
_SENT_HEADERS = ("content-type", "accept", "if-none-match", "if-modified-since")


class Proxy:
    """One shared `httpx.AsyncClient` to every service's HTTP API."""

    def __init__(self, settings: UpstreamSettings, *, service_token: str | None = None) -> None:
        self.services: Mapping[ServiceName, Upstream] = settings.services()
        self._timeout = httpx.Timeout(settings.timeout_secs, connect=settings.health_timeout_secs)
        self._health_timeout = settings.health_timeout_secs
        self._service_token = service_token
        self._client: httpx.AsyncClient | None = None

    async def start(self) -> None:
        """Open the shared client (called from the app's lifespan)."""
        headers = {}
        if self._service_token is not None:
            headers["Authorization"] = f"Bearer {self._service_token}"
        self._client = httpx.AsyncClient(timeout=self._timeout, headers=headers, trust_env=False)

    async def stop(self) -> None:
        """Close the shared client."""
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    @property
    def client(self) -> httpx.AsyncClient:
        """The shared client; only while the app runs."""
        if self._client is None:
            raise RuntimeError("the proxy is not started (the app's lifespan did not run)")
        return self._client

    async def forward(self, service: ServiceName, path: str, request: Request) -> Response:
        """Send `request` to `path` on `service`; pass its status and body back.

        The query string and body go along unchanged. The caller's `Authorization` header
        is never forwarded; the gateway presents `NTX_BUS_TOKEN` instead, when one is set.
        """
        headers = {k: v for k in _SENT_HEADERS if (v := request.headers.get(k)) is not None}
        try:
            url = httpx.URL(self.services[service].http_url + path).copy_with(
                query=request.scope.get("query_string") or None
            )
        except httpx.InvalidURL as exc:  # httpx refuses a component over 64 KiB
            body = {"detail": f"the URL cannot be forwarded: {exc}"}
            return JSONResponse(body, status_code=414 if "too long" in str(exc) else 400)
        try:
            upstream = await self.client.request(
                request.method,
                url,
                headers=headers,
                content=await request.body() or None,
            )
        except httpx.TimeoutException as exc:
            return _failure(
                504, service, "upstream_timeout", f"{service} did not answer in time", exc
            )
        except httpx.TransportError as exc:
            return _failure(503, service, "upstream_unavailable", f"{service} is unavailable", exc)
        passed = {k: v for k in _PASSED_HEADERS if (v := upstream.headers.get(k)) is not None}
        return Response(upstream.content, status_code=upstream.status_code, headers=passed)

    async def health(self) -> dict[ServiceName, dict[str, Any]]:
        """Probe every service's `/healthz` at once, each within the health timeout."""
        names = list(self.services)
        bodies = await asyncio.gather(*(self._probe(name) for name in names))
        return dict(zip(names, bodies, strict=True))

    async def _probe(self, service: ServiceName) -> dict[str, Any]:
        url = self.services[service].http_url + "/healthz"
        try:
            answer = await self.client.get(url, timeout=self._health_timeout)
        except httpx.HTTPError as exc:
            return {"status": "down", "error": _describe(exc)}
        try:
            body = answer.json()
        except ValueError:
            body = None
        code = answer.status_code
        if not isinstance(body, dict):
            return {"status": "down", "error": f"/healthz answered HTTP {code} without JSON"}
        if code != 200:
            return {"status": "down", **body, "http_status": code}
        return body


def _describe(exc: Exception) -> str:
    text = str(exc)
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _failure(
    status: int, service: ServiceName, error: str, detail: str, exc: Exception
) -> JSONResponse:
    log.warning("%s: %s", detail, _describe(exc))
    body = {"error": error, "service": service, "detail": f"{detail}: {_describe(exc)}"}
    return JSONResponse(body, status_code=status)
