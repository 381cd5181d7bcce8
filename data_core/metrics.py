"""data_core's Prometheus metrics, read from the market loop when scraped."""

from __future__ import annotations

from data_core.market import MarketData
from service_runtime import ServiceMetrics


def register_market_metrics(metrics: ServiceMetrics, market: MarketData) -> None:
    """Add bars, gaps, stale candles, warm-up, news and the replay clock to `metrics`."""
    add, pipelines = metrics.sampled, market.pipelines.values()
    series = ["series"]
    add(
        "counter",
        "ntx_data_bars",
        "Bars published",
        lambda: {(str(p.key),): p.bars for p in pipelines},
        series,
    )
    add(
        "counter",
        "ntx_data_gaps",
        "Gaps detected",
        lambda: {(str(p.key),): p.gaps for p in pipelines},
        series,
    )
    add(
        "counter",
        "ntx_data_stale_candles",
        "Candles dropped for not being newer than the last",
        lambda: {(str(p.key),): p.stale for p in pipelines},
        series,
    )
    add(
        "gauge",
        "ntx_data_warm",
        "1 once the series' features are warm",
        lambda: {(str(p.key),): p.features.warm for p in pipelines},
        series,
    )
    add("gauge", "ntx_data_ready", "1 once history is loaded", lambda: {(): market.ready.is_set()})
    add(
        "gauge",
        "ntx_data_replay_clock_seconds",
        "Replay clock (Unix time)",
        lambda: _replay_clock(market),
    )
    news = market.news
    if news is None:
        return
    add(
        "counter",
        "ntx_data_news_published",
        "News items published",
        lambda: {(): news.flow.published},
    )
    if news.poller is not None:
        stats = news.poller.stats
        add(
            "counter",
            "ntx_data_news_feed_errors",
            "Feed polls that failed, by source and reason (bad_xml, not_a_feed, network...)",
            lambda: {
                (name, reason): n for name, s in stats.items() for reason, n in s.errors.items()
            },
            ["source", "reason"],
        )


def _replay_clock(market: MarketData) -> dict[tuple[str, ...], float]:
    now = market.replay_now()
    return {} if now is None else {(): now.timestamp()}
