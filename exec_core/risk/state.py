"""Everything the risk gate remembers between signals: book, peaks, halts, clocks."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Protocol

from exec_core.risk.atr import AverageTrueRange
from exec_core.risk.context import RiskContext, RiskSection, drawdown_pct
from exec_core.settings import BrokerKind

_MAX_ORDER_TIMES = 10_000
PORTFOLIO = "portfolio"


class Book(Protocol):
    """The account as the gate sees it (``exec_core.portfolio.LedgerBook``: the ledger)."""

    marks: dict[str, Decimal]

    def mark(self, symbol: str, price: Decimal) -> None:
        """Record `symbol`'s latest close."""
        ...

    def fill(
        self, symbol: str, side: str, quantity: Decimal, price: Decimal, fee: Decimal, model: str
    ) -> Decimal:
        """Account for one fill already in the books; return the realized P&L it locked in."""
        ...

    def exposure(self, symbol: str) -> Decimal:
        """Return `symbol`'s notional at its latest mark."""
        ...

    def gross_exposure(self) -> Decimal:
        """Return the notional of every holding at its mark."""
        ...

    def equity(self) -> Decimal:
        """Return cash plus holdings at their marks."""
        ...

    def model_pnl(self, model: str) -> Decimal:
        """Return `model`'s realized plus unrealized P&L."""
        ...

    def owner(self, symbol: str) -> str:
        """Return the model that opened the holding of `symbol` (``unknown`` if none)."""
        ...

    def models(self) -> set[str]:
        """Return the models that own an open holding."""
        ...

    def quantity(self, symbol: str) -> Decimal:
        """Return the quantity held of `symbol`."""
        ...


@dataclass(slots=True)
class KillSwitch:
    """The kill switch's state and who set it last."""

    engaged: bool = False
    reason: str = ""
    changed_by: str = "system"
    channel: str = "system"


@dataclass(slots=True)
class RiskState:
    """The gate's memory; `context` turns it into one rule input.

    The equity peaks must outlive the process (a restart must not forgive a drawdown in
    progress): every rise is noted in `risen` until its owner persists it (`take_risen`),
    and a new process starts from the persisted peaks (`restore_peaks`).

    Parameters
    ----------
    limits
        The risk limits (model capital for per-model equity curves).
    book
        Cash, holdings and marks.
    """

    limits: RiskSection
    book: Book
    kill: KillSwitch = field(default_factory=KillSwitch)
    peak_equity: Decimal = Decimal(0)
    model_peaks: dict[str, Decimal] = field(default_factory=dict)
    last_loss: dict[str, datetime] = field(default_factory=dict)
    order_times: deque[datetime] = field(default_factory=lambda: deque(maxlen=_MAX_ORDER_TIMES))
    atrs: dict[str, AverageTrueRange] = field(default_factory=dict)
    risen: dict[str, Decimal] = field(default_factory=dict)
    """Peaks raised since the last `take_risen`, by scope (``portfolio``, ``model:<name>``)."""
    heartbeat_at: datetime | None = None
    heartbeat_probe: Callable[[], float | None] | None = None
    """When set, the seconds since model_engine's last heartbeat (wins over heartbeat_at)."""

    def __post_init__(self) -> None:
        self.observe()

    def on_bar(self, symbol: str, high: Decimal, low: Decimal, close: Decimal) -> None:
        """Mark `symbol` at `close`, update its ATR and the equity peaks."""
        self.book.mark(symbol, close)
        self.atrs.setdefault(symbol, AverageTrueRange()).update(high, low, close)
        self.observe()

    def on_fill(
        self, when: datetime, symbol: str, side: str, quantity: Decimal, price: Decimal,
        fee: Decimal, model: str,
    ) -> None:  # fmt: skip
        """Apply a fill; a losing exit starts the symbol's cooldown."""
        realized = self.book.fill(symbol, side, quantity, price, fee, model)
        if realized < 0:
            self.last_loss[symbol] = when
        self.observe()

    def record_order(self, when: datetime) -> None:
        """Count one order for the rate limit."""
        self.order_times.append(when)

    def observe(self) -> None:
        """Raise the portfolio and per-model equity peaks to their current values."""
        equity = self.book.equity()
        if equity > self.peak_equity:
            self.peak_equity = self.risen[PORTFOLIO] = equity
        for model in self.book.models() | set(self.model_peaks):
            equity = self.model_equity(model)
            peak = self.model_peaks.get(model)
            if peak is None or equity > peak:
                self.model_peaks[model] = self.risen[f"model:{model}"] = equity

    def restore_peaks(self, peaks: Mapping[str, Decimal]) -> None:
        """Take the persisted peaks by scope (as `risen` names them) where they are higher."""
        for scope, peak in peaks.items():
            if scope == PORTFOLIO:
                self.peak_equity = max(self.peak_equity, peak)
            elif scope.startswith("model:"):
                model = scope.removeprefix("model:")
                self.model_peaks[model] = max(self.model_peaks.get(model, peak), peak)
            if self.risen.get(scope, peak) <= peak:
                self.risen.pop(scope, None)

    def take_risen(self) -> dict[str, Decimal]:
        """Return the peaks raised since the last call, and forget them."""
        risen, self.risen = self.risen, {}
        return risen

    def model_equity(self, model: str) -> Decimal:
        """Return `model`'s capital plus its P&L."""
        return self.limits.model_capital + self.book.model_pnl(model)

    def drawdowns(self) -> dict[str, Decimal]:
        """Return the portfolio's and each model's drawdown in percent."""
        out = {PORTFOLIO: drawdown_pct(self.peak_equity, self.book.equity())}
        for model, peak in self.model_peaks.items():
            out[f"model:{model}"] = drawdown_pct(peak, self.model_equity(model))
        return out

    def heartbeat_age(self, now: datetime) -> float | None:
        """Return seconds since model_engine's last heartbeat (None if never)."""
        if self.heartbeat_probe is not None:
            return self.heartbeat_probe()
        return None if self.heartbeat_at is None else (now - self.heartbeat_at).total_seconds()

    def context(
        self, now: datetime, *, entry: bool, symbol: str, model: str, confidence: float,
        price: Decimal, broker: BrokerKind, live_eligible: bool,
    ) -> RiskContext:  # fmt: skip
        """Return the rules' input for one signal (`live_eligible`: its model's gate verdict)."""
        atr = self.atrs.get(symbol)
        window = timedelta(seconds=self.limits.order_window_secs)
        model_equity = self.model_equity(model)
        times = self.order_times
        while times and now - times[0] >= window:  # times are appended in order: drop the old
            times.popleft()
        return RiskContext(
            now=now, entry=entry, symbol=symbol, model=model, confidence=confidence,
            price=price, equity=self.book.equity(), peak_equity=self.peak_equity,
            model_equity=model_equity,
            model_peak_equity=max(self.model_peaks.get(model, model_equity), model_equity),
            symbol_exposure=self.book.exposure(symbol),
            total_exposure=self.book.gross_exposure(),
            position_quantity=self.book.quantity(symbol), kill_switch=self.kill.engaged,
            heartbeat_age_secs=self.heartbeat_age(now),
            atr=None if atr is None else atr.value, broker=broker, live_eligible=live_eligible,
            last_loss_at=self.last_loss.get(symbol),
            order_times=tuple(times),
        )  # fmt: skip
