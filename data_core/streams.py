"""The market streams section of data_core's settings (``DATA_CORE__STREAMS__*``)."""

from __future__ import annotations

from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

DEFAULT_SYMBOLS = ("BTC/USDT", "ETH/USDT", "SOL/USDT", "XRP/USDT", "ADA/USDT", "LTC/USDT")


class StreamsSection(BaseModel):
    """Which markets data_core follows, and from where.

    Attributes
    ----------
    mode
        ``live`` (the venue through ccxt), ``replay`` (recorded files from NTX_DATA_DIR on a
        simulated clock), or ``auto``: replay when NTX_DATA_DIR is set, else live.
    venue
        A registered venue (binance, bybit, okx) or any ccxt exchange id.
    symbols, timeframe
        The series, e.g. ``["BTC/USDT", "ETH/USDT"]`` (JSON list in the environment) and ``1h``.
    rest_url, ws_url
        Replace the venue's public REST / websocket hosts (testnets, proxies, regional hosts).
    history_bars
        Live: candles backfilled before watching (at least what the features need to warm up).
    replay_speed
        ``realtime``, ``xN`` (e.g. ``x1800``: one hour bar every two seconds) or ``max``.
    replay_recent_bars
        Replay the most recent this many bars (504 = three weeks of 1h).
    replay_start
        Replay from this UTC time instead (ISO-8601), e.g. for a backtest window. Either way,
        a restarted replay resumes after the last bar it published (`data_core.replay.position`).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    mode: Literal["auto", "live", "replay"] = "auto"
    venue: str = Field(default="binance", min_length=1)
    symbols: tuple[str, ...] = Field(default=DEFAULT_SYMBOLS, min_length=1)
    timeframe: str = "1h"
    rest_url: str | None = None
    ws_url: str | None = None
    history_bars: int = Field(default=1_000, ge=1)
    replay_speed: str = "x1800"
    replay_recent_bars: int = Field(default=504, ge=1)
    replay_start: AwareDatetime | None = None
