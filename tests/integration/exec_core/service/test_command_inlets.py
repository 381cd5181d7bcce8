"""Commands reach a real ``python -m exec_core`` only through an authenticated channel.

Holding the bus token is not an operator's authority: a client that publishes
``SetKillSwitch`` or ``ApprovalDecided`` on exec_core's own bus is answered with an error
frame and nothing changes. alert_system's bus (its Telegram allow-list) and the HTTP API
(the gateway's operator token) are the two inlets, and exec_core records the channel they
are, whatever the message claims.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import orjson
from pydantic import SecretStr
from websockets.asyncio.client import connect

from signal_bus import BusServer, BusServerSettings
from signal_bus.control import subscribe_frame
from signal_schema import ApprovalRequested, Envelope, topics
from tests import schema_factories as f
from tests.integration.exec_core.service.stand_ins import Stand, exec_core, signal_on, stand
from tests.integration.services.processes import TOKEN, free_port
from tests.unit.exec_core.real_bars import real_bars

BARS = real_bars(f.BAR_OPEN, 2)
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@contextlib.asynccontextmanager
async def with_alert_system(home: Path) -> AsyncIterator[tuple[Stand, BusServer]]:
    """The stand-ins plus a stand-in alert_system bus, exec_core in manual approval mode."""
    settings = BusServerSettings(port=free_port(), tokens=(SecretStr(TOKEN),))
    async with BusServer(settings, service="alert_system") as alerts:
        url = f"ws://127.0.0.1:{settings.port}/ws"
        async with stand(
            home,
            EXEC_CORE__APPROVAL__MODE="manual",
            EXEC_CORE__UPSTREAM__ALERT_SYSTEM_URL=url,
        ) as s:
            yield s, alerts


async def _pending_approval(s: Stand, out: object) -> str:
    s.bar(BARS[0])
    s.signal(signal_on(BARS[0], "sig-inlet-1"))
    await out.until(lambda o: bool(o.of("ApprovalRequested")))  # type: ignore[attr-defined]
    (request,) = out.of("ApprovalRequested")  # type: ignore[attr-defined]
    assert isinstance(request, ApprovalRequested)
    return request.approval_id


async def test_commands_published_on_exec_cores_bus_are_refused(tmp_path: Path) -> None:
    async with with_alert_system(tmp_path) as (s, _), exec_core(s) as (process, out):
        approval_id = await _pending_approval(s, out)
        forged_kill = f.rebuild(
            f.set_kill_switch(), requested_by="telegram:someone-forged", channel="telegram"
        )
        forged_approval = f.rebuild(f.approval_decided(), approval_id=approval_id)
        url = f"ws://127.0.0.1:{s.bus_port}/ws"
        async with connect(url, additional_headers=AUTH, max_size=None) as ws:
            await ws.send(subscribe_frame((topics.MARKET_GAP,)), text=True)  # never published
            assert orjson.loads(await ws.recv())["op"] == "subscribed"
            answers = []
            for message in (forged_kill, forged_approval):
                await ws.send(Envelope.of(message).to_json(), text=True)
                async with asyncio.timeout(10):  # an accepted command gets no answer
                    answers.append(orjson.loads(await ws.recv()))
        async with httpx.AsyncClient(base_url=s.http, headers=AUTH) as http:
            risk = (await http.get("/api/risk")).json()
            pending = (await http.get("/api/approvals")).json()
        assert await process.stop() == 0
    assert [(a["op"], a["reason"]) for a in answers] == [("error", "not_accepted")] * 2
    assert risk["kill_switch"]["engaged"] is False
    assert risk["kill_switch"]["changed_by"] != "telegram:someone-forged"
    assert [p["approval_id"] for p in pending] == [approval_id]
    assert not out.of("KillSwitchChanged")
    assert not out.of("ApprovalDecided")


async def test_the_receiver_sets_the_audit_channel(tmp_path: Path) -> None:
    async with with_alert_system(tmp_path) as (s, alerts), exec_core(s) as (process, out):
        await process.event("input_subscribed", upstream="alert_system")
        approval_id = await _pending_approval(s, out)
        claims_api = f.rebuild(f.set_kill_switch(), requested_by="mallory", channel="api")
        alerts.publish_nowait(Envelope.of(claims_api))
        await process.event("kill_switch", engaged=True)  # logged after it is stored
        async with httpx.AsyncClient(base_url=s.http, headers=AUTH) as http:
            risk = (await http.get("/api/risk")).json()
            decided = await http.post(
                f"/api/approvals/{approval_id}",
                json={"approved": False, "decided_by": "telegram:ana", "channel": "telegram"},
            )
            claimed = decided.status_code
            decided = await http.post(f"/api/approvals/{approval_id}", json={"approved": False})
            stored = (await http.get(f"/api/approvals/{approval_id}")).json()
        assert await process.stop() == 0
    assert risk["kill_switch"]["changed_by"] == "telegram:mallory"
    assert risk["kill_switch"]["channel"] == "telegram"
    assert claimed == 422  # the body may not name who decided or through what
    assert decided.status_code == 200, decided.text
    assert (decided.json()["decided_by"], decided.json()["channel"]) == ("operator", "api")
    assert (stored["status"], stored["decided_by"], stored["channel"]) == (
        "rejected",
        "operator",
        "api",
    )
