"""The gateway's whole OpenAPI surface, fuzzed against the four real services: never a 5xx.

The four services run as real ``python -m <service>`` processes on a fresh ``NTX_HOME``; the
gateway runs in this process (a thread with its own event loop) on a socket bound before it
serves, so requests queue until it answers. schemathesis generates cases from the gateway's
``/openapi.json`` (so the constraints documented there are the ones the services enforce);
the edge values that once gave 500s or a reset connection are checked explicitly.
"""

from __future__ import annotations

import asyncio
import http.client
import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from pydantic import SecretStr
from schemathesis import GenerationMode
from schemathesis.core.result import Err, Ok

from neurotradex.gateway import ApiTokens, GatewaySettings
from tests.integration.gateway.servers import running_gateway
from tests.integration.services.processes import REPO, SERVICES, TOKEN, free_port, service_env

READ = "fuzz-read-token"
OPERATOR = "fuzz-operator-token"
AUTH = {"Authorization": f"Bearer {OPERATOR}"}
STARTUP_SECS = 60.0
EXAMPLES = 50
"""Generated cases per operation and mode: about 1,300 requests, under a minute."""

pytestmark = pytest.mark.timeout(240)


@dataclass(frozen=True)
class Ports:
    """One service's bus and HTTP ports."""

    bus: int
    http: int


