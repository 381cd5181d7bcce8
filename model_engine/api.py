"""model_engine's HTTP routes: signals, their explanations, and the served models."""

from __future__ import annotations

import asyncio
import pathlib
from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Path, Query

from model_engine.errors import InvalidMessageError
from model_engine.explain.detail import Detail, StepExplanation
from model_engine.explain.ondemand import explanation, step_explanation
from model_engine.serving.models import ModelRegistry
from model_engine.signals_store import SignalStore
from signal_schema import Explanation, Signal

INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
"""The range SQLite stores an integer in: times outside it are a 422, not an OverflowError."""
_INT64: dict[str, Any] = {"ge": INT64_MIN, "le": INT64_MAX}
_START = "signals at or after this time (ms since the epoch, UTC)"
_END = "signals before this time (ms since the epoch, UTC)"
SignalId = Annotated[
    str,
    Path(
        min_length=1,
        max_length=128,
        pattern=r"^[A-Za-z0-9_.:\-]+$",
        description="a signal id: 1-128 letters, digits and `_.:-`",
    ),
]
_DETAIL = "steps: Shapley values of the window's time steps (rows), computed on request"


def signals_router(store: SignalStore, registry: ModelRegistry, home: pathlib.Path) -> APIRouter:
    """Return ``GET /api/signals``, ``/api/signals/{id}``, ``/api/signals/{id}/explanation``
    (``?method=lime``, ``?detail=steps``) and ``/api/models``."""
    router = APIRouter(tags=["model_engine"])

    @router.get("/api/signals")
    async def list_signals(
        symbol: Annotated[str | None, Query(max_length=64)] = None,
        start_ms: Annotated[int | None, Query(description=_START, **_INT64)] = None,
        end_ms: Annotated[int | None, Query(description=_END, **_INT64)] = None,
        limit: Annotated[int, Query(ge=1, le=1_000)] = 100,
    ) -> list[Signal]:
        return await asyncio.to_thread(
            store.query, symbol=symbol, start_ms=start_ms, end_ms=end_ms, limit=limit
        )

    @router.get("/api/signals/{signal_id}")
    async def one_signal(signal_id: SignalId) -> Signal:
        stored = await asyncio.to_thread(store.get, signal_id)
        if stored is None:
            raise HTTPException(404, f"no signal {signal_id}")
        return stored.signal

    @router.get("/api/signals/{signal_id}/explanation")
    async def explain(
        signal_id: SignalId,
        method: Literal["shap", "lime"] = "shap",
        detail: Annotated[Detail | None, Query(description=_DETAIL)] = None,
    ) -> Explanation | StepExplanation:
        if detail is not None and method != "shap":
            raise HTTPException(422, f"detail={detail} decomposes the SHAP explanation, not LIME")
        stored = await asyncio.to_thread(store.get, signal_id)
        if stored is None:
            raise HTTPException(404, f"no signal {signal_id}")
        try:
            if detail == "steps":
                return await asyncio.to_thread(step_explanation, stored, registry, home)
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
                "live_eligible": m.gate.passed,
                "gate_reasons": list(m.gate.reasons),
                "manifest": m.bundle.manifest,
            }
            for m in registry.models.values()
        ]

    return router
