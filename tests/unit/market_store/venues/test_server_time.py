"""The venue's clock: synced now and then, estimated in between, never ahead of the venue."""

from __future__ import annotations

from market_store.venues.server_time import ServerClock


class Ticks:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


async def test_the_clock_syncs_when_old_and_estimates_in_between() -> None:
    ticks = Ticks()
    asked: list[float] = []
    venue_ms = {"now": 1_000_000}

    async def fetch() -> int | None:
        asked.append(ticks.now)
        ticks.now += 0.2  # the round trip
        return venue_ms["now"]

    clock = ServerClock(fetch, max_age_secs=60.0, margin_ms=500, monotonic=ticks)
    assert await clock.now_ms() == 1_000_000 - 500
    ticks.now += 10.0
    assert await clock.now_ms() == 1_000_000 + 10_000 - 500
    assert len(asked) == 1
    ticks.now += 60.0
    venue_ms["now"] = 2_000_000
    assert await clock.now_ms() == 2_000_000 - 500
    assert await clock.now_ms(max_age_secs=0) == 2_000_000 - 500
    assert len(asked) == 3


async def test_a_venue_without_a_clock_falls_back_to_the_wall_clock() -> None:
    async def fetch() -> int | None:
        return None

    clock = ServerClock(fetch, margin_ms=0, monotonic=Ticks(), wall=lambda: 1_700_000_000.5)
    assert await clock.now_ms() == 1_700_000_000_500