class Service:
    """A ``python -m <service>`` process whose JSON log lines a thread reads."""

    def __init__(self, name: str, env: dict[str, str], stderr: Path) -> None:
        self.name = name
        self.started = threading.Event()
        self.lines: list[str] = []
        self._stderr = stderr.open("wb")
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
            [sys.executable, "-m", name],
            cwd=REPO,
            env=env,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
        )
        self._reader = threading.Thread(target=self._read, name=f"{name}-log", daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for raw in self.process.stdout:
            self.lines.append(raw.decode(errors="replace"))
            try:
                line = json.loads(raw)
            except ValueError:
                continue
            if isinstance(line, dict) and line.get("event") == "started":
                self.started.set()

    def stop(self) -> None:
        """SIGTERM, then SIGKILL if it does not exit in time."""
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._reader.join(5)
        self._stderr.close()


class GatewayThread:
    """The gateway served by `running_gateway` on an event loop of its own thread."""

    def __init__(self, gateway_settings: GatewaySettings, tokens: ApiTokens) -> None:
        self._settings = gateway_settings
        self._tokens = tokens
        self._ready = threading.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self.url = ""
        self.error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="gateway", daemon=True)

    def __enter__(self) -> GatewayThread:
        self._thread.start()
        if not self._ready.wait(STARTUP_SECS) or self.error is not None:
            raise AssertionError(f"the gateway did not start: {self.error!r}")
        return self

    def __exit__(self, *_: object) -> None:
        if self._loop is not None and self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(15)

    def _run(self) -> None:
        try:
            asyncio.run(self._serve())
        except BaseException as exc:  # reported by __enter__
            self.error = exc
            self._ready.set()

    async def _serve(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        async with running_gateway(self._settings, self._tokens) as gateway:
            self.url = gateway.url
            self._ready.set()
            await self._stop.wait()


UPSTREAMS = {
    "data_core": (),
    "model_engine": ("data_core",),
    "exec_core": ("data_core", "model_engine", "alert_system"),
    "alert_system": ("model_engine", "exec_core"),
}


@pytest.fixture(scope="module")
def gateway_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Start the four services and the gateway in front of them; yield the gateway's URL."""
    home = tmp_path_factory.mktemp("fuzz-home")
    ports = {name: Ports(free_port(), free_port()) for name in SERVICES}
    bus_urls = {name: f"ws://127.0.0.1:{p.bus}/ws" for name, p in ports.items()}
    started: list[Service] = []
    try:
        for name in SERVICES:
            env = service_env(
                name,
                home,
                bus_port=ports[name].bus,
                http_port=ports[name].http,
                upstream_urls={u: bus_urls[u] for u in UPSTREAMS[name]},
            )
            started.append(Service(name, env, home / f"{name}.stderr"))
        for service in started:
            if not service.started.wait(STARTUP_SECS):
                raise AssertionError(f"{service.name} did not start:\n{''.join(service.lines)}")
        upstream: dict[str, object] = {"timeout_secs": 20.0, "health_timeout_secs": 5.0}
        for name, p in ports.items():
            upstream[f"{name}_http_url"] = f"http://127.0.0.1:{p.http}"
            upstream[f"{name}_url"] = bus_urls[name]
        gateway_settings = GatewaySettings.model_validate(
            {
                "home": home,
                "read_token": READ,
                "operator_token": OPERATOR,
                "bus_token": TOKEN,
                "upstream": upstream,
                "dashboard_dir": None,
            }
        )
        tokens = ApiTokens(SecretStr(READ), SecretStr(OPERATOR))
        with GatewayThread(gateway_settings, tokens) as gateway:
            yield gateway.url
    finally:
        for service in started:
            service.stop()


def raw_get(url: str, target: str) -> tuple[int, bytes]:
    """GET `target` with http.client (no URL length limit); return status and body."""
    host, port = url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    try:
        connection.request("GET", target, headers=AUTH)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


EDGE_QUERIES = [
    ("/api/signals?start_ms=99999999999999999999", 422),
    ("/api/signals?end_ms=-99999999999999999999", 422),
    (f"/api/signals?start_ms={2**63}", 422),
    (f"/api/signals?end_ms={-(2**63) - 1}", 422),
    (f"/api/signals?start_ms={-(2**63)}&end_ms={2**63 - 1}", 200),
    ("/api/signals?limit=0", 422),
    ("/api/signals/" + "s" * 5_000, 422),
    ("/api/signals/a%00b/explanation", 422),
    ("/api/approvals/a%00b", 422),
    ("/api/approvals/" + "a" * 5_000, 422),
    ("/api/approvals/apr-unknown", 404),
    ("/api/bars?symbol=" + "B" * 100, 422),
]


@pytest.mark.parametrize(("target", "status"), EDGE_QUERIES, ids=[t[:48] for t, _ in EDGE_QUERIES])
def test_edge_values_are_answered_4xx_with_a_reason(
    gateway_url: str, target: str, status: int
) -> None:
    answered, body = raw_get(gateway_url, target)
    assert answered == status, body[:300]
    if status >= 400:
        assert json.loads(body)["detail"]


@pytest.mark.parametrize("length", [8_193, 65_536, 70_000, 1_048_576])
def test_a_long_query_string_is_414(gateway_url: str, length: int) -> None:
    status, body = raw_get(gateway_url, "/api/signals?symbol=" + "A" * length)
    assert status == 414
    assert "query string over 8192 bytes" in json.loads(body)["detail"]


@pytest.mark.parametrize(
    ("approval_id", "status"), [("a%00b", 422), ("a" * 5_000, 422), ("apr-unknown", 409)]
)
def test_deciding_a_malformed_or_unknown_approval_is_4xx(
    gateway_url: str, approval_id: str, status: int
) -> None:
    answer = httpx.post(
        f"{gateway_url}/api/approvals/{approval_id}",
        json={"approved": True},
        headers=AUTH,
        timeout=30,
    )
    assert answer.status_code == status, answer.text
    assert answer.json()["detail"]


def test_a_10_mb_body_is_413_at_the_gateway(gateway_url: str) -> None:
    big = b'{"engaged": true, "reason": "' + b"x" * 10_000_000 + b'"}'
    answer = httpx.post(
        f"{gateway_url}/api/kill",
        content=big,
        headers={**AUTH, "Content-Type": "application/json"},
        timeout=30,
    )
    chunked = httpx.post(
        f"{gateway_url}/api/kill",
        content=iter([big[:6_000_000], big[6_000_000:]]),  # no Content-Length: counted
        headers={**AUTH, "Content-Type": "application/json"},
        timeout=30,
    )
    risk = httpx.get(f"{gateway_url}/api/risk", headers=AUTH, timeout=30).json()
    assert (answer.status_code, chunked.status_code) == (413, 413), (answer.text, chunked.text)
    assert answer.json()["detail"] == "body over 1048576 bytes"
    assert risk["kill_switch"]["engaged"] is False  # exec_core never saw it


@pytest.mark.parametrize("mode", list(GenerationMode), ids=lambda m: m.value)
def test_no_generated_request_gets_a_5xx(gateway_url: str, mode: GenerationMode) -> None:
    """Cases generated from the gateway's own OpenAPI, valid and invalid, every operation."""
    schema = schemathesis.openapi.from_url(f"{gateway_url}/openapi.json")
    results = list(schema.get_all_operations())
    invalid = [r.err() for r in results if isinstance(r, Err)]
    assert invalid == []  # the schema the gateway serves is valid OpenAPI
    operations = [r.ok() for r in results if isinstance(r, Ok)]
    assert len(operations) >= 14  # every forwarded route and /api/health
    server_errors: list[str] = []
    fuzzed: list[str] = []
    for operation in operations:

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy(mode))
        def call(case: schemathesis.Case[Any]) -> None:
            fuzzed.append(case.operation.label)
            response = case.call(headers=AUTH, timeout=30)
            if response.status_code >= 500:
                server_errors.append(
                    f"{case.method} {case.formatted_path} {case.query}: "
                    f"{response.status_code} {response.text[:300]}"
                )

        try:
            call()
        except Unsatisfiable:  # nothing can be invalid (e.g. no parameters, no body)
            assert mode == GenerationMode.NEGATIVE
    assert server_errors == []
    assert len(set(fuzzed)) >= (14 if mode == GenerationMode.POSITIVE else 10), set(fuzzed)


def test_the_services_host_their_own_port(gateway_url: str) -> None:
    """The fixture's gateway answers health for all four services (they really run)."""
    health = httpx.get(f"{gateway_url}/api/health", timeout=30).json()
    assert set(health["services"]) == set(SERVICES)
    assert all(s["status"] in {"ok", "degraded"} for s in health["services"].values()), health
