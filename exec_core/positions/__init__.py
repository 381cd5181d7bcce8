"""Positions and exits: spot semantics, exit rules and rounding to venue filters.

Public API
----------
- `PositionPolicy(settings).on_signal(...)` -> `OrderIntent | NoTrade`: up opens/adds a long,
  down closes it; shorts only with ``allow_short`` on a shortable market; pairlist enforced.
- `PositionPolicy.exit_intent(...)`: the order that closes a position.
- `ExitRules(settings).on_bar(TrackedPosition, Bar)` -> (updated position, `ExitDecision|None`):
  stop-loss, take-profit, trailing stop and horizon expiry.
- `MarketFilters` (from a ccxt market, or `refused` with a reason) and `round_order(...)` ->
  `Rounded` (tick, step, minimum quantity and notional; a refused market's reason).
- `PositionsSection`: settings (``EXEC_CORE__POSITIONS__*``).
"""

from exec_core.positions.exits import ExitDecision, ExitReason, ExitRules, TrackedPosition
from exec_core.positions.filters import MarketFilters, Rounded, round_order
from exec_core.positions.settings import PositionsSection
from exec_core.positions.spot import NoTrade, OrderIntent, PositionPolicy

__all__ = [
    "ExitDecision",
    "ExitReason",
    "ExitRules",
    "MarketFilters",
    "NoTrade",
    "OrderIntent",
    "PositionPolicy",
    "PositionsSection",
    "Rounded",
    "TrackedPosition",
    "round_order",
]
