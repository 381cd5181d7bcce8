"""Read exec_core's and model_engine's HTTP APIs for the bot's answers; 404 is "not yet"."""

from __future__ import annotations

from typing import Any

import httpx


class ApiUnavailable(Exception):
    """The upstream cannot answer (down, 404 because not built yet, or an error)."""


class UpstreamApi:
    """Small async client for the routes the commands read.

    Parameters
    ----------
    exec_core_url, model_engine_url
        Base URLs of the two HTTP APIs.
    client
        The HTTP client (its timeout applies).
    """

    def __init__(self, exec_core_url: str, model_engine_url: str, client: httpx.AsyncClient):
        self._exec = exec_core_url.rstrip("/")
        self._model = model_engine_url.rstrip("/")
        self._client = client

    async def _get(self, url: str) -> Any:
        try:
            response = await self._client.get(url)
        except httpx.HTTPError as exc:
            raise ApiUnavailable(f"unreachable ({type(exc).__name__})") from None
        if response.status_code == 404:
            raise ApiUnavailable("not available yet (404)")
        if response.status_code >= 400:
            raise ApiUnavailable(f"HTTP {response.status_code}")
        return response.json()

    async def positions(self) -> Any:
        """Return exec_core's ``GET /api/positions``."""
        return await self._get(f"{self._exec}/api/positions")

    async def portfolio(self) -> Any:
        """Return exec_core's ``GET /api/portfolio`` (equity, PnL, drawdown)."""
        return await self._get(f"{self._exec}/api/portfolio")

    async def signals(self) -> Any:
        """Return model_engine's ``GET /api/signals`` (recent signals)."""
        return await self._get(f"{self._model}/api/signals")

    async def signal(self, signal_id: str) -> Any:
        """Return model_engine's ``GET /api/signals/{signal_id}``."""
        return await self._get(f"{self._model}/api/signals/{signal_id}")

    async def aclose(self) -> None:
        """Close the HTTP client."""
        await self._client.aclose()
