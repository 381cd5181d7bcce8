"""SIGKILL exec_core mid-stream and restart it: no signal is decided (or executed) twice."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from pydantic import SecretStr

from signal_bus import BusServer, BusServerSettings
from signal_schema import Envelope
from tests import schema_factories as f
from tests.integration.services.processes import TOKEN, ServiceProcess, free_port, service_env

SIGNALS = [f.rebuild(f.signal(), signal_id=f"sig-{n:03d}") for n in range(20)]


def _decided(line: dict[str, object], signal_id: str) -> bool:
    return line.get("signal_id") == signal_id and line.get("event") in {
        "risk_decision", "signal_duplicate",
    }  # fmt: skip


async def _run(env: dict[str, str], server: BusServer, kill_after: str | None) -> ServiceProcess:
    process = await ServiceProcess.start("exec_core", env)
    await process.event("input_subscribed", upstream="model_engine")
    for signal in SIGNALS:
        server.publish_nowait(Envelope.of(signal))
    if kill_after is not None:
        await process.wait_for(lambda line: _decided(line, kill_after))
        process.process.kill()  # SIGKILL: no cleanup at all
        await process.process.wait()
    else:
        await process.wait_for(lambda line: _decided(line, SIGNALS[-1].signal_id))
        assert await process.stop() == 0
    return process


async def test_sigkill_then_restart_decides_each_signal_once(tmp_path: Path) -> None:
    bus_port = free_port()
    server = BusServer(
        BusServerSettings(port=bus_port, tokens=(SecretStr(TOKEN),)), service="model_engine"
    )
    await server.start()
    env = service_env("exec_core", tmp_path, bus_port=free_port(), http_port=free_port(),
                      upstream_urls={"model_engine": f"ws://127.0.0.1:{bus_port}/ws"})  # fmt: skip
    try:
        first = await _run(env, server, kill_after=SIGNALS[5].signal_id)
        second = await _run(env, server, kill_after=None)
    finally:
        await server.stop()
    decided = [
        line["signal_id"]
        for line in first.lines + second.lines
        if line.get("event") == "risk_decision"
    ]
    assert len(decided) == len(set(decided)), "a signal was decided twice"
    with sqlite3.connect(tmp_path / "exec_core.db") as db:
        rows = db.execute("SELECT signal_id FROM risk_decisions").fetchall()
        seen = db.execute("SELECT count(*) FROM risk_seen_signals").fetchone()[0]
    assert len(rows) == len({r[0] for r in rows})
    assert seen == len(SIGNALS)
    assert any(line.get("event") == "signal_duplicate" for line in second.lines)
