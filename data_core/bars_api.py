"""`GET /api/bars`: stored candles as `Bar` messages, never past what has been published."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query

from data_core.messages import bar_message
from data_core.pipeline import MarketPipeline
from market_store.store import CandleStore

MAX_BARS = 5_000


def bars_router(
    store: CandleStore,
    pipelines: Mapping[str, MarketPipeline],
    wall_clock: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> APIRouter:
    """Return the router serving the bars of the followed series."""
    router = APIRouter()

    @router.get("/api/bars")
    def bars(
        symbol: Annotated[
            str, Query(description="unified symbol, e.g. BTC/USDT", min_length=1, max_length=64)
        ],
        limit: Annotated[int, Query(ge=1, le=MAX_BARS)] = 500,
    ) -> list[dict[str, Any]]:
        """Return the newest `limit` published bars of `symbol`, oldest first."""
        pipeline = pipelines.get(symbol.upper())
        if pipeline is None:
            known = ", ".join(sorted(pipelines))
            raise HTTPException(404, f"not followed: {symbol} (followed: {known})")
        key = pipeline.key
        last = pipeline.features.last_ts_open_ms
        if last is None:
            return []
        candles = store.read(key, None, last + 1, last=limit)
        now = wall_clock()
        return [bar_message(key, c, now).model_dump(mode="json") for c in candles]

    return router
