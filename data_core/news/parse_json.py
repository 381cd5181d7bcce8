"""JSON Feed 1.1 (https://jsonfeed.org/version/1.1) documents into entries."""

from __future__ import annotations

from datetime import datetime

from pydantic import AwareDatetime, BaseModel, ConfigDict, ValidationError

from data_core.clock import utc_to_ms
from data_core.errors import FeedError
from data_core.news.entries import RawEntry
from data_core.news.text import BODY_MAX_CHARS, TITLE_MAX_CHARS, plain_text, web_url

MAX_JSON_BYTES = 10_000_000


class JsonFeedItem(BaseModel):
    """The fields of a JSON Feed item that become a headline (others are ignored)."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    id: str | int
    url: str | None = None
    external_url: str | None = None
    title: str | None = None
    summary: str | None = None
    content_text: str | None = None
    content_html: str | None = None
    date_published: AwareDatetime | None = None
    date_modified: AwareDatetime | None = None


class JsonFeed(BaseModel):
    """A JSON Feed document: its version URL and items."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    version: str
    title: str | None = None
    items: list[JsonFeedItem]


def _published_ms(item: JsonFeedItem, default_ms: int) -> int:
    stamp: datetime | None = item.date_published or item.date_modified
    return default_ms if stamp is None else utc_to_ms(stamp)


def _entry(item: JsonFeedItem, source: str, fetched_ms: int) -> RawEntry | None:
    text = item.content_text or item.content_html
    title = plain_text(item.title, TITLE_MAX_CHARS) or plain_text(item.summary, TITLE_MAX_CHARS)
    if title is None:
        return None
    body = plain_text(item.summary if item.title else None, BODY_MAX_CHARS)
    return RawEntry(
        source=source,
        title=title,
        body=body or plain_text(text, BODY_MAX_CHARS),
        url=web_url(item.url) or web_url(item.external_url),
        published_ms=_published_ms(item, fetched_ms),
    )


def parse_json_feed(data: bytes, source: str, fetched_ms: int) -> list[RawEntry]:
    """Parse a JSON Feed 1.0/1.1 document (items without a title or summary are skipped).

    Parameters
    ----------
    data
        The response body (UTF-8 JSON).
    source
        Name given to every entry.
    fetched_ms
        Time of the fetch; the publication time of items that state none.

    Raises
    ------
    FeedError
        ``bad_json`` when it is not valid JSON or not a JSON Feed.
    """
    if len(data) > MAX_JSON_BYTES:
        raise FeedError("too_large", f"{len(data)} bytes")
    try:
        feed = JsonFeed.model_validate_json(data)
    except ValidationError as exc:
        raise FeedError("bad_json", _describe(exc)) from None
    if not feed.version.startswith("https://jsonfeed.org/version/"):
        raise FeedError("bad_json", f"not a JSON Feed version: {feed.version!r}")
    entries = (_entry(item, source, fetched_ms) for item in feed.items)
    return [entry for entry in entries if entry is not None]


def _describe(exc: ValidationError) -> str:
    first = exc.errors(include_url=False)[0]
    where = ".".join(str(part) for part in first["loc"]) or "document"
    return f"{exc.error_count()} error(s); first at {where}: {first['msg']}"
