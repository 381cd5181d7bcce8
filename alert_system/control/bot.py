"""Build the python-telegram-bot Application and run its polling loop."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

from telegram.error import InvalidToken, TelegramError
from telegram.ext import Application, ApplicationBuilder

from alert_system.settings import TelegramSection

log = logging.getLogger(__name__)

App = Application[Any, Any, Any, Any, Any, Any]


def build_application(settings: TelegramSection) -> App | None:
    """Return the bot's Application, or None (logged once) without a bot token."""
    token = settings.bot_token.get_secret_value()
    if not token:
        log.info("telegram disabled: no bot token")
        return None
    base = settings.base_url.rstrip("/")
    file_base = base.removesuffix("/bot") + "/file/bot"
    return ApplicationBuilder().token(token).base_url(base).base_file_url(file_base).build()


async def poll(app: App, *, retry_secs: float = 5.0) -> None:
    """Receive updates until cancelled; retry startup while Telegram is unreachable."""
    while True:
        try:
            await app.initialize()
            break
        except InvalidToken:
            log.error("telegram refused the bot token: control disabled")
            return
        except TelegramError as exc:
            log.warning("telegram unreachable (%s), retrying", type(exc).__name__)
            await asyncio.sleep(retry_secs)
    updater = app.updater
    if updater is None:
        return
    await updater.start_polling(poll_interval=0.0, timeout=10, drop_pending_updates=False)
    await app.start()
    log.info("telegram control polling", extra={"event": "telegram_polling"})
    try:
        await asyncio.Event().wait()
    finally:
        with contextlib.suppress(Exception):
            await updater.stop()
            await app.stop()
            await app.shutdown()
