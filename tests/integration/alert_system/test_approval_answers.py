"""A Telegram approval button answers what a real exec_core decided.

A real ``python -m exec_core`` (manual approvals, between stand-in model_engine and data_core
buses) subscribes to alert_system's bus; alert_system runs in-process with
python-telegram-bot's real Application against the local Bot API server and reads exec_core's
bus and HTTP API. Pressing Approve answers "Approved" only when exec_core took that decision;
a second press, a press after the operator decided over HTTP, and a press for an approval
exec_core never requested each say so.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import httpx
from pydantic import SecretStr

from alert_system.build import build_service
from alert_system.settings import DeliverySection, TelegramSection
from service_runtime import BusSection, HttpSection, ServiceHost
from signal_schema import ApprovalDecided, ApprovalRequested
from tests import schema_factories as f
from tests.fixtures.telegram import Call, LocalTelegram
from tests.integration.alert_system.harness import settings
from tests.integration.exec_core.service.stand_ins import (
    Outputs,
    Stand,
    exec_core,
    signal_on,
    stand,
)
from tests.integration.services.processes import TOKEN, ServiceProcess, free_port
from tests.unit.exec_core.real_bars import real_bars

BOT_TOKEN = "123456:TEST-token-abcdef"
OPERATOR_CHAT = 1001
BARS = real_bars(f.BAR_OPEN, 2)


@contextlib.asynccontextmanager
async def platform(
    home: Path, server: LocalTelegram
) -> AsyncIterator[tuple[Stand, ServiceProcess, Outputs]]:
    """exec_core (a process) and alert_system (in-process) subscribed to each other."""
    alert_port = free_port()
    async with stand(
        home / "exec",
        EXEC_CORE__APPROVAL__MODE="manual",
        EXEC_CORE__UPSTREAM__ALERT_SYSTEM_URL=f"ws://127.0.0.1:{alert_port}/ws",
    ) as s:
        config = settings(
            home / "alerts",
            s.model_engine.url,
            f"ws://127.0.0.1:{s.bus_port}/ws",
            bus=BusSection(port=alert_port),
            http=HttpSection(port=0),
            telegram=TelegramSection(
                bot_token=SecretStr(BOT_TOKEN),
                chat_ids=str(OPERATOR_CHAT),
                base_url=f"{server.url}/bot",
                rate_per_s=50.0,
            ),
            delivery=DeliverySection(exec_core_http_url=s.http),
            NTX_BUS_TOKEN=TOKEN,  # exec_core's: each side subscribes to the other's bus
        )
        async with exec_core(s) as (process, out):
            service = build_service(config)
            host = ServiceHost.from_settings(service, config)
            stop = asyncio.Event()
            task = asyncio.create_task(host.run(stop))
            try:
                await asyncio.wait_for(service.wait_subscribed(), 20)
                await process.event("input_subscribed", upstream="alert_system")
                yield s, process, out
            finally:
                stop.set()
                await asyncio.wait_for(task, 20)


def answer_of(server: LocalTelegram, callback_id: str) -> Call:
    """The ``answerCallbackQuery`` the bot sent for callback `callback_id`."""
    return next(
        c
        for c in server.calls
        if c.method == "answerCallbackQuery" and c.params["callback_query_id"] == callback_id
    )


async def press(server: LocalTelegram, card: Call, data: str) -> str:
    """Press a button with `data` on `card`; return the text the bot answered it with."""
    await server.press(OPERATOR_CHAT, card, data)
    callback_id = server.updates[-1]["callback_query"]["id"]
    answered = await server.wait_call(
        "answerCallbackQuery", lambda c: c.params["callback_query_id"] == callback_id
    )
    text: str = answered.params["text"]
    return text


async def request_approval(s: Stand, out: Outputs, signal_id: str, bar: int) -> ApprovalRequested:
    """Make exec_core request an approval for a fresh signal; return the request."""
    before = len(out.of("ApprovalRequested"))
    s.bar(BARS[bar])
    s.signal(signal_on(BARS[bar], signal_id))
    await out.until(lambda o: len(o.of("ApprovalRequested")) > before)
    request = out.of("ApprovalRequested")[-1]
    assert isinstance(request, ApprovalRequested)
    return request


def has_buttons_for(approval_id: str) -> Callable[[Call], bool]:
    """Match the card that carries `approval_id`'s buttons."""
    return lambda c: "reply_markup" in c.params and approval_id in str(c.params["reply_markup"])


async def test_the_button_answers_what_exec_core_decided(tmp_path: Path) -> None:
    server = LocalTelegram(BOT_TOKEN)
    async with server.running(), platform(tmp_path, server) as (s, process, out):
        first = await request_approval(s, out, "sig-button-1", 0)
        card = await server.wait_call("sendMessage", has_buttons_for(first.approval_id))
        approved = await press(server, card, f"approve:{first.approval_id}")
        again = await press(server, card, f"reject:{first.approval_id}")
        unknown = await press(server, card, "approve:apr-never-requested")
        malformed = await press(server, card, "approve:a b")

        second = await request_approval(s, out, "sig-button-2", 1)
        async with httpx.AsyncClient(base_url=s.http) as http:
            by_api = await http.post(
                f"/api/approvals/{second.approval_id}",
                json={"approved": False},
                headers={"Authorization": f"Bearer {TOKEN}"},
            )
        assert by_api.status_code == 200, by_api.text
        await out.until(lambda o: len(o.of("ApprovalDecided")) == 2)
        after_api = await press(server, card, f"approve:{second.approval_id}")
        assert await process.stop() == 0
    decided = [d for d in out.messages if isinstance(d, ApprovalDecided)]
    assert [(d.approval_id, d.approved, d.decided_by, d.channel) for d in decided] == [
        (first.approval_id, True, "telegram:op", "telegram"),
        (second.approval_id, False, "operator", "api"),
    ]
    assert approved == f"Approved by telegram:op: {first.approval_id}"
    assert again == f"Already approved by telegram:op via telegram: {first.approval_id}"
    assert unknown.startswith("Unknown approval: apr-never-requested")
    assert malformed.startswith("Unknown approval: a b")
    assert after_api == f"Already rejected by operator via api: {second.approval_id}"
