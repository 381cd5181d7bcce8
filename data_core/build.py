"""Build data_core's objects from its settings (called from `__main__` only)."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx

from data_core.clock import utc_to_ms
from data_core.features import FeatureStream
from data_core.market import MarketData, NewsInputs
from data_core.news import (
    MiniLmEmbedder,
    NewsEnricher,
    NewsPoller,
    NewsReplay,
    SeenStore,
    SystemClock,
    build_sentiment,
)
from data_core.news_flow import NewsFlow
from data_core.pipeline import MarketPipeline
from data_core.replay.factory import make_replay
from data_core.replay.position import ReplayPosition, position_path
from data_core.service import DataCoreService
from data_core.settings import DataCoreSettings
from feature_spec import DEFAULT_SPEC, FeatureSpec
from market_store.candles import MarketKey
from market_store.paths import candle_db_path
from market_store.store import CandleStore
from market_store.venues.base import Venue
from market_store.venues.registry import make_venue
from market_store.venues.symbols import normalise_symbol
from service_runtime import ServiceMetrics


def wall_clock() -> datetime:
    """Return the current UTC time."""
    return datetime.now(UTC)


def build_market(settings: DataCoreSettings, spec: FeatureSpec = DEFAULT_SPEC) -> MarketData:
    """Return the market loop the settings describe (replay imports missing files here)."""
    streams = settings.streams
    store = CandleStore(candle_db_path(settings.home))
    symbols = [normalise_symbol(s) for s in streams.symbols]
    venue: Venue
    replay_start_ms: int | None = None
    position: ReplayPosition | None = None
    if settings.replaying:
        replay = make_replay(
            store,
            symbols,
            streams.timeframe,
            data_dir=settings.data_dir,
            speed=streams.replay_speed,
            start_ms=utc_to_ms(streams.replay_start) if streams.replay_start else None,
            recent_bars=None if streams.replay_start else streams.replay_recent_bars,
            position_file=position_path(settings.home),
        )
        keys = {s: replay.key(s, streams.timeframe) for s in symbols}
        venue, replay_start_ms = replay, replay.clock.now_ms()
        position = replay.position
    else:
        venue = make_venue(streams.venue, rest_url=streams.rest_url, ws_url=streams.ws_url)
        keys = {s: MarketKey(venue.name, s, streams.timeframe) for s in symbols}
    news = _news(settings, symbols, spec)
    flow = None if news is None else news.flow
    pipelines = {
        s: MarketPipeline(FeatureStream(spec, key, clock=wall_clock), flow, wall_clock)
        for s, key in keys.items()
    }
    return MarketData(
        venue,
        store,
        pipelines,
        history_bars=streams.history_bars,
        replay_start_ms=replay_start_ms,
        news=news,
        wall_clock=wall_clock,
        position=position,
    )


def _news(settings: DataCoreSettings, symbols: list[str], spec: FeatureSpec) -> NewsInputs | None:
    section = settings.news
    encoder = MiniLmEmbedder() if section.embeddings and MiniLmEmbedder.available() else None
    enricher = NewsEnricher(build_sentiment(section.sentiment_method, encoder), encoder)
    flow = NewsFlow(enricher, symbols, spec.news_half_life_secs)
    if settings.replaying:
        data_dir = settings.data_dir
        if data_dir is None or not (data_dir / "news").is_dir():
            return NewsInputs(flow)
        return NewsInputs(flow, replay=NewsReplay.from_data_dir(data_dir))
    if not section.sources:
        return NewsInputs(flow)
    poller = NewsPoller(
        section.sources,
        httpx.AsyncClient(timeout=section.timeout_secs, follow_redirects=True),
        SeenStore(section.db_path(settings.home)),
        enricher,
        flow.sink,
        SystemClock(),
        max_bytes=section.max_bytes,
    )
    return NewsInputs(flow, poller=poller)


def build_service(settings: DataCoreSettings) -> DataCoreService:
    """Return data_core's service: the market loop and its metrics registry."""
    return DataCoreService(build_market(settings), ServiceMetrics())
