"""The live loop: read FeatureFrames, gather one bar's streams, score them in one batch."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator
from pathlib import Path

from model_engine.serving.engine import InferenceEngine, Scored
from model_engine.signals_store import SignalStore
from signal_bus import Publisher
from signal_schema import Envelope, FeatureFrame

log = logging.getLogger(__name__)


class SignalWorker:
    """Consume frames, batch those closing on the same bar, publish explained signals.

    A batch is flushed when every stream seen on the previous bar has delivered this bar, when
    a frame of a later bar arrives, or `linger_secs` after its first frame.

    Parameters
    ----------
    engine
        Scores batches.
    store
        Persists signals after they are published (None: not kept).
    linger_secs
        Longest wait for the rest of a bar's streams.
    home, reload_secs
        Where new artifact versions appear and how often to look (0: never).
    """

    def __init__(
        self,
        engine: InferenceEngine,
        store: SignalStore | None,
        *,
        linger_secs: float = 0.05,
        home: Path | None = None,
        reload_secs: float = 0.0,
    ) -> None:
        self.engine = engine
        self.store = store
        self.linger_secs = linger_secs
        self.home = home
        self.reload_secs = reload_secs
        self._queue: asyncio.Queue[FeatureFrame] = asyncio.Queue()
        self._expected = 0
        self._held: FeatureFrame | None = None
        self.published = 0
        self.persisted = 0
        self.breaches = 0
        self._progress = asyncio.Event()

    @property
    def queued(self) -> int:
        """Return the frames waiting to be scored."""
        return self._queue.qsize()

    async def feed(self, source: AsyncIterator[Envelope]) -> None:
        """Queue every FeatureFrame of `source` (other messages are ignored)."""
        async for envelope in source:
            if isinstance(envelope.message, FeatureFrame):
                self._queue.put_nowait(envelope.message)

    async def run(self, source: AsyncIterator[Envelope], bus: Publisher) -> None:
        """Feed from `source` and publish on `bus` until cancelled."""
        async with asyncio.TaskGroup() as group:
            group.create_task(self.feed(source), name="frames-in")
            group.create_task(self.publish_loop(bus), name="signals-out")
            if self.home is not None and self.reload_secs > 0:
                group.create_task(self._reload(self.home), name="artifact-reload")

    async def publish_loop(self, bus: Publisher) -> None:
        """Score and publish batches as they complete."""
        while True:
            batch = await self._next_batch()
            if self.engine.cold(batch):  # first frames of a stream: warm from stored history
                await asyncio.to_thread(self.engine.warm, batch)
            scored = self.engine.score(batch)
            await self.publish(scored, bus)

    async def publish(self, scored: Scored, bus: Publisher) -> None:
        """Publish signals, then breaches, then persist (off the loop)."""
        for signal in scored.signals:
            await bus.publish(Envelope.of(signal))
        for breach in scored.breaches:
            await bus.publish(Envelope.of(breach))
        self.published += len(scored.signals)
        self.breaches += len(scored.breaches)
        if self.store is not None and scored.signals:
            import numpy as np

            windows = (
                np.stack(scored.windows) if len({w.shape for w in scored.windows}) == 1 else None
            )
            await asyncio.to_thread(self.store.add, scored.signals, windows, scored.raw_gaps)
            self.persisted += len(scored.signals)
        self._progress.set()

    async def wait_persisted(self, count: int) -> None:
        """Return once at least `count` signals are published and persisted."""
        while self.persisted < count:
            self._progress.clear()
            await self._progress.wait()

    async def _next_batch(self) -> list[FeatureFrame]:
        first = self._held if self._held is not None else await self._queue.get()
        self._held = None
        batch = [first]
        deadline = time.monotonic() + self.linger_secs
        while len(batch) < self._expected or not self._queue.empty():
            try:
                if self._queue.empty():
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        break
                    frame = await asyncio.wait_for(self._queue.get(), remaining)
                else:
                    frame = self._queue.get_nowait()
            except TimeoutError:
                break
            if frame.ts_event != first.ts_event:
                self._held = frame
                break
            batch.append(frame)
        self._expected = max(self._expected, len(batch)) if self._held is None else len(batch)
        return batch

    async def _reload(self, home: Path) -> None:
        while True:
            await asyncio.sleep(self.reload_secs)
            swapped = await asyncio.to_thread(self.engine.registry.refresh, home)
            if swapped:
                log.info("hot-swapped %s", swapped)
