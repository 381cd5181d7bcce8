"""Operator commands and risk reports: kill switch, halts, drawdown breaches, ``/api/risk``."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from signal_schema import KillSwitchChanged, RiskLimitBreached
from signal_schema.risk import Channel

if TYPE_CHECKING:
    from exec_core.engine import ExecEngine

log = logging.getLogger(__name__)


async def set_kill_switch(
    engine: ExecEngine, engaged: bool, reason: str, by: str, channel: Channel
) -> KillSwitchChanged:
    """Engage or release the kill switch: persist, apply, then publish `KillSwitchChanged`."""
    now = engine.now()
    changed = KillSwitchChanged(
        ts_event=now, ts_init=now, engaged=engaged, reason=reason, changed_by=by, channel=channel
    )
    engine.store.save_kill_switch(changed)
    kill = engine.state.kill
    kill.engaged, kill.reason, kill.changed_by, kill.channel = engaged, reason, by, channel
    log.warning(
        "kill switch %s by %s via %s: %s",
        "engaged" if engaged else "released",
        by,
        channel,
        reason,
        extra={"event": "kill_switch", "engaged": engaged},
    )
    await engine.publish(changed)
    return changed


async def announce_breaches(engine: ExecEngine, breached: set[str]) -> None:
    """Publish `RiskLimitBreached` when a drawdown crosses its cap (once per crossing).

    `breached` holds the scopes over their cap; it is updated in place.
    """
    limits = engine.settings.risk
    for scope, value in engine.state.drawdowns().items():
        cap = limits.max_drawdown_pct if scope == "portfolio" else limits.max_model_drawdown_pct
        over = value >= cap
        if over and scope not in breached:
            now = engine.now()
            await engine.publish(
                RiskLimitBreached(
                    ts_event=now, ts_init=now, limit="max_drawdown_pct", scope=scope,
                    value=float(value), threshold=float(cap), halted=True,
                    message=f"{scope} drawdown {value:.2f}% >= {cap}%: new entries halted",
                )
            )  # fmt: skip
            breached.add(scope)
        elif not over:
            breached.discard(scope)


def risk_report(engine: ExecEngine, breached: set[str]) -> dict[str, Any]:
    """Return the body of ``GET /api/risk``: kill switch, halts, limits, dead-man, counts."""
    state, limits = engine.state, engine.settings.risk
    age = state.heartbeat_age(engine.now())
    kill = state.kill
    return {
        "kill_switch": {"engaged": kill.engaged, "reason": kill.reason,
                        "changed_by": kill.changed_by, "channel": kill.channel},
        "halts": sorted(breached),
        "drawdowns_pct": {k: format(v, ".4f") for k, v in state.drawdowns().items()},
        "dead_man": {"heartbeat_age_secs": age, "timeout_secs": limits.heartbeat_timeout_secs,
                     "tripped": age is None or age > limits.heartbeat_timeout_secs},
        "equity": format(state.book.equity(), "f"),
        "limits": limits.model_dump(mode="json"),
        "approval_mode": engine.settings.approval.mode,
        "counts": dict(engine.counts),
    }  # fmt: skip
