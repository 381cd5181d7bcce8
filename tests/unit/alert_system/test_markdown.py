"""MarkdownV2 templates: one per HTML one, and every value escaped the way Telegram requires."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from pydantic import SecretStr
from telegram import Bot

from alert_system.alerts import DAILY_SUMMARY, Alert, alert_from
from alert_system.channels.markdown import markdown_v2_errors
from alert_system.channels.telegram import TelegramChannel
from alert_system.render import Renderer
from alert_system.settings import TelegramSection
from signal_schema import AnyMessage, Envelope
from tests import schema_factories as factories

TEMPLATES = Path(__file__).resolve().parents[3] / "alert_system" / "templates" / "telegram"
NASTY = "a_b*c[d](e)~f`g>h#i+j-k=l|m{n}o.p!q\\r"


def channel() -> TelegramChannel:
    section = TelegramSection(bot_token=SecretStr("1:x"), parse_mode="MarkdownV2")
    return TelegramChannel(section, Bot("1:x"), 42)


def nasty(message: AnyMessage) -> AnyMessage:
    """Put every reserved character into the message's free-text and id fields."""
    texts = ("reason", "message", "symbol", "client_order_id", "changed_by", "venue")
    changes = {f: NASTY for f in texts if isinstance(getattr(message, f, None), str)}
    return message.model_copy(update=changes)


def summary() -> Alert:
    portfolio = factories.portfolio_snapshot().model_dump(mode="json")
    pnl = {"realized_pnl": "-12.5", "unrealized_pnl": "3.25", "fees": "0.1"}
    context = {
        **dict.fromkeys(("signals", "signals_up", "signals_down", "fills"), 3),
        **dict.fromkeys(("refused", "breaches", "delivered", "failed"), 1),
        "day": "2026-01-02",
        "since": "2026-01-01T23:55:00+00:00",
        "portfolio": portfolio,
        "pnl": pnl,
    }
    return Alert(f"{DAILY_SUMMARY}:2026-01-02", DAILY_SUMMARY, "alert.daily_summary", context)


MESSAGES = [
    factories.signal,
    factories.risk_decision,
    factories.risk_limit_breached,
    factories.kill_switch_changed,
    factories.order_filled,
    factories.approval_requested,
]


def test_every_html_template_has_a_markdown_v2_twin() -> None:
    html = {p.name.removesuffix(".html.j2") for p in TEMPLATES.glob("*.html.j2")}
    md2 = {p.name.removesuffix(".md2.j2") for p in TEMPLATES.glob("*.md2.j2")}
    assert html <= md2, sorted(html - md2)


@pytest.mark.parametrize("make", MESSAGES, ids=lambda f: f.__name__)
@pytest.mark.parametrize("tricky", [False, True], ids=["plain", "reserved-chars"])
def test_markdown_v2_renders_escaped_from_its_own_template(make: object, tricky: bool) -> None:
    message = make()  # type: ignore[operator]
    alert = alert_from(Envelope.of(nasty(message) if tricky else message))
    assert alert is not None
    renderer = Renderer()
    text = json.loads(renderer.render(alert, channel()))["text"]
    assert renderer.errors == 0  # the type's own template, not the plain fallback
    assert markdown_v2_errors(text) == [], text
    if tricky:
        assert NASTY in re.sub(r"\\(.)", r"\1", text)


def test_the_daily_summary_renders_in_both_markups() -> None:
    renderer = Renderer()
    text = json.loads(renderer.render(summary(), channel()))["text"]
    assert markdown_v2_errors(text) == [], text
    assert "2026\\-01\\-02" in text
    assert "\\-12\\.5" in text
    html_channel = TelegramChannel(TelegramSection(bot_token=SecretStr("1:x")), Bot("1:x"), 42)
    html = json.loads(renderer.render(summary(), html_channel))["text"]
    assert "<b>📊 Daily summary 2026-01-02</b>" in html
    assert renderer.errors == 0


def test_the_checker_catches_what_telegram_refuses() -> None:
    assert markdown_v2_errors("1.5") != []
    assert markdown_v2_errors("*bold") != []
    assert markdown_v2_errors("`a.b` 1\\.5 *x* _y_") == []


def test_a_broken_markdown_override_falls_back_to_escaped_plain_text(tmp_path: Path) -> None:
    (tmp_path / "telegram").mkdir()
    (tmp_path / "telegram" / "Signal.md2.j2").write_text("*unclosed {{ m.symbol }} 1.5")
    renderer = Renderer(tmp_path)
    alert = alert_from(Envelope.of(factories.signal()))
    assert alert is not None
    text = json.loads(renderer.render(alert, channel()))["text"]
    assert renderer.errors == 1
    assert markdown_v2_errors(text) == []
