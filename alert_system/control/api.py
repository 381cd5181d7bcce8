"""Read exec_core's and model_engine's HTTP APIs for the bot's answers; 404 is "not yet"."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import httpx
from pydantic import SecretStr


class ApiUnavailable(Exception):
    """The upstream cannot answer (down, 404 because not built yet, or an error)."""


class UpstreamApi:
    """Small async client for the routes the commands read.

    Parameters
    ----------
    exec_core_url, model_engine_url
        Base URLs of the two HTTP APIs.
    client
        The HTTP client (its timeout applies; shared with the channels, so the token goes
        on each request here, never on the client).
    token
        ``NTX_BUS_TOKEN``: the services' APIs answer nothing but probes without it.
    """

    def __init__(
        self,
        exec_core_url: str,
        model_engine_url: str,
        client: httpx.AsyncClient,
        token: SecretStr | None = None,
    ):
        self._exec = exec_core_url.rstrip("/")
        self._model = model_engine_url.rstrip("/")
        self._client = client
        secret = "" if token is None else token.get_secret_value()
        self._headers = {"Authorization": f"Bearer {secret}"} if secret else {}

    async def _get(self, url: str) -> Any:
        try:
            response = await self._client.get(url, headers=self._headers)
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

    async def approval(self, approval_id: str) -> dict[str, Any] | None:
        """Return exec_core's ``GET /api/approvals/{id}`` (status, decided_by, channel).

        None when exec_core answers that it has no such approval (404, or 422 for an id no
        approval can have); `ApiUnavailable` when it cannot answer.
        """
        url = f"{self._exec}/api/approvals/{quote(approval_id, safe='')}"
        try:
            response = await self._client.get(url, headers=self._headers)
        except httpx.HTTPError as exc:
            raise ApiUnavailable(f"unreachable ({type(exc).__name__})") from None
        if response.status_code in (404, 422):
            return None
        if response.status_code >= 400:
            raise ApiUnavailable(f"HTTP {response.status_code}")
        body = response.json()
        if not isinstance(body, dict) or "status" not in body:
            raise ApiUnavailable("an approval without a status")
        return body

    async def signals(self) -> Any:
        """Return model_engine's ``GET /api/signals`` (recent signals)."""
        return await self._get(f"{self._model}/api/signals")

    async def signal(self, signal_id: str) -> Any:
        """Return model_engine's ``GET /api/signals/{signal_id}``."""
        return await self._get(f"{self._model}/api/signals/{signal_id}")

    async def aclose(self) -> None:
        """Close the HTTP client."""
        await self._client.aclose()
