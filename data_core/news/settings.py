"""Settings of the news ingestion: the feeds to poll and how items are enriched."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, HttpUrl

FeedKind = Literal["rss", "atom", "json"]


class NewsSource(BaseModel):
    """One feed to poll.

    Attributes
    ----------
    name
        Unique name; the `NewsItem.source` of its items and the label of its counters.
    url
        The feed's address (http or https).
    kind
        ``rss`` (RSS 2.0), ``atom`` or ``json`` (JSON Feed 1.1).
    interval_secs
        Seconds between polls; the server's ETag / Last-Modified are sent back each time.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(min_length=1, max_length=200, pattern=r"^[\w.:\- ]+$")
    url: HttpUrl
    kind: FeedKind
    interval_secs: float = Field(default=300.0, ge=1.0, le=86_400.0)


class NewsSection(BaseModel):
    """The news part of data_core's settings (``DATA_CORE__NEWS__*``).

    Attributes
    ----------
    sources
        Feeds to poll (JSON list in the environment).
    sentiment_method
        A key of `SENTIMENT_METHODS` (``vader``, the default, or ``minilm_lr``).
    embeddings
        Embed each title with all-MiniLM-L6-v2 for the news features (needs the ``nlp`` extra).
    timeout_secs
        HTTP timeout of one fetch.
    max_bytes
        Larger responses are refused (``too_large``).
    db_name
        File under ``NTX_HOME`` holding the dedup table and the feeds' ETags.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    sources: tuple[NewsSource, ...] = ()
    sentiment_method: str = "vader"
    embeddings: bool = True
    timeout_secs: float = Field(default=20.0, gt=0)
    max_bytes: int = Field(default=5_000_000, gt=0)
    db_name: str = "news.sqlite"

    def db_path(self, home: Path) -> Path:
        """Return the dedup database's path under `home` (``NTX_HOME``)."""
        return home / "data_core" / self.db_name
