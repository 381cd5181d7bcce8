"""The daily summary: once per UTC day at a set time, what the service saw since the last one.

Counts come from the bus (signals, fills, refusals, breaches); equity and PnL from exec_core's
``GET /api/portfolio`` when it answers, else the last ``PortfolioSnapshot`` seen. The alert id
is ``DailySummary:<YYYY-MM-DD>``: the outbox keeps one row per day and channel, so a restart
never sends a day's summary twice.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from alert_system.alerts import DAILY_SUMMARY, Alert
from alert_system.control.api import ApiUnavailable, UpstreamApi
from alert_system.control.state import ControlState
from alert_system.delivery import Dispatcher
from signal_schema import Envelope, OrderFilled, RiskDecision, RiskLimitBreached, Signal

log = logging.getLogger(__name__)

SOURCE_TOPIC = "alert.daily_summary"


def utc_now() -> datetime:
    """Return the current UTC time."""
    return datetime.now(UTC)


class DailySummary:
    """Schedule and build the daily summary.

    Parameters
    ----------
    at
        UTC time of day it is sent.
    dispatcher
        Where the summary is offered (its outbox dedups by day).
    api
        exec_core's HTTP API, for the portfolio (None: bus snapshots only).
    state
        The last ``PortfolioSnapshot`` seen on the bus.
    clock
        Returns the current aware UTC time (injected by tests).
    """

    def __init__(
        self,
        at: time,
        dispatcher: Dispatcher,
        api: UpstreamApi | None,
        state: ControlState,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.at = at
        self._dispatcher = dispatcher
        self._api = api
        self._state = state
        self._clock = clock
        self.seen: Counter[str] = Counter()
        self.since = clock()

    def observe(self, envelope: Envelope) -> None:
        """Count `envelope` if the summary reports it."""
        message = envelope.message
        if isinstance(message, Signal):
            self.seen["signals"] += 1
            self.seen[f"signals_{message.direction}"] += 1
        elif isinstance(message, OrderFilled):
            self.seen["fills"] += 1
        elif isinstance(message, RiskDecision) and not message.accepted:
            self.seen["refused"] += 1
        elif isinstance(message, RiskLimitBreached):
            self.seen["breaches"] += 1

    def due_day(self) -> date | None:
        """Return the day whose summary is due now and not yet stored, else None."""
        now = self._clock()
        if now.timetz().replace(tzinfo=None) < self.at:
            return None
        day = now.date()
        if self._dispatcher.outbox.has(alert_id(day)):
            return None
        return day

    def seconds_until_next(self) -> float:
        """Return seconds until the next scheduled time (today's, else tomorrow's)."""
        now = self._clock()
        at = datetime.combine(now.date(), self.at, tzinfo=UTC)
        if at <= now:
            at += timedelta(days=1)
        return (at - now).total_seconds()

    async def tick(self) -> bool:
        """Offer the summary if it is due; return whether one was offered."""
        day = self.due_day()
        if day is None:
            return False
        context = {
            "day": day.isoformat(),
            "since": self.since.isoformat(timespec="seconds"),
            "signals": self.seen["signals"],
            "signals_up": self.seen["signals_up"],
            "signals_down": self.seen["signals_down"],
            "fills": self.seen["fills"],
            "refused": self.seen["refused"],
            "breaches": self.seen["breaches"],
            "delivered": self._dispatcher.delivered,
            "failed": self._dispatcher.failed,
            **await self._portfolio(),
        }
        alert = Alert(alert_id(day), DAILY_SUMMARY, SOURCE_TOPIC, context)
        self._dispatcher.offer(alert)
        log.info("daily summary for %s offered", day, extra={"event": "daily_summary"})
        self.seen.clear()
        self.since = self._clock()
        return True

    async def _portfolio(self) -> dict[str, Any]:
        if self._api is not None:
            try:
                body = await self._api.portfolio()
                return {"portfolio": body.get("snapshot"), "pnl": body.get("pnl")}
            except (ApiUnavailable, AttributeError, ValueError) as exc:
                log.info("daily summary without exec_core's portfolio: %s", exc)
        snap = self._state.portfolio
        return {"portfolio": snap.model_dump(mode="json") if snap else None, "pnl": None}

    async def run(self) -> None:
        """Offer each day's summary at its time, until cancelled."""
        while True:
            await self.tick()
            await asyncio.sleep(self.seconds_until_next())


def alert_id(day: date) -> str:
    """Return the dedup key of `day`'s summary."""
    return f"{DAILY_SUMMARY}:{day.isoformat()}"
