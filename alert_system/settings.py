"""alert_system's settings, read from ``ALERT_SYSTEM__<SECTION>__<KEY>`` plus NTX_* exceptions.

A channel whose secret (bot token, webhook URL) is empty is disabled; lists are written
comma-separated (``ALERT_SYSTEM__TELEGRAM__CHAT_IDS=123,-1004``).
"""

from __future__ import annotations

from datetime import time
from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import SettingsConfigDict

from service_runtime import BusSection, BusUrl, HttpSection, ServiceSettings, UpstreamSection
from service_runtime.sections import Section


def split_csv(value: str) -> tuple[str, ...]:
    """Return the non-empty, stripped items of a comma-separated string."""
    return tuple(item.strip() for item in value.split(",") if item.strip())


class AlertSystemUpstream(UpstreamSection):
    """The buses alert_system subscribes to: model_engine and exec_core."""

    model_engine_url: BusUrl = "ws://127.0.0.1:8702/ws"
    exec_core_url: BusUrl = "ws://127.0.0.1:8703/ws"


class ChannelFilter(Section):
    """Which alerts one channel takes, and how fast it may send them."""

    min_confidence: float = Field(default=0.0, ge=0.0, le=1.0)
    symbols: str = ""
    message_types: str = ""
    rate_per_s: float = Field(default=20.0, gt=0)
    concurrency: int = Field(default=1, ge=1, le=64)

    def symbol_set(self) -> frozenset[str]:
        """Return the allowed symbols (empty: all)."""
        return frozenset(split_csv(self.symbols))

    def type_set(self) -> frozenset[str]:
        """Return the allowed message types (empty: all)."""
        return frozenset(split_csv(self.message_types))


class TelegramSection(ChannelFilter):
    """Telegram: the bot's token, the chats alerted, the chats allowed to command."""

    bot_token: SecretStr = SecretStr("")
    chat_ids: str = ""
    admin_chat_ids: str = ""
    base_url: str = "https://api.telegram.org/bot"
    parse_mode: str = Field(default="HTML", pattern=r"^(HTML|MarkdownV2)$")
    rate_per_s: float = Field(default=1.0, gt=0)

    def chats(self) -> tuple[int, ...]:
        """Return the chat ids alerts go to."""
        return tuple(int(item) for item in split_csv(self.chat_ids))

    def allowed_chats(self) -> frozenset[int]:
        """Return the chat ids allowed to command: admin ids, else the alert chats."""
        admins = tuple(int(item) for item in split_csv(self.admin_chat_ids))
        return frozenset(admins or self.chats())


class DiscordSection(ChannelFilter):
    """Discord: one webhook URL (a secret: it carries the webhook's token)."""

    webhook_url: SecretStr = SecretStr("")
    rate_per_s: float = Field(default=5.0, gt=0)


class WebhookSection(ChannelFilter):
    """Generic webhook: JSON body signed with HMAC-SHA256 over ``timestamp.body``."""

    url: SecretStr = SecretStr("")
    hmac_key: SecretStr = SecretStr("")
    rate_per_s: float = Field(default=200.0, gt=0)
    concurrency: int = Field(default=8, ge=1, le=64)


class DeliverySection(Section):
    """Outbox, retries, templates and the HTTP APIs that control commands read."""

    outbox_path: str = ""
    templates_dir: str = ""
    timeout_secs: float = Field(default=10.0, gt=0)
    max_attempts: int = Field(default=8, ge=1)
    backoff_initial_secs: float = Field(default=0.5, gt=0)
    backoff_max_secs: float = Field(default=60.0, gt=0)
    exec_core_http_url: str = "http://127.0.0.1:8713"
    model_engine_http_url: str = "http://127.0.0.1:8712"


class SummarySection(Section):
    """The daily summary: on or off, and the UTC time of day it is sent."""

    enabled: bool = True
    at_utc: str = Field(default="23:55", pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$")

    def at(self) -> time:
        """Return `at_utc` as a time of day."""
        hours, minutes = self.at_utc.split(":")
        return time(int(hours), int(minutes))


class AlertSystemSettings(ServiceSettings):
    """Everything alert_system reads from its environment.

    ``ALERT_SYSTEM__BUS__PORT`` and friends set the sections; NTX_HOME and NTX_BUS_TOKEN
    are the documented exceptions to the prefix (see ``.env.example``).
    """

    model_config = SettingsConfigDict(env_prefix="ALERT_SYSTEM__")

    bus: BusSection = BusSection(port=8704)
    http: HttpSection = HttpSection(port=8714)
    upstream: AlertSystemUpstream = AlertSystemUpstream()
    telegram: TelegramSection = TelegramSection()
    discord: DiscordSection = DiscordSection()
    webhook: WebhookSection = WebhookSection()
    delivery: DeliverySection = DeliverySection()
    summary: SummarySection = SummarySection()

    def outbox_file(self) -> Path:
        """Return the outbox database (default ``NTX_HOME/alerts/outbox.sqlite3``)."""
        if self.delivery.outbox_path:
            return Path(self.delivery.outbox_path).expanduser()
        return self.home / "alerts" / "outbox.sqlite3"

    def log_dir(self) -> Path:
        """Return the folder of the daily delivery logs (``NTX_HOME/logs/alerts``)."""
        return self.home / "logs" / "alerts"

    def secrets(self) -> tuple[SecretStr, ...]:
        """Return every secret, for log redaction."""
        return (
            self.bus_token,
            self.telegram.bot_token,
            self.discord.webhook_url,
            self.webhook.url,
            self.webhook.hmac_key,
        )
