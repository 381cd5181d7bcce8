"""Wait for a child's health check, giving up when it dies or takes too long."""

from __future__ import annotations

import asyncio

import httpx

PROBE_INTERVAL_SECS = 0.2


async def probe(http: httpx.AsyncClient, url: str) -> bool:
    """Tell whether `url` answers 200 right now."""
    try:
        response = await http.get(url, timeout=2.0)
    except httpx.HTTPError:
        return False
    return response.status_code == 200


async def wait_healthy(
    http: httpx.AsyncClient, url: str, exited: asyncio.Future[int], timeout_secs: float
) -> bool:
    """Poll `url` until it answers 200; False if the process exits or time runs out."""
    try:
        async with asyncio.timeout(timeout_secs):
            while not exited.done():
                if await probe(http, url):
                    return True
                await asyncio.wait({exited}, timeout=PROBE_INTERVAL_SECS)
    except TimeoutError:
        return False
    return False
