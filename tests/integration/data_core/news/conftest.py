"""A local feed server on 127.0.0.1 and an HTTP client for the polling tests."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import httpx
import pytest

from tests.fixtures.news.server import FeedServer, feed_server


@pytest.fixture
def server() -> Iterator[FeedServer]:
    """A running feed server with no routes yet."""
    with feed_server() as running:
        yield running


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    """The HTTP client the poller uses (closed after the test)."""
    async with httpx.AsyncClient(timeout=5.0) as http:
        yield http
