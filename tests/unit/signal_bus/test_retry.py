"""Shared tenacity blocks: only TemporaryError is retried, Retry-After honoured, one log line."""

from __future__ import annotations

import logging
import random

import pytest
from tenacity import AsyncRetrying, stop_after_attempt
from tenacity.wait import wait_fixed

from signal_bus import OperationalError, TemporaryError
from signal_bus.retry import (
    delay_of,
    log_retry,
    retry_after_secs,
    retry_delay,
    retry_if_temporary,
    wait_backoff,
    wait_retry_after,
)


class Asked(TemporaryError):
    """A temporary failure whose server asked for a wait."""

    def __init__(self, secs: float | None) -> None:
        super().__init__(f"asked {secs}")
        self.retry_after_secs = secs


class Waits(list[float]):
    """A sleep that records the waits instead of waiting."""

    async def __call__(self, secs: float) -> None:
        self.append(secs)


@pytest.mark.parametrize(
    ("header", "secs"),
    [(None, None), ("", None), ("7", 7.0), ("0.25", 0.25), ("-3", 0.0), ("soon", None),
     ("Wed, 21 Oct 2015 07:28:10 GMT", 10.0), ("Wed, 21 Oct 2015 07:27:00 GMT", 0.0)],
)  # fmt: skip
def test_retry_after_reads_seconds_and_http_dates(header: str | None, secs: float | None) -> None:
    assert retry_after_secs(header, now=1_445_412_480.0) == secs


def test_backoff_grows_is_capped_and_jittered() -> None:
    wait = wait_backoff(1.0, 8.0, jitter=(0.5, 1.0), rng=random.Random(3))
    for attempt, cap in [(1, 1.0), (2, 2.0), (4, 8.0), (60, 8.0), (5000, 8.0)]:
        delays = {delay_of(wait, TemporaryError("x"), attempt) for _ in range(30)}
        assert all(cap / 2 <= d <= cap for d in delays)
        assert len(delays) > 1


def test_the_asked_wait_is_honoured_and_never_shortens_the_backoff() -> None:
    wait = wait_retry_after(wait_fixed(2.0))
    assert delay_of(wait, Asked(30.0), 1) == 30.0
    assert delay_of(wait, Asked(0.5), 1) == 2.0  # asked less than the backoff
    assert delay_of(wait, Asked(None), 1) == 2.0  # said nothing
    assert delay_of(wait, OperationalError("no"), 1) == 2.0  # not a TemporaryError


def test_an_asked_wait_gets_jitter_and_a_floor() -> None:
    rng = random.Random(5)
    jitter = wait_backoff(0.05, 0.05, jitter=(0.0, 1.0), rng=rng)
    wait = wait_retry_after(wait_fixed(0.0), jitter=jitter, floor=lambda e: 9.0)
    assert delay_of(wait, Asked(1.0), 1) == 9.0  # the floor (a ban) wins
    unfloored = wait_retry_after(wait_fixed(0.0), jitter=jitter)
    delays = {delay_of(unfloored, Asked(1.0), 1) for _ in range(20)}
    assert all(1.0 <= d <= 1.05 for d in delays)
    assert len(delays) > 1


def test_retry_delay_retries_only_temporary_errors_until_the_stop() -> None:
    wait, stop = wait_fixed(1.5), stop_after_attempt(3)
    assert retry_delay(TemporaryError("503"), 1, wait=wait, stop=stop) == 1.5
    assert retry_delay(Asked(4.0), 2, wait=wait_retry_after(wait), stop=stop) == 4.0
    assert retry_delay(TemporaryError("503"), 3, wait=wait, stop=stop) is None  # spent
    assert retry_delay(OperationalError("401"), 1, wait=wait, stop=stop) is None
    assert retry_delay(ValueError("bug"), 1, wait=wait, stop=stop) is None


async def test_tenacity_with_the_blocks_sleeps_what_was_asked_and_logs_each_retry_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    failures: list[Exception] = [Asked(3.0), TemporaryError("dropped")]
    waits = Waits()

    async def call() -> str:
        if failures:
            raise failures.pop(0)
        return "ok"

    retrying = AsyncRetrying(
        retry=retry_if_temporary,
        wait=wait_retry_after(wait_fixed(0.25)),
        sleep=waits,
        before_sleep=log_retry(logging.getLogger("t"), "page"),
        reraise=True,
    )
    with caplog.at_level(logging.INFO, logger="t"):
        assert await retrying(call) == "ok"
    assert waits == [3.0, 0.25]
    assert [r.getMessage() for r in caplog.records] == [
        "page failed (asked 3.0); retry 1 in 3.00 s",
        "page failed (dropped); retry 2 in 0.25 s",
    ]


async def test_anything_but_a_temporary_error_is_raised_at_once() -> None:
    waits = Waits()

    async def call() -> str:
        raise OperationalError("token refused")

    retrying = AsyncRetrying(retry=retry_if_temporary, sleep=waits, reraise=True)
    with pytest.raises(OperationalError, match="token refused"):
        await retrying(call)
    assert waits == []
