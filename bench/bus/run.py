"""`ntx bench bus`: broadcast throughput of `signal_bus` against a naive FastAPI baseline.

Processes. The server under test (`BusServer`, default settings plus the bench token) and the
baseline (FastAPI on uvicorn with default settings, `await websocket.send_json(message)` for each
client in turn) each run in their own process on a uvloop loop and publish themselves; the healthy
clients run in `client_processes` processes (default 1: on 2 cores that leaves one for the server)
as raw asyncio Protocols (see `harness`, ~4-5 us of CPU per delivery). All processes start once
(~1 s) and serve every run; each run opens fresh connections. Publish and receive times come from
`time.monotonic_ns()`, which all processes share on Linux.

Measure. Each repetition runs three configurations, interleaved so that drift in the machine's
other load hits all three alike: ours with one stalled client, ours without it, and the baseline.
deliveries/s = messages received by healthy clients / (last receive - first publish); p99 is over
every (message, healthy client) latency, from the publish call to the arrival of the chunk that
completed the frame; lost = expected - received. The summary takes the median of the
repetitions. An unrecorded warm-up run (100 messages) precedes them for each server.

The stalled client subscribes, then stops reading, with a 4 KiB receive buffer. Linux lets a
loopback socket buffer megabytes (`net.ipv4.tcp_wmem`), so a client that stalls only during a
one-second run never reaches the server's own queue; it therefore connects first and is
pre-filled with that many bytes plus 1 MiB, so it has a full backlog in the server throughout
the run (reported as `stalled_backlog_frames`).

Offered load. 2,000 messages (`Signal` envelopes of ~760 bytes, see `messages`) at 2,500
messages/s in 1 ms ticks: 250,000 deliveries/s offered to 100 clients, three to five times what
the baseline manages on a shared 2-core machine (45-80k/s measured with this harness), so the
figure is the server's, not the offered rate's: a server that keeps up reports ~250k/s with no
loss, one that does not lags and its queues show it. Ours takes ~1 s per run; the baseline lags
(its loop awaits every send) and is cut after `baseline_max_secs` (3 s) if slower still. The
default run takes ~18 s (at most ~40 s with every
cap hit), well under the 60 s budget. Server CPU time per delivery is reported too: unlike
deliveries/s it does not depend on the machine's other load.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Sequence
from dataclasses import dataclass

from bench.bus.messages import DEFAULT_ATTRIBUTIONS, make_envelopes
from bench.bus.specs import (
    BaselineOptions,
    ClientReport,
    ClientsOptions,
    ConnectSpec,
    FinishSpec,
    OursOptions,
    PublishSpec,
)
from bench.bus.stats import BusBenchResult, RunStats, run_stats
from bench.bus.workers import Worker

DEFAULT_MESSAGES = 2_000
DEFAULT_RATE_PER_S = 2_500.0
WARMUP_MESSAGES = 100
STARTUP_TIMEOUT_S = 30.0
CONNECT_TIMEOUT_S = 15.0
HOST = "127.0.0.1"


@dataclass(frozen=True)
class _Plan:
    clients: int
    rate_per_s: float
    attributions: int
    grace_s: float
    token: str
    message_bytes: int


@dataclass(frozen=True)
class _Target:
    """A server worker, its port, and how long its publisher may take per run."""

    worker: Worker
    port: int
    max_secs: float


class _Fleet:
    """The worker processes, started once and reused by every run."""

    def __init__(self, client_processes: int, token: str) -> None:
        self.workers = [
            Worker("ours", OursOptions(token=token)),
            Worker("baseline", BaselineOptions(token=token)),
            *(Worker("clients", ClientsOptions()) for _ in range(client_processes)),
        ]
        try:
            self.ports: list[int] = [w.wait(STARTUP_TIMEOUT_S) for w in self.workers[:2]]
            for worker in self.workers[2:]:
                worker.wait(STARTUP_TIMEOUT_S)
        except BaseException:
            self.stop()
            raise
        self.ours, self.baseline = self.workers[:2]
        self.clients = self.workers[2:]

    def stop(self) -> None:
        for worker in self.workers:
            worker.stop()


def _split(total: int, parts: int) -> list[int]:
    return [total // parts + (1 if i < total % parts else 0) for i in range(parts)]


def stall_prefill_bytes() -> int:
    """Bytes that fill the kernel's socket buffers on the way to the stalled client, plus 1 MiB.

    Linux lets a loopback socket buffer up to `net.ipv4.tcp_wmem`'s maximum (4 MiB by default)
    before the server sees any backpressure; only past that does its own queue start to fill.
    """
    try:
        with open("/proc/sys/net/ipv4/tcp_wmem") as wmem:
            kernel = int(wmem.read().split()[2])
    except (OSError, ValueError, IndexError):
        kernel = 4 << 20
    return kernel + (1 << 20)


def _connect(
    target: _Target, clients: Sequence[Worker], plan: _Plan, messages: int, stalled: bool
) -> list[Worker]:
    """Open the run's connections; a stalled client comes first and gets a full backlog."""
    if stalled:
        spec = ConnectSpec(HOST, target.port, plan.token, 0, True, messages)
        clients[0].call("connect", spec, CONNECT_TIMEOUT_S)
        prefill = -(-stall_prefill_bytes() // plan.message_bytes)
        target.worker.call("prefill", prefill, CONNECT_TIMEOUT_S)
    shares = [(w, n) for w, n in zip(clients, _split(plan.clients, len(clients)), strict=True) if n]
    for worker, count in shares:
        worker.send("connect", ConnectSpec(HOST, target.port, plan.token, count, False, messages))
    for worker, _ in shares:
        worker.wait(CONNECT_TIMEOUT_S)
    return [worker for worker, _ in shares]


def _run_once(
    target: _Target, clients: Sequence[Worker], plan: _Plan, messages: int, *, stalled: bool
) -> RunStats:
    """Connect, publish `messages`, collect every healthy client's report."""
    used = _connect(target, clients, plan, messages, stalled)
    server = target.worker
    publish = PublishSpec(messages, plan.rate_per_s, target.max_secs, plan.attributions)
    server.call("prepare", publish, CONNECT_TIMEOUT_S)
    cpu_before: float = server.call("cpu", None, CONNECT_TIMEOUT_S)
    pub_ns: bytes = server.call("publish", publish, target.max_secs + STARTUP_TIMEOUT_S)
    backlog: int = server.call("backlog", None, CONNECT_TIMEOUT_S)
    for worker in used:
        worker.send("finish", FinishSpec(pub_ns, plan.grace_s))
    reports: list[ClientReport] = [w.wait(plan.grace_s + CONNECT_TIMEOUT_S) for w in used]
    server_cpu_s = server.call("cpu", None, CONNECT_TIMEOUT_S) - cpu_before
    return run_stats(pub_ns, reports, server_cpu_s, backlog)


def run_bus_bench(
    clients: int = 100,
    repetitions: int = 3,
    *,
    messages: int = DEFAULT_MESSAGES,
    rate_per_s: float = DEFAULT_RATE_PER_S,
    client_processes: int = 1,
    attributions: int = DEFAULT_ATTRIBUTIONS,
    grace_s: float = 1.0,
    baseline_max_secs: float = 3.0,
    warmup_messages: int = WARMUP_MESSAGES,
) -> BusBenchResult:
    """Measure `BusServer` and the FastAPI baseline broadcasting to `clients` clients.

    Parameters
    ----------
    clients
        Healthy clients per run (one stalled client is added in the isolation runs).
    repetitions
        Runs per configuration; the summary reports their median.
    messages, rate_per_s
        Messages published per run and the offered rate (paced in 1 ms ticks).
    client_processes
        Processes the healthy clients are spread over.
    attributions
        Feature attributions per `Signal` (sets the message size).
    grace_s
        How long clients wait for stragglers after the last publish.
    baseline_max_secs
        The baseline stops publishing after this long, to bound the run time.
    warmup_messages
        Messages of one unrecorded run against each server first (0 skips it).
    """
    started = time.monotonic()
    if clients < 1 or repetitions < 1 or messages < 1:
        raise ValueError("clients, repetitions and messages must be at least 1")
    size = len(make_envelopes(1, attributions)[0].to_json())
    plan = _Plan(clients, rate_per_s, attributions, grace_s, secrets.token_urlsafe(12), size)
    fleet = _Fleet(client_processes, plan.token)
    ours = _Target(fleet.ours, fleet.ports[0], 1.5 * messages / rate_per_s + 0.5)
    baseline = _Target(fleet.baseline, fleet.ports[1], baseline_max_secs)
    runs: dict[str, list[RunStats]] = {"with": [], "without": [], "baseline": []}
    try:
        for target in (ours, baseline) if warmup_messages else ():
            _run_once(target, fleet.clients, plan, warmup_messages, stalled=False)
        for _ in range(repetitions):
            for key, target, stalled in (
                ("with", ours, True),
                ("without", ours, False),
                ("baseline", baseline, False),
            ):
                runs[key].append(_run_once(target, fleet.clients, plan, messages, stalled=stalled))
    finally:
        fleet.stop()
    return BusBenchResult(
        clients=clients,
        messages=messages,
        offered_msgs_per_s=rate_per_s,
        message_bytes=size,
        with_stalled=tuple(runs["with"]),
        without_stalled=tuple(runs["without"]),
        baseline=tuple(runs["baseline"]),
        wall_s=time.monotonic() - started,
    )
