"""RSS 2.0 and Atom feeds: checked by defusedxml, parsed by feedparser (the one adapter).

feedparser has no type hints; its use is confined to this module.
"""

from __future__ import annotations

import calendar
import io
from typing import Any
from xml.etree.ElementTree import ParseError

import defusedxml  # type: ignore[import-untyped]
import defusedxml.ElementTree as safe_et  # type: ignore[import-untyped]
import feedparser  # type: ignore[import-untyped]

from data_core.errors import FeedError
from data_core.news.entries import RawEntry
from data_core.news.text import BODY_MAX_CHARS, TITLE_MAX_CHARS, plain_text, web_url

_FEED_ROOTS = frozenset({"rss", "feed", "RDF"})


def check_xml(data: bytes) -> None:
    """Refuse XML that is malformed, unsafe (entities, external references) or not a feed.

    Raises
    ------
    FeedError
        ``unsafe_xml``, ``bad_xml`` or ``not_a_feed``.
    """
    try:
        root = safe_et.fromstring(data, forbid_dtd=False, forbid_entities=True)
    except defusedxml.DefusedXmlException as exc:
        raise FeedError("unsafe_xml", f"{type(exc).__name__}: {exc}") from None
    except ParseError as exc:
        raise FeedError("bad_xml", str(exc)) from None
    local_name = str(root.tag).rsplit("}", 1)[-1]
    if local_name not in _FEED_ROOTS:
        raise FeedError("not_a_feed", f"root element <{local_name}> is not rss, feed or RDF")


def _published_ms(entry: Any, default_ms: int) -> int:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed = entry.get(key)
        if parsed is not None:
            return calendar.timegm(parsed) * 1000
    return default_ms


def _entry(entry: Any, source: str, fetched_ms: int) -> RawEntry | None:
    title = plain_text(entry.get("title"), TITLE_MAX_CHARS)
    if title is None:
        return None
    return RawEntry(
        source=source,
        title=title,
        body=plain_text(entry.get("summary"), BODY_MAX_CHARS),
        url=web_url(entry.get("link")),
        published_ms=_published_ms(entry, fetched_ms),
    )


def parse_xml_feed(
    data: bytes, source: str, fetched_ms: int, content_type: str | None = None
) -> list[RawEntry]:
    """Parse an RSS 2.0 or Atom document into entries (those without a title are skipped).

    Parameters
    ----------
    data
        The response body.
    source
        Name given to every entry.
    fetched_ms
        Time of the fetch; the publication time of entries that state none.
    content_type
        The response's Content-Type (carries the charset), if known.

    Raises
    ------
    FeedError
        The document is malformed, unsafe or not a feed.
    """
    check_xml(data)
    headers = {"content-type": content_type} if content_type else {}
    # A BytesIO, never the bytes themselves: feedparser treats a string as a URL or path.
    parsed = feedparser.parse(io.BytesIO(data), response_headers=headers, sanitize_html=True)
    if parsed.get("bozo") and not parsed.get("entries"):
        raise FeedError("bad_xml", repr(parsed.get("bozo_exception")))
    entries = (_entry(entry, source, fetched_ms) for entry in parsed.get("entries", []))
    return [entry for entry in entries if entry is not None]
