"""Telegram: sendMessage through python-telegram-bot, HTML or MarkdownV2 parse mode.

The body stored in the outbox is JSON: ``{"text": ..., "buttons": [[label, data], ...]}``;
buttons become an inline keyboard (Approve/Reject on an approval request).
"""

from __future__ import annotations

import html
import json
from datetime import timedelta

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, InvalidToken, RetryAfter, TelegramError
from telegram.helpers import escape_markdown

from alert_system.alerts import Alert
from alert_system.channels.base import DeliveryError, TemporaryDeliveryError
from alert_system.channels.markdown import markdown_v2_errors
from alert_system.settings import TelegramSection
from signal_schema.system import AlertChannel

TEXT_LIMIT = 4_096
APPROVE = "approve"
REJECT = "reject"


def retry_secs(exc: RetryAfter) -> float:
    """Return the wait a flood-control error asks for, in seconds."""
    value = exc.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def delivery_error(exc: TelegramError) -> DeliveryError:
    """Map a Bot API error onto retry (flood control, network, timeout) or give up."""
    if isinstance(exc, RetryAfter):
        return TemporaryDeliveryError("telegram flood control", retry_after=retry_secs(exc))
    if isinstance(exc, BadRequest | Forbidden | InvalidToken):
        return DeliveryError(f"telegram refused: {exc.message}", permanent=True)
    return TemporaryDeliveryError(f"telegram: {type(exc).__name__}")  # NetworkError, TimedOut


class TelegramChannel:
    """Send alerts to one chat."""

    name: AlertChannel = "telegram"
    idempotent = False  # sendMessage has no idempotency key

    def __init__(self, settings: TelegramSection, bot: Bot, chat_id: int) -> None:
        self._bot = bot
        self._chat_id = chat_id
        self._parse_mode = settings.parse_mode
        self.filter = settings
        self.target = f"chat:{chat_id}"
        self.template_format = "md2" if settings.parse_mode == "MarkdownV2" else "html"

    def package(self, alert: Alert, rendered: str) -> str:
        """Return ``{"text", "buttons"}``: Approve/Reject buttons on an approval request."""
        body: dict[str, object] = {"text": rendered.strip()}
        if alert.kind == "ApprovalRequested":
            approval_id = alert.context["approval_id"]
            body["buttons"] = [
                ["Approve", f"{APPROVE}:{approval_id}"],
                ["Reject", f"{REJECT}:{approval_id}"],
            ]
        return json.dumps(body)

    def fallback(self, alert: Alert, text: str) -> str:
        """Return a body holding the plain rendering, escaped for the parse mode."""
        if self._parse_mode == "MarkdownV2":
            safe = escape_markdown(text, version=2)
        else:
            safe = html.escape(text, quote=False)
        return self.package(alert, safe[: TEXT_LIMIT - 100])

    def check(self, body: str) -> None:
        """Raise ValueError unless `body` holds a non-empty text within Telegram's limit."""
        text = json.loads(body).get("text") or ""
        if not text.strip() or len(text) > TEXT_LIMIT:
            raise ValueError("text empty or longer than 4096 characters")
        if self._parse_mode == "MarkdownV2" and (errors := markdown_v2_errors(text)):
            raise ValueError(f"invalid MarkdownV2: {errors[0]}")

    async def send(self, body: str, alert_id: str) -> None:
        """Send the message; map Telegram's errors onto retry or give up."""
        payload = json.loads(body)
        markup = None
        if payload.get("buttons"):
            markup = InlineKeyboardMarkup(
                [
                    [
                        InlineKeyboardButton(label, callback_data=data)
                        for label, data in payload["buttons"]
                    ]
                ]
            )
        try:
            await self._bot.send_message(
                self._chat_id, payload["text"], parse_mode=self._parse_mode, reply_markup=markup
            )
        except TelegramError as exc:
            raise delivery_error(exc) from None

    async def aclose(self) -> None:
        """Nothing to close: the bot belongs to the control application."""
