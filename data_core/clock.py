"""`SimClock`: a simulated UTC clock that a replay advances from one event to the next.

The clock moves only when every participant that joined it is asleep on it, and then straight
to the earliest deadline among them, so events on one clock happen in time order whatever the
tasks that wait for them. ``speed`` sets how much real time that step takes: ``"max"`` none,
``"realtime"`` the simulated time, ``"x60"`` a sixtieth of it.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import math
import re
from datetime import UTC, datetime, timedelta
from types import TracebackType
from typing import Self

_SPEED_RE = re.compile(r"x(\d+(?:\.\d+)?)", re.ASCII)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MS = timedelta(milliseconds=1)


def ms_to_utc(epoch_ms: int) -> datetime:
    """Turn UTC epoch milliseconds into an aware UTC datetime (exactly, no float)."""
    return _EPOCH + epoch_ms * _MS


def utc_to_ms(value: datetime) -> int:
    """Turn an aware datetime into UTC epoch milliseconds (floored, no float)."""
    return (value - _EPOCH) // _MS


def parse_speed(speed: str | float) -> float:
    """Return a replay speed as a multiple of real time (``math.inf`` for ``"max"``).

    Parameters
    ----------
    speed
        ``"realtime"``, ``"xN"`` (e.g. ``"x60"``, ``"x0.5"``), ``"max"``, or a positive number.

    Raises
    ------
    ValueError
        Anything else.
    """
    if isinstance(speed, str):
        text = speed.strip().lower()
        if text == "max":
            return math.inf
        if text == "realtime":
            return 1.0
        match = _SPEED_RE.fullmatch(text)
        if match is None:
            raise ValueError(f"not a replay speed: {speed!r} (use 'realtime', 'x60' or 'max')")
        speed = float(match.group(1))
    if not speed > 0:
        raise ValueError(f"a replay speed must be positive, got {speed}")
    return float(speed)


class Participant:
    """One task that waits on a `SimClock`; the clock does not move while it is awake."""

    def __init__(self, clock: SimClock) -> None:
        self._clock = clock
        self.asleep = False
        self.joined = True

    async def sleep_until(self, deadline_ms: int) -> None:
        """Wait until simulated time reaches ``deadline_ms``; return at once if it has."""
        await self._clock._sleep(self, deadline_ms)

    def leave(self) -> None:
        """Stop taking part: the clock no longer waits for this task."""
        self._clock._leave(self)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.leave()


class SimClock:
    """A simulated UTC clock in epoch milliseconds that never goes backwards.

    Parameters
    ----------
    start_ms
        Simulated time at the start.
    speed
        See `parse_speed`.
    """

    def __init__(self, start_ms: int, speed: str | float = "max") -> None:
        self.speed = parse_speed(speed)
        self._now_ms = start_ms
        self._participants: set[Participant] = set()
        self._sleepers: list[tuple[int, int, Participant, asyncio.Future[None]]] = []
        self._order = itertools.count()
        self._step: asyncio.Handle | None = None
        self._pace: tuple[asyncio.AbstractEventLoop, float, int, int] | None = None

    def now_ms(self) -> int:
        """Return simulated time in epoch milliseconds (between events it runs at `speed`)."""
        if self._pace is None:
            return self._now_ms
        loop, real_start, sim_from, sim_to = self._pace
        elapsed_ms = (loop.time() - real_start) * 1000 * self.speed
        return min(sim_to, max(self._now_ms, sim_from + int(elapsed_ms)))

    def now(self) -> datetime:
        """Return simulated time as an aware UTC datetime."""
        return ms_to_utc(self.now_ms())

    def join(self) -> Participant:
        """Register a task that will sleep on this clock; time waits for it while it is awake.

        Join every participant before yielding to the event loop (e.g. create their tasks in
        one go): one that joins later starts from the time the clock has reached by then.
        """
        self._hold()
        participant = Participant(self)
        self._participants.add(participant)
        return participant

    def _leave(self, participant: Participant) -> None:
        if participant.joined:
            participant.joined = False
            self._participants.discard(participant)
            self._schedule()

    async def _sleep(self, participant: Participant, deadline_ms: int) -> None:
        if not participant.joined:
            raise RuntimeError("this participant has left the clock")
        if deadline_ms <= self.now_ms():
            return
        woken: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._sleepers, (deadline_ms, next(self._order), participant, woken))
        participant.asleep = True
        self._schedule()
        try:
            await woken
        finally:
            if participant.asleep:  # cancelled while asleep: awake again, holding the clock
                participant.asleep = False
                woken.cancel()
                self._hold()

    def _hold(self) -> None:
        """Stop a paced step in flight, keeping the time it has reached."""
        if self._step is not None:
            self._now_ms = self.now_ms()
            self._step.cancel()
            self._step = None
            self._pace = None

    def _schedule(self) -> None:
        """Plan the next step once every participant is asleep."""
        if self._step is not None or any(not p.asleep for p in self._participants):
            return
        while self._sleepers and self._sleepers[0][3].done():
            heapq.heappop(self._sleepers)
        if not self._sleepers:
            return
        deadline = self._sleepers[0][0]
        loop = asyncio.get_running_loop()
        if math.isinf(self.speed):
            self._step = loop.call_soon(self._advance, deadline)
            return
        delay = max(0.0, (deadline - self._now_ms) / 1000 / self.speed)
        self._pace = (loop, loop.time(), self._now_ms, deadline)  # real start, sim from, to
        self._step = loop.call_later(delay, self._advance, deadline)

    def _advance(self, deadline_ms: int) -> None:
        self._step = None
        self._pace = None
        self._now_ms = max(self._now_ms, deadline_ms)
        while self._sleepers and self._sleepers[0][0] <= self._now_ms:
            _, _, participant, woken = heapq.heappop(self._sleepers)
            if not woken.done():
                participant.asleep = False
                woken.set_result(None)
        self._schedule()
