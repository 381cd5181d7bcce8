"""`SimClock` moves only when every participant sleeps, to the earliest deadline, never back."""

from __future__ import annotations

import asyncio
import math

import pytest

from data_core.clock import SimClock, parse_speed


@pytest.mark.parametrize(
    ("text", "speed"),
    [("max", math.inf), ("realtime", 1.0), ("x60", 60.0), ("X0.5", 0.5), (3600, 3600.0)],
)
def test_speeds(text: str | float, speed: float) -> None:
    assert parse_speed(text) == speed


@pytest.mark.parametrize("bad", ["fast", "x", "60", "x-1", 0, -2.0])
def test_bad_speeds_are_refused(bad: str | float) -> None:
    with pytest.raises(ValueError, match="speed"):
        parse_speed(bad)


async def test_sleepers_wake_in_deadline_order_and_time_never_goes_back() -> None:
    clock = SimClock(0)
    woke: list[tuple[str, int]] = []

    async def run(name: str, deadlines: list[int]) -> None:
        with clock.join() as me:
            for deadline in deadlines:
                await me.sleep_until(deadline)
                woke.append((name, clock.now_ms()))

    async with asyncio.TaskGroup() as group:
        group.create_task(run("a", [30, 10, 50]))  # 10 is already past when asked
        group.create_task(run("b", [20, 40, 40]))
    assert woke == [("b", 20), ("a", 30), ("a", 30), ("b", 40), ("b", 40), ("a", 50)]
    assert clock.now_ms() == 50


async def test_time_waits_for_an_awake_participant() -> None:
    clock = SimClock(0)
    a_woke, a_may_go, order = asyncio.Event(), asyncio.Event(), []

    async def a() -> None:
        with clock.join() as me:
            await me.sleep_until(10)
            a_woke.set()
            await a_may_go.wait()  # busy: not asleep on the clock
            order.append(("a done", clock.now_ms()))

    async def b() -> None:
        with clock.join() as me:
            await me.sleep_until(20)
            order.append(("b", clock.now_ms()))

    async with asyncio.TaskGroup() as group:
        group.create_task(a())
        group.create_task(b())
        await a_woke.wait()
        assert (clock.now_ms(), order) == (10, [])
        a_may_go.set()
    assert order == [("a done", 10), ("b", 20)]


async def test_a_cancelled_sleeper_lets_the_others_go_on() -> None:
    clock = SimClock(0)
    holder = clock.join()  # awake: time cannot move yet
    with clock.join() as stuck:
        sleeping = asyncio.create_task(stuck.sleep_until(1_000))
        await asyncio.sleep(0)  # let it start sleeping
        sleeping.cancel()
        with pytest.raises(asyncio.CancelledError):
            await sleeping
    await holder.sleep_until(5)
    assert clock.now_ms() == 5
    holder.leave()


async def test_paced_time_runs_at_speed() -> None:
    hour_ms = 3_600_000
    clock = SimClock(0, speed="x360000")  # an hour in 10 ms
    loop = asyncio.get_running_loop()
    started = loop.time()
    seen = []
    with clock.join() as me:
        for hour in range(1, 6):
            await me.sleep_until(hour * hour_ms)
            seen.append(clock.now_ms())
    assert seen == [hour * hour_ms for hour in range(1, 6)]
    assert loop.time() - started >= 0.045


async def test_a_left_participant_cannot_sleep() -> None:
    clock = SimClock(0)
    me = clock.join()
    me.leave()
    with pytest.raises(RuntimeError, match="left"):
        await me.sleep_until(1)
    assert clock.now().year == 1970
