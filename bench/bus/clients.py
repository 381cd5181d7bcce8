"""The client side of one run: open many connections, then report what each received."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import time
from array import array

from bench.bus.harness import BenchClient, Tally, upgrade_request
from bench.bus.specs import ClientReport, ConnectSpec, FinishSpec

TOPICS_FRAME = b'{"op":"subscribe","topics":["signal.emitted"]}'
STALLED_RCVBUF = 4_096
"""Receive buffer of the stalled client, so the server really meets a full socket."""


async def _open(spec: ConnectSpec, tally: Tally | None) -> BenchClient:
    loop = asyncio.get_running_loop()
    request, key = upgrade_request(spec.host, spec.port, spec.path, spec.token)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.setblocking(False)
        if tally is None:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, STALLED_RCVBUF)
        await loop.sock_connect(sock, (spec.host, spec.port))
        _, client = await loop.create_connection(
            lambda: BenchClient(request, key, TOPICS_FRAME, tally, spec.messages), sock=sock
        )
    except BaseException:
        sock.close()
        raise
    await client.subscribed
    return client


class ClientGroup:
    """The connections one process holds during one run."""

    def __init__(self, messages: int) -> None:
        self.healthy: list[BenchClient] = []
        self.stalled: BenchClient | None = None
        self.tally = Tally(messages, 0)
        self.cpu_start = time.process_time()

    async def add(self, spec: ConnectSpec) -> None:
        """Open `spec`'s connections and wait until each subscription is acknowledged."""
        self.tally.remaining += spec.healthy
        opened = await asyncio.gather(*(_open(spec, self.tally) for _ in range(spec.healthy)))
        self.healthy.extend(opened)
        if spec.stalled:
            self.stalled = await _open(spec, None)

    async def finish(self, spec: FinishSpec) -> ClientReport:
        """Wait for every published message (or the grace period), then close and report."""
        pub_ns = array("q")
        pub_ns.frombytes(spec.pub_ns)
        self.tally.reset(len(pub_ns), [client.received for client in self.healthy])
        until_last = (pub_ns[-1] - time.monotonic_ns()) / 1e9 if pub_ns else 0.0
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(asyncio.shield(self.tally.done), until_last + spec.grace_s)
        report = _report(self.healthy, pub_ns, time.process_time() - self.cpu_start)
        await self.close()
        return report

    async def close(self) -> None:
        """Close every connection and wait until their transports are gone."""
        clients = [*self.healthy, *([self.stalled] if self.stalled else [])]
        for client in clients:
            client.close()
        await asyncio.wait_for(asyncio.gather(*(c.closed for c in clients)), 10.0)


def _report(clients: list[BenchClient], pub_ns: array[int], cpu_s: float) -> ClientReport:
    latencies = array("q")
    received = array("q")
    for client in clients:
        recv = client.recv_ns
        for seq, published in enumerate(pub_ns):
            if recv[seq]:
                received.append(recv[seq])
                latencies.append(recv[seq] - published)
    return ClientReport(
        connections=len(clients),
        expected=len(pub_ns) * len(clients),
        received=len(latencies),
        unexpected=sum(client.unexpected for client in clients),
        first_recv_ns=min(received, default=0),
        last_recv_ns=max(received, default=0),
        latencies_ns=latencies.tobytes(),
        cpu_s=cpu_s,
    )
