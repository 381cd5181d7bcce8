"""Score feature frames: batch the streams closing on the same bar, explain, guard, emit."""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal

import numpy as np
import numpy.typing as npt

from market_store.timeframes import timeframe_ms
from model_engine.explain.runtime import OUTPUT_SPACE, BatchExplanation
from model_engine.serving.history import StoredHistory
from model_engine.serving.models import ModelRegistry, ServedModel
from model_engine.serving.windows import RollingWindows, StreamKey
from signal_schema import (
    ClassProbabilities,
    Explanation,
    FeatureFrame,
    RiskLimitBreached,
    Signal,
)

log = logging.getLogger(__name__)

F32 = npt.NDArray[np.float32]
CLASSES = ("down", "flat", "up")
Clock = Callable[[], datetime]
LatencySink = Callable[[float], None]


@dataclass
class Scored:
    """What one batch produced: signals (with windows and raw gaps) and drift breaches."""

    signals: list[Signal] = field(default_factory=list)
    windows: list[F32] = field(default_factory=list)
    raw_gaps: list[float] = field(default_factory=list)
    breaches: list[RiskLimitBreached] = field(default_factory=list)


class InferenceEngine:
    """Turn feature frames into explained signals for every served model.

    Parameters
    ----------
    registry
        Served models (hot-swappable).
    names
        The live spec's feature names.
    clock
        UTC clock for ``ts_init``.
    on_explained
        Receives the seconds each batch's explanation took (the explainer latency metric).
    history
        Stored candles to warm a stream's window from before its first live frame (None:
        windows fill from live frames only).
    """

    def __init__(
        self,
        registry: ModelRegistry,
        names: tuple[str, ...],
        clock: Clock,
        *,
        on_explained: LatencySink | None = None,
        history: StoredHistory | None = None,
    ) -> None:
        self.registry = registry
        self.windows = RollingWindows(names, registry.max_window)
        self._clock = clock
        self._on_explained = on_explained
        self.history = history
        self.scored = 0
        self.warmed_rows = 0
        """Rows taken from stored history (all streams)."""

    def cold(self, frames: list[FeatureFrame]) -> list[FeatureFrame]:
        """Return the first usable frame of each stream that has no row yet."""
        if self.history is None:
            return []
        seen: dict[StreamKey, FeatureFrame] = {}
        for frame in frames:
            key = (frame.venue, frame.symbol, frame.timeframe)
            if frame.warm and frame.names == self.windows.names and not self.windows.has(key):
                seen.setdefault(key, frame)
        return list(seen.values())

    def warm(self, frames: list[FeatureFrame]) -> int:
        """Seed the window of each stream in `frames` without rows from stored history.

        Blocking (SQLite and features): call it off the event loop. Returns the rows seeded.
        """
        if self.history is None:
            return 0
        length = max(self.windows.length, self.registry.max_window)
        self.windows.resize(length)
        seeded = 0
        for frame in self.cold(frames):
            key = (frame.venue, frame.symbol, frame.timeframe)
            close_ms = int(frame.ts_event.timestamp() * 1000)
            try:
                timeframe_ms(frame.timeframe)
                found = self.history.rows_before(key, close_ms, length)
            except (ValueError, OSError, sqlite3.Error) as error:  # bad timeframe, unreadable store
                log.warning("%s: no warm-up from stored candles: %s", key, error)
                found = None
            if found is None:
                log.info("%s: no stored history; the window fills from live frames", key)
                continue
            self.windows.seed(key, found.rows, found.last_close_ms)
            seeded += len(found.rows)
            stream = ":".join(key)
            log.info(
                "%s: window warmed with %d stored bars of %s before the bar closing at %d",
                stream, len(found.rows), found.source, close_ms,
                extra={"event": "window_warmed", "stream": stream, "rows": len(found.rows)},
            )  # fmt: skip
        self.warmed_rows += seeded
        return seeded

    def score(self, frames: list[FeatureFrame]) -> Scored:
        """Add `frames` to the windows and score every stream whose window is full."""
        self.windows.resize(max(self.windows.length, self.registry.max_window))
        ready: list[tuple[StreamKey, FeatureFrame]] = []
        for frame in frames:
            key = self.windows.add(frame)
            if key is not None:
                ready.append((key, frame))
        out = Scored()
        for served in list(self.registry.models.values()):  # one reference per batch
            self._score_model(served, ready, out)
        self.scored += len(out.signals)
        return out

    def _score_model(
        self, served: ServedModel, ready: list[tuple[StreamKey, FeatureFrame]], out: Scored
    ) -> None:
        length = served.bundle.window
        picked = [(f, w) for k, f in ready if (w := self.windows.window(k, length)) is not None]
        if not picked:
            return
        batch = np.stack([w for _, w in picked])
        started = time.perf_counter()
        explained = served.explainer.explain(batch)
        if self._on_explained is not None:
            self._on_explained(time.perf_counter() - started)
        ood = served.ood.score(batch) if served.ood is not None else np.zeros(len(batch))
        now = self._clock()
        for i, (frame, window) in enumerate(picked):
            out.signals.append(
                self._signal(served, frame, window, explained, i, float(ood[i]), now)
            )
            out.windows.append(window)
            out.raw_gaps.append(float(explained.raw_gap[i]))
        if served.drift.update(explained.phi):
            out.breaches.append(self._breach(served, now))

    def _signal(
        self,
        served: ServedModel,
        frame: FeatureFrame,
        window: F32,
        e: BatchExplanation,
        i: int,
        ood: float,
        now: datetime,
    ) -> Signal:
        bundle = served.bundle
        probs = [float(p) for p in e.probs[i].astype(np.float64)]
        total = sum(probs)
        down, flat, up = (p / total for p in probs)
        cls = int(e.predicted[i])
        ts_ms = int(frame.ts_event.timestamp() * 1000)
        symbol_id = frame.symbol.replace("/", "-")
        # Plain dicts: validated in one pass by pydantic-core (37 model inits cost 5x more).
        attributions = [
            {"feature": name, "value": value, "attribution": phi}
            for name, value, phi in zip(
                bundle.features, window[-1].tolist(), e.phi[i].tolist(), strict=True
            )
        ]
        return Signal(
            ts_event=frame.ts_event,
            ts_init=now,
            signal_id=f"{bundle.name}.{bundle.version}.{frame.venue}.{symbol_id}.{frame.timeframe}.{ts_ms}",
            venue=frame.venue,
            symbol=frame.symbol,
            timeframe=frame.timeframe,
            direction=CLASSES[cls],  # type: ignore[arg-type]
            probabilities=ClassProbabilities(down=down, flat=flat, up=up),
            confidence=(down, flat, up)[cls],
            horizon_bars=bundle.horizon_bars,
            price=Decimal(frame.close),
            model=served.ref,  # with the gate's verdict, taken at load
            ood_score=max(ood, 0.0),
            ood_flag=ood > served_threshold(self.registry),
            explanation=Explanation(
                method=e.method,
                output_space=f"{OUTPUT_SPACE} ({CLASSES[cls]})",
                base_value=float(e.base[i]),
                output_value=float(e.output[i]),
                attributions=attributions,  # type: ignore[arg-type]
                additivity_error=float(e.error[i]),
            ),
        )

    def _breach(self, served: ServedModel, now: datetime) -> RiskLimitBreached:
        drift = served.drift
        return RiskLimitBreached(
            ts_event=now,
            ts_init=now,
            limit="attribution_drift",
            scope=f"model:{served.bundle.name}",
            value=drift.score,
            threshold=drift.threshold,
            halted=False,
            message=f"attribution drift {drift.score:.3f} > {drift.threshold:.3f} "
            f"over the last {len(drift._rows)} signals of {served.bundle.name}",
        )


def served_threshold(registry: ModelRegistry) -> float:
    """Return the OOD threshold signals are flagged past."""
    return registry.guard.ood_threshold


def utc_now() -> datetime:
    """Return the current UTC time."""
    return datetime.now(UTC)
