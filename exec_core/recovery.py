"""After a restart: send once, or expire, the accepted decisions a crash left without an order.

`ExecEngine` commits each decision with its route before routing it; a crash after that
commit but before `Trader.submit` records the order leaves an accepted decision the ledger
has no order for. On start, each such decision of auto mode that is still fresh on the
decision clock (``validation.max_signal_age_secs`` from its signal's time) is sent as it
would have been, as soon as the broker can price it (the paper broker knows no price before
a bar of the symbol); its client order id (``ntx-<signal_id>``) keeps it to one order
however often this runs. An older one, or an entry the kill switch or a broker halt now
forbids, is marked expired in the store, logged (``decision_expired``) and announced with
`RiskLimitBreached` for a human to look at. In manual mode the same holds for decisions a
human approved before the crash; pending approvals stay pending (a decision approved after a
restart reads its route from the store). Decisions stored before routes were (older
databases) have none and are skipped.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from exec_core.decision import client_order_id
from exec_core.persistence import Unsent
from signal_schema import RiskLimitBreached

if TYPE_CHECKING:
    from exec_core.engine import ExecEngine

log = logging.getLogger(__name__)


async def recover_unsent(engine: ExecEngine, priced: Callable[[str], bool]) -> bool:
    """Send or expire every accepted auto (or approved manual) decision without an order.

    A fresh one whose symbol is not `priced` yet waits; returns whether any does (call
    again after the next bar).
    """
    now = engine.now()
    waiting = False
    store = engine.store
    routes = store.unexpired_routes("auto") + store.unexpired_routes("manual", approved_only=True)
    for unsent in routes:
        route = unsent.route
        if engine.ledger.order(client_order_id(route.signal_id)) is not None:
            continue
        reason = _refusal(engine, unsent, now)
        if reason is not None:
            await _expire(engine, unsent, now, reason)
            continue
        if not priced(unsent.symbol):
            waiting = True
            continue
        log.warning(
            "accepted decision on %s had no order after the restart: sending it now",
            route.signal_id,
            extra={"event": "decision_recovered", "signal_id": route.signal_id},
        )
        await engine.execute(route.signal_id, unsent.symbol, unsent.side, unsent.quantity)
    return waiting


def _age_secs(unsent: Unsent, now: datetime) -> float:
    return (now - unsent.route.signal_at).total_seconds()


def _refusal(engine: ExecEngine, unsent: Unsent, now: datetime) -> str | None:
    """Return why `unsent` may not be sent now, None when it may."""
    limit = engine.settings.validation.max_signal_age_secs
    age = _age_secs(unsent, now)
    if age > limit:
        return f"signal is {age:.0f}s old (limit {limit:.0f}s)"
    if unsent.side == "buy" and engine.state.kill.engaged:
        return f"kill switch engaged: {engine.state.kill.reason}"
    if unsent.side == "buy" and engine.trader.halted is not None:
        return f"entries halted: {engine.trader.halted}"
    return None


async def _expire(engine: ExecEngine, unsent: Unsent, now: datetime, reason: str) -> None:
    route = unsent.route
    engine.store.expire_route(route.signal_id, now, reason)
    what = f"{unsent.side} {unsent.quantity} {unsent.symbol} (signal {route.signal_id})"
    log.error(
        "accepted %s was never sent before the restart and is not sent now: %s",
        what,
        reason,
        extra={"event": "decision_expired", "signal_id": route.signal_id, "reason": reason},
    )
    await engine.publish(
        RiskLimitBreached(
            ts_event=now, ts_init=now, limit="unsent_decision", scope=unsent.symbol,
            value=_age_secs(unsent, now),
            threshold=engine.settings.validation.max_signal_age_secs, halted=False,
            message=f"accepted {what} never reached the venue (restart); expired: {reason}"[:2000],
        )
    )  # fmt: skip
