"""model_engine's HTTP routes: signals, their explanations, and the served models."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any, Literal

from fastapi import APIRouter, HTTPException, Query

from model_engine.errors import InvalidMessageError
from model_engine.explain.ondemand import explanation
from model_engine.serving.models import ModelRegistry
from model_engine.signals_store import SignalStore
from signal_schema import Explanation, Signal


def signals_router(store: SignalStore, registry: ModelRegistry, home: Path) -> APIRouter:
    """Return ``GET /api/signals``, ``/api/signals/{id}``, ``/api/signals/{id}/explanation``
    and ``/api/models``."""
    router = APIRouter(tags=["model_engine"])

    @router.get("/api/signals")
    async def list_signals(
        symbol: str | None = None,
        start_ms: int | None = None,
        end_ms: int | None = None,
        limit: int = Query(100, ge=1, le=1_000),
    ) -> list[Signal]:
        return await asyncio.to_thread(
            store.query, symbol=symbol, start_ms=start_ms, end_ms=end_ms, limit=limit
        )

    @router.get("/api/signals/{signal_id}")
    async def one_signal(signal_id: str) -> Signal:
        stored = await asyncio.to_thread(store.get, signal_id)
        if stored is None:
            raise HTTPException(404, f"no signal {signal_id}")
        return stored.signal

    @router.get("/api/signals/{signal_id}/explanation")
    async def explain(signal_id: str, method: Literal["shap", "lime"] = "shap") -> Explanation:
        stored = await asyncio.to_thread(store.get, signal_id)
        if stored is None:
            raise HTTPException(404, f"no signal {signal_id}")
        try:
            return await asyncio.to_thread(explanation, stored, method, registry, home)
        except InvalidMessageError as exc:
            raise HTTPException(409, str(exc)) from exc

    @router.get("/api/models")
    async def models() -> list[dict[str, Any]]:
        return [
            {
                "name": m.bundle.name,
                "version": m.bundle.version,
                "path": str(m.bundle.path),
                "method": m.explainer.method,
                "explainer": m.explainer.method,
                "drift_score": m.drift.score,
                "manifest": m.bundle.manifest,
            }
            for m in registry.models.values()
        ]

    return router
