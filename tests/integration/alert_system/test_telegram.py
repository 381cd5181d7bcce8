"""Telegram through python-telegram-bot's real Application against a local Bot API server."""

from __future__ import annotations

from pathlib import Path

from pydantic import SecretStr

from alert_system.settings import DeliverySection, TelegramSection
from signal_schema import ApprovalDecided, SetKillSwitch, topics
from tests import schema_factories as factories
from tests.fixtures.telegram import Call, LocalTelegram
from tests.integration.alert_system.harness import running
from tests.integration.gateway.servers import refused_port

BOT_TOKEN = "123456:TEST-token-abcdef"
OPERATOR = 1001
STRANGER = 666


def section(server: LocalTelegram) -> TelegramSection:
    return TelegramSection(
        bot_token=SecretStr(BOT_TOKEN),
        chat_ids=str(OPERATOR),
        base_url=f"{server.url}/bot",
        rate_per_s=50.0,
    )


def has_buttons(call: Call) -> bool:
    return "reply_markup" in call.params


async def test_approval_round_trip(tmp_path: Path) -> None:
    """exec_core's API down: the decision goes out and exec_core's echo answers the button."""
    server = LocalTelegram(BOT_TOKEN)
    with refused_port() as port:
        delivery = DeliverySection(exec_core_http_url=f"http://127.0.0.1:{port}")
        async with (
            server.running(),
            running(tmp_path, telegram=section(server), delivery=delivery) as alerts,
        ):
            async with alerts.subscribe([topics.APPROVAL_DECIDED]) as decisions:
                request = factories.approval_requested()
                await alerts.emit(request)
                card = await server.wait_call("sendMessage", has_buttons)
                buttons = card.params["reply_markup"]["inline_keyboard"][0]
                approve = next(b["callback_data"] for b in buttons if b["text"] == "Approve")
                await server.press(OPERATOR, card, approve)
                decided = (await anext(decisions)).message
                assert isinstance(decided, ApprovalDecided)
                await alerts.emit(decided)  # exec_core's echo on its own bus
            answered = await server.wait_call("answerCallbackQuery")
            edited = await server.wait_call("editMessageText")
    assert answered.params["text"].startswith("Approved by telegram:op")
    assert int(card.params["chat_id"]) == OPERATOR
    assert card.params["parse_mode"] == "HTML"
    assert "Approval needed" in card.params["text"]
    assert isinstance(decided, ApprovalDecided)
    assert (decided.approval_id, decided.approved) == (request.approval_id, True)
    assert decided.channel == "telegram"
    assert edited.params["text"].startswith("Approved by telegram:op")


async def test_a_chat_off_the_allow_list_is_refused(tmp_path: Path) -> None:
    server = LocalTelegram(BOT_TOKEN)
    async with (
        server.running(),
        running(tmp_path, telegram=section(server)) as alerts,
        alerts.subscribe([topics.RISK_KILL_SWITCH_SET]) as commands,
    ):
        await server.command(STRANGER, "/kill now")
        refusal = await server.wait_call(
            "sendMessage", lambda c: int(c.params["chat_id"]) == STRANGER
        )
        await server.command(OPERATOR, "/kill maintenance")
        command = (await anext(commands)).message
    assert refusal.params["text"] == "Not allowed."
    assert isinstance(command, SetKillSwitch)  # the first, so the stranger's never went out
    assert (command.engaged, command.reason, command.channel) == (True, "maintenance", "telegram")
    assert alerts.service.counters()["channels"] == [f"telegram:chat:{OPERATOR}"]


async def test_why_shows_the_attribution_card_of_a_seen_signal(tmp_path: Path) -> None:
    server = LocalTelegram(BOT_TOKEN)
    async with server.running(), running(tmp_path, telegram=section(server)) as alerts:
        await alerts.emit(factories.signal())
        alert = await server.wait_call("sendMessage", lambda c: "LONG" in c.params["text"])
        await server.command(OPERATOR, f"/why {factories.SIGNAL_ID}")
        card = await server.wait_call(
            "sendMessage", lambda c: c is not alert and "Why" in c.params["text"]
        )
        await server.command(OPERATOR, "/positions")
        positions = await server.wait_call("sendMessage", lambda c: "Positions" in c.params["text"])
    assert "log_ret_1" in card.params["text"]
    assert "unreachable" in positions.params["text"] or "404" in positions.params["text"]


async def test_command_replies_are_sent_through_a_429_burst(tmp_path: Path) -> None:
    server = LocalTelegram(BOT_TOKEN)
    async with server.running(), running(tmp_path, telegram=section(server)):
        server.flood("sendMessage", 3)
        await server.command(OPERATOR, "/status")
        await server.command(OPERATOR, "/positions")
        status = await server.wait_call("sendMessage", lambda c: "Status" in c.params["text"])
        positions = await server.wait_call("sendMessage", lambda c: "Positions" in c.params["text"])
    assert len(server.flooded) == 3  # both replies met flood control, and were sent after it
    assert {int(c.params["chat_id"]) for c in (status, positions)} == {OPERATOR}
    assert "Status" in server.flooded[0].params["text"]
