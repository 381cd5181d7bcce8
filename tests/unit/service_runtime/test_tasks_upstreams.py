"""Failed background tasks are logged and kept; upstream watches report heartbeats by age."""

from __future__ import annotations

import asyncio
import logging

import pytest
from pydantic import SecretStr

from service_runtime import BackgroundTasks, UpstreamWatch
from signal_bus import BusClient, BusClientSettings
from signal_schema import topics
from tests.schema_factories import heartbeat, rebuild


class Boom(RuntimeError):
    """Raised by a task under test."""


async def test_a_failed_task_is_logged_and_kept(caplog: pytest.LogCaptureFixture) -> None:
    tasks = BackgroundTasks()
    release = asyncio.Event()

    async def fails() -> None:
        raise Boom("feed parser broke")

    tasks.spawn(release.wait(), name="waits")
    tasks.spawn(fails(), name="parser")
    await asyncio.wait_for(tasks.failed.wait(), 5)
    assert isinstance(tasks.failure, Boom)
    (record,) = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert record.getMessage() == "background task parser failed"
    assert record.exc_info is not None
    assert len(tasks) == 1
    await tasks.cancel_all()
    assert len(tasks) == 0
    assert tasks.failure is not None


async def test_cancelled_tasks_are_not_failures() -> None:
    tasks = BackgroundTasks()
    tasks.spawn(asyncio.Event().wait(), name="forever")
    await tasks.cancel_all()
    assert tasks.failure is None
    assert not tasks.failed.is_set()


def watch(clock: list[float]) -> UpstreamWatch:
    settings = BusClientSettings(url="ws://127.0.0.1:9/ws", token=SecretStr("t"))
    client = BusClient(settings, [topics.SYSTEM_HEARTBEAT])
    return UpstreamWatch("model_engine", client, clock=lambda: clock[0])


def test_upstream_health_before_any_heartbeat() -> None:
    health = watch([0.0]).health()
    assert health["connected"] is False
    assert health["last_heartbeat_age_secs"] is None
    assert health["url"] == "ws://127.0.0.1:9/ws"


def test_upstream_health_reports_the_age_of_the_last_heartbeat(
    caplog: pytest.LogCaptureFixture,
) -> None:
    clock = [100.0]
    upstream = watch(clock)
    caplog.set_level(logging.INFO)
    upstream.record(rebuild(heartbeat(), seq=0))
    clock[0] = 102.5
    upstream.record(rebuild(heartbeat(), seq=1))
    clock[0] = 103.75
    health = upstream.health()
    assert health["last_heartbeat_age_secs"] == 1.25
    assert health["instance_id"] == heartbeat().instance_id
    seen = [r for r in caplog.records if getattr(r, "event", None) == "upstream_seen"]
    assert len(seen) == 1
    upstream.record(rebuild(heartbeat(), seq=0, instance_id="model_engine-restarted"))
    seen = [r for r in caplog.records if getattr(r, "event", None) == "upstream_seen"]
    assert len(seen) == 2
