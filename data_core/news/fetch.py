"""Conditional HTTP GET of a feed: ETag / Last-Modified sent back, 304 understood."""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from data_core.errors import FeedError

USER_AGENT = "NeuroTradeX-news/0.1 (+https://github.com/neurotradex)"


@dataclass(frozen=True, slots=True)
class Validators:
    """What the server said identifies this version of the feed."""

    etag: str | None = None
    last_modified: str | None = None

    def request_headers(self) -> dict[str, str]:
        """Return the conditional-request headers for the next fetch."""
        headers: dict[str, str] = {}
        if self.etag:
            headers["If-None-Match"] = self.etag
        if self.last_modified:
            headers["If-Modified-Since"] = self.last_modified
        return headers


@dataclass(frozen=True, slots=True)
class Fetched:
    """A fetch's outcome: ``body`` is None when the server answered 304 Not Modified."""

    body: bytes | None
    content_type: str | None
    validators: Validators


async def fetch_feed(
    client: httpx.AsyncClient, url: str, validators: Validators, max_bytes: int
) -> Fetched:
    """GET `url` conditionally, reading at most `max_bytes` of body.

    Raises
    ------
    FeedError
        ``network`` (connection, timeout), ``http_status`` (not 200 or 304), ``too_large``.
    """
    headers = {"User-Agent": USER_AGENT, **validators.request_headers()}
    try:
        async with client.stream("GET", url, headers=headers, follow_redirects=True) as response:
            if response.status_code == httpx.codes.NOT_MODIFIED:
                return Fetched(None, None, validators)
            if response.status_code != httpx.codes.OK:
                raise FeedError("http_status", f"HTTP {response.status_code} from {url}")
            body = await _read_capped(response, max_bytes)
    except httpx.HTTPError as exc:
        raise FeedError("network", f"{type(exc).__name__}: {exc}") from None
    fresh = Validators(response.headers.get("ETag"), response.headers.get("Last-Modified"))
    return Fetched(body, response.headers.get("Content-Type"), fresh)


async def _read_capped(response: httpx.Response, max_bytes: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.aiter_bytes():
        size += len(chunk)
        if size > max_bytes:
            raise FeedError("too_large", f"more than {max_bytes} bytes from {response.url}")
        chunks.append(chunk)
    return b"".join(chunks)
