"""What the news sources produce before enrichment, and the clock they run on."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import numpy.typing as npt

from signal_schema import NewsItem


class Clock(Protocol):
    """Anything that tells the time in UTC epoch milliseconds (a `SimClock` in replays)."""

    def now_ms(self) -> int:
        """Return the current time, UTC epoch milliseconds."""
        ...


class SystemClock:
    """The wall clock."""

    def now_ms(self) -> int:
        """Return the wall-clock time, UTC epoch milliseconds."""
        return time.time_ns() // 1_000_000


@dataclass(frozen=True, slots=True)
class RawEntry:
    """One headline as a feed or a file delivered it, before dedup and enrichment.

    Attributes
    ----------
    source
        The source's name (the `NewsSource` name, or the file's ``source`` column).
    title
        The headline, plain text.
    body
        Summary or first paragraph, plain text, if any.
    url
        Link to the article, if any.
    published_ms
        Publication time, UTC epoch milliseconds (the fetch time when the feed gave none).
    """

    source: str
    title: str
    body: str | None
    url: str | None
    published_ms: int


@dataclass(frozen=True, slots=True)
class EnrichedNews:
    """A `NewsItem` ready to publish, plus its embedding for the news features.

    Attributes
    ----------
    item
        The message (id, symbols, sentiment and its method).
    embedding
        Normalised all-MiniLM-L6-v2 embedding of the title, float32 ``(384,)``; None when the
        enricher runs without an embedder.
    """

    item: NewsItem
    embedding: npt.NDArray[np.float32] | None
