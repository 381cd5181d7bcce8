"""Worker mains: the server under test (`signal_bus.BusServer`) and the client processes."""

from __future__ import annotations

import asyncio
import time
from array import array
from collections.abc import Awaitable, Callable
from multiprocessing.connection import Connection

from pydantic import SecretStr

from bench.bus.clients import ClientGroup
from bench.bus.messages import make_envelopes
from bench.bus.specs import ConnectSpec, FinishSpec, OursOptions, PublishSpec
from bench.bus.workers import Handler, serve_commands
from signal_schema import Envelope

TICK_S = 0.001
"""The publisher wakes every millisecond and publishes every message that has fallen due."""
PREFILL_BATCH = 50


async def paced_publish(publish: Callable[[int], Awaitable[None]], spec: PublishSpec) -> bytes:
    """Call `publish(seq)` for each message when due; return the publish times (array 'q')."""
    pub_ns = array("q")
    interval_ns = 1e9 / spec.rate_per_s
    start = time.monotonic_ns()
    deadline = start + int(spec.max_secs * 1e9)
    seq = 0
    while seq < spec.messages:
        now = time.monotonic_ns()
        due = min(spec.messages, int((now - start) / interval_ns) + 1)
        while seq < due and now < deadline:
            pub_ns.append(now)
            await publish(seq)
            seq += 1
            now = time.monotonic_ns()
        if now >= deadline:
            break
        await asyncio.sleep(TICK_S)
    return pub_ns.tobytes()


async def no_backlog(_: object) -> int:
    """A server without per-client queues reports no backlog."""
    return 0


async def cpu_seconds(_: object) -> float:
    """CPU time this process has used so far (user + system)."""
    return time.process_time()


async def ours_main(conn: Connection, options: OursOptions) -> None:
    """Serve `/ws` with `BusServer` and publish on command."""
    from signal_bus.server import BusServer
    from signal_bus.settings import BusServerSettings

    settings = BusServerSettings(
        host="127.0.0.1",
        port=0,
        tokens=(SecretStr(options.token),),
        queue_size=options.queue_size,
        overflow=options.overflow,
    )
    server = BusServer(settings, service="bench")
    await server.start()

    envelopes: list[Envelope] = []

    async def prepare(spec: PublishSpec) -> None:
        envelopes[:] = make_envelopes(spec.messages, spec.attributions)

    async def publish(spec: PublishSpec) -> bytes:
        async def one(seq: int) -> None:
            server.publish_nowait(envelopes[seq])

        return await paced_publish(one, spec)

    async def prefill(count: int) -> None:
        envelope = make_envelopes(1)[0]
        for seq in range(count):
            server.publish_nowait(envelope)
            if seq % PREFILL_BATCH == 0:
                await asyncio.sleep(0)  # let the writers fill the kernel's buffers as we go

    async def backlog(_: object) -> int:
        return int(server.metrics.value("ntx_bus_queue_depth_max"))

    handlers: dict[str, Handler] = {
        "prepare": prepare,
        "prefill": prefill,
        "cpu": cpu_seconds,
        "publish": publish,
        "backlog": backlog,
    }
    try:
        conn.send((True, server.port))
        await serve_commands(conn, handlers)
    finally:
        await server.stop()


async def clients_main(conn: Connection) -> None:
    """Hold one `ClientGroup` per run: `connect` adds to it, `finish` reports and closes it."""
    groups: list[ClientGroup] = []

    async def connect(spec: ConnectSpec) -> None:
        if not groups:
            groups.append(ClientGroup(spec.messages))
        await groups[0].add(spec)

    async def finish(spec: FinishSpec) -> object:
        return await groups.pop().finish(spec)

    conn.send((True, None))
    try:
        await serve_commands(conn, {"connect": connect, "finish": finish})
    finally:
        for group in groups:
            await group.close()
