"""Alert channels: one shape (`Channel`), one factory each, registered in `CHANNELS`.

To add a channel copy ``_template/``, fill it in, add a settings section and register the
factory here. A factory returns no channel (and logs why once) when its secret is unset.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import httpx
from telegram import Bot

from alert_system.channels.base import Channel, DeliveryError
from alert_system.channels.discord import DiscordChannel
from alert_system.channels.telegram import TelegramChannel
from alert_system.channels.webhook import WebhookChannel
from alert_system.settings import AlertSystemSettings

log = logging.getLogger(__name__)

ChannelFactory = Callable[[AlertSystemSettings, Bot | None, httpx.AsyncClient], list[Channel]]


def http_client(settings: AlertSystemSettings) -> httpx.AsyncClient:
    """Return the one HTTP client every HTTP channel shares (keep-alive, pool sized to them)."""
    in_flight = settings.discord.concurrency + settings.webhook.concurrency + 4
    limits = httpx.Limits(
        max_connections=in_flight, max_keepalive_connections=in_flight, keepalive_expiry=60.0
    )
    return httpx.AsyncClient(timeout=settings.delivery.timeout_secs, limits=limits)


def telegram(
    settings: AlertSystemSettings, bot: Bot | None, client: httpx.AsyncClient
) -> list[Channel]:
    """Return one channel per alert chat, or none without a bot token or chat ids."""
    if bot is None or not settings.telegram.chats():
        log.info("telegram alerts disabled: no bot token or no chat ids")
        return []
    return [TelegramChannel(settings.telegram, bot, chat) for chat in settings.telegram.chats()]


def discord(
    settings: AlertSystemSettings, bot: Bot | None, client: httpx.AsyncClient
) -> list[Channel]:
    """Return the Discord channel, or none without a webhook URL."""
    if not settings.discord.webhook_url.get_secret_value():
        log.info("discord alerts disabled: no webhook URL")
        return []
    return [DiscordChannel(settings.discord, client)]


def webhook(
    settings: AlertSystemSettings, bot: Bot | None, client: httpx.AsyncClient
) -> list[Channel]:
    """Return the webhook channel, or none without a URL (unsigned without an HMAC key)."""
    section = settings.webhook
    if not section.url.get_secret_value():
        log.info("webhook alerts disabled: no URL")
        return []
    if not section.hmac_key.get_secret_value():
        log.warning("webhook alerts are not signed: no HMAC key")
    return [WebhookChannel(section, client)]


CHANNELS: dict[str, ChannelFactory] = {
    "telegram": telegram,
    "discord": discord,
    "webhook": webhook,
}


def build_channels(
    settings: AlertSystemSettings, bot: Bot | None, client: httpx.AsyncClient
) -> list[Channel]:
    """Return every enabled channel; the HTTP ones share `client`."""
    return [channel for factory in CHANNELS.values() for channel in factory(settings, bot, client)]


__all__ = ["CHANNELS", "Channel", "DeliveryError", "build_channels", "http_client"]
