"""What the bot knows from the bus: the kill switch, recent signals, the last portfolio, and
exec_core's approval decisions (which answer a pressed button)."""

from __future__ import annotations

import asyncio
from collections import OrderedDict, defaultdict

from signal_schema import ApprovalDecided, Envelope, KillSwitchChanged, PortfolioSnapshot, Signal

RECENT_SIGNALS = 500


class ControlState:
    """Follow the bus messages the commands answer from."""

    def __init__(self) -> None:
        self.kill_switch: KillSwitchChanged | None = None
        self.portfolio: PortfolioSnapshot | None = None
        self.signals: OrderedDict[str, Signal] = OrderedDict()
        self._waiting: defaultdict[str, list[asyncio.Future[ApprovalDecided]]] = defaultdict(list)

    def expect_decision(self, approval_id: str) -> asyncio.Future[ApprovalDecided]:
        """Return a future set by exec_core's next `ApprovalDecided` for `approval_id`.

        Call `forget_decision` with it once done waiting.
        """
        future: asyncio.Future[ApprovalDecided] = asyncio.get_running_loop().create_future()
        self._waiting[approval_id].append(future)
        return future

    def forget_decision(self, approval_id: str, future: asyncio.Future[ApprovalDecided]) -> None:
        """Stop waiting with `future` (from `expect_decision`)."""
        waiting = self._waiting.get(approval_id, [])
        if future in waiting:
            waiting.remove(future)
        if not waiting:
            self._waiting.pop(approval_id, None)

    def observe(self, envelope: Envelope) -> None:
        """Note `envelope` if the commands care about it."""
        message = envelope.message
        if isinstance(message, Signal):
            self.signals[message.signal_id] = message
            self.signals.move_to_end(message.signal_id)
            while len(self.signals) > RECENT_SIGNALS:
                self.signals.popitem(last=False)
        elif isinstance(message, KillSwitchChanged):
            self.kill_switch = message
        elif isinstance(message, PortfolioSnapshot):
            self.portfolio = message
        elif isinstance(message, ApprovalDecided):
            for future in self._waiting.pop(message.approval_id, []):
                if not future.done():
                    future.set_result(message)
