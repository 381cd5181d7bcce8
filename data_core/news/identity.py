"""Stable identity of a headline: the dedup key and the `news_id` derived from it.

An item with a URL is identified by its normalised URL; one without by its normalised title. The
same article reached through two feeds, or fetched again after a restart, gets the same id.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

_TRACKING_PREFIXES = ("utm_",)
_TRACKING_KEYS = frozenset({"fbclid", "gclid", "mc_cid", "mc_eid", "ref", "ref_src"})
_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)


def normalise_url(url: str) -> str:
    """Return the URL with lower-case scheme and host, no fragment and no tracking parameters.

    Parameters
    ----------
    url
        An absolute or relative URL as the feed gave it.
    """
    parts = urlsplit(url.strip())
    query = [
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if key.lower() not in _TRACKING_KEYS and not key.lower().startswith(_TRACKING_PREFIXES)
    ]
    path = parts.path.rstrip("/") or ("/" if parts.netloc else "")
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, urlencode(query), ""))


def normalise_title(title: str) -> str:
    """Return the title case-folded, accent-stripped, with punctuation and extra spaces removed."""
    decomposed = unicodedata.normalize("NFKD", title)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(_NON_WORD.sub(" ", bare.casefold()).split())


def dedup_key(title: str, url: str | None) -> str:
    """Return ``url:<normalised url>``, or ``title:<normalised title>`` when there is no URL."""
    if url and url.strip():
        return "url:" + normalise_url(url)
    return "title:" + normalise_title(title)


def news_id(title: str, url: str | None) -> str:
    """Return the item's stable id: the first 32 hex digits of the SHA-256 of its dedup key."""
    return hashlib.sha256(dedup_key(title, url).encode("utf-8")).hexdigest()[:32]
