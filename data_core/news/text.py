"""Plain text out of feed fields: tags stripped, entities decoded, whitespace collapsed."""

from __future__ import annotations

import html
import re

TITLE_MAX_CHARS = 1_000
BODY_MAX_CHARS = 2_000
_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")


def plain_text(value: object, max_chars: int) -> str | None:
    """Return `value` as plain text of at most `max_chars` characters, or None if empty.

    Parameters
    ----------
    value
        A string (possibly HTML) or anything else (treated as missing).
    max_chars
        Longer text is cut and ends with an ellipsis.
    """
    if not isinstance(value, str):
        return None
    text = _SPACE.sub(" ", html.unescape(_TAG.sub(" ", value))).strip()
    if not text:
        return None
    if len(text) > max_chars:
        text = text[: max_chars - 1].rstrip() + "…"
    return text


def web_url(value: object) -> str | None:
    """Return `value` stripped if it is an http(s) URL, else None (ids such as ``urn:`` are not)."""
    if not isinstance(value, str):
        return None
    url = value.strip()
    return url if url.lower().startswith(("http://", "https://")) else None
