"""The gateway's FastAPI app: health, forwarded API, browser relay, then the dashboard."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, WebSocket
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles

from neurotradex import __version__
from neurotradex.gateway.auth import Authorizer
from neurotradex.gateway.limits import RequestLimits
from neurotradex.gateway.proxy import Proxy
from neurotradex.gateway.relay import Relay
from neurotradex.gateway.relay_ws import serve_browser
from neurotradex.gateway.routes import add_forwarded_routes
from neurotradex.gateway.settings import GatewaySettings
from neurotradex.gateway.tokens import ApiTokens
from service_runtime.metrics import METRICS_CONTENT_TYPE

log = logging.getLogger(__name__)

LIVE_PAGE = Path(__file__).with_name("static") / "live.html"
"""Served at `/` until the dashboard is built: the relay's messages, live."""


def create_app(settings: GatewaySettings, tokens: ApiTokens, *, relay: Relay) -> FastAPI:
    """Build the gateway app; its lifespan starts the HTTP client and the relay.

    Parameters
    ----------
    settings
        Gateway settings (upstream URLs and timeouts, dashboard directory).
    tokens
        The read and operator tokens requests and browsers must present.
    relay
        The browser relay hub; started and stopped with the app.

    Returns
    -------
    FastAPI
        The app: `/api/health`, `/metrics` (the relay's Prometheus metrics) and
        `/openapi.json` without a token, the forwarded `/api/*` routes behind their token,
        `/ws` for browsers, then the dashboard at `/`.
    """
    token = settings.bus_token.get_secret_value() if settings.bus_token is not None else None
    proxy = Proxy(settings.upstream, service_token=token)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        await proxy.start()
        await relay.start()
        try:
            yield
        finally:
            await relay.stop()
            await proxy.stop()

    app = FastAPI(
        title="NeuroTradeX gateway",
        version=__version__,
        openapi_url="/openapi.json",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )

    @app.get("/api/health", tags=["gateway"], operation_id="get_health")
    async def health() -> dict[str, Any]:
        """Report every service's `/healthz` and the relay's state (no token needed)."""
        services = await proxy.health()
        ok = all(body.get("status") == "ok" for body in services.values())
        return {"status": "ok" if ok else "degraded", "services": services, "relay": relay.stats()}

    @app.get("/metrics", include_in_schema=False)
    async def prometheus() -> Response:
        return Response(relay.metrics.render(), media_type=METRICS_CONTENT_TYPE)

    add_forwarded_routes(app, proxy, Authorizer(tokens))
    limits = settings.limits
    app.add_middleware(
        RequestLimits,
        max_query_bytes=limits.max_query_bytes,
        max_body_bytes=limits.max_body_bytes,
    )

    async def relay_ws(websocket: WebSocket) -> None:
        await serve_browser(websocket, relay)

    app.add_api_websocket_route("/ws", relay_ws)
    _add_dashboard(app, settings)
    return app


def _add_dashboard(app: FastAPI, settings: GatewaySettings) -> None:
    """Mount the static export at `/` (after every other route), or a placeholder page."""
    directory = settings.dashboard_dir
    if directory is not None and directory.is_dir():
        app.mount("/", StaticFiles(directory=directory, html=True), name="dashboard")
        return
    if directory is not None:
        log.warning("dashboard directory %s does not exist; serving a placeholder", directory)

    page = LIVE_PAGE.read_text(encoding="utf-8")

    @app.get("/", include_in_schema=False)
    async def live_page() -> HTMLResponse:
        return HTMLResponse(page)
