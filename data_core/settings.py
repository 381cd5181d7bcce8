"""data_core's settings, read from ``DATA_CORE__<SECTION>__<KEY>`` plus NTX_* exceptions."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from data_core.news import NewsSection, NewsSource
from data_core.streams import StreamsSection
from service_runtime import BusSection, ExpandedPath, HttpSection, ServiceSettings

LIVE_NEWS_SOURCES = (
    NewsSource.model_validate(
        {
            "name": "coindesk",
            "url": "https://www.coindesk.com/arc/outboundfeeds/rss/",
            "kind": "rss",
        }
    ),
    NewsSource.model_validate(
        {"name": "cointelegraph", "url": "https://cointelegraph.com/rss", "kind": "rss"}
    ),
    NewsSource.model_validate({"name": "decrypt", "url": "https://decrypt.co/feed", "kind": "rss"}),
    NewsSource.model_validate(
        {"name": "yahoo_finance", "url": "https://finance.yahoo.com/news/rssindex", "kind": "rss"}
    ),
)
"""Polled in live mode unless DATA_CORE__NEWS__SOURCES says otherwise."""


class DataCoreSettings(ServiceSettings):
    """Everything data_core reads from its environment.

    ``DATA_CORE__BUS__PORT`` and friends set the sections; NTX_HOME, NTX_DATA_DIR and NTX_BUS_TOKEN
    are the documented exceptions to the prefix (see ``.env.example``).
    """

    model_config = SettingsConfigDict(env_prefix="DATA_CORE__")

    bus: BusSection = BusSection(port=8701)
    http: HttpSection = HttpSection(port=8711)
    data_dir: ExpandedPath | None = Field(
        default=None,
        validation_alias="NTX_DATA_DIR",
        description="folder of recorded market data to replay (optional)",
    )
    streams: StreamsSection = StreamsSection()
    news: NewsSection = NewsSection(sources=LIVE_NEWS_SOURCES)

    @property
    def replaying(self) -> bool:
        """Whether candles and news come from NTX_DATA_DIR's recordings."""
        mode = self.streams.mode
        return mode == "replay" or (mode == "auto" and self.data_dir is not None)
