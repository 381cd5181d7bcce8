"""What the bot knows from the bus: the kill switch, recent signals, the last portfolio."""

from __future__ import annotations

from collections import OrderedDict

from signal_schema import Envelope, KillSwitchChanged, PortfolioSnapshot, Signal

RECENT_SIGNALS = 500


class ControlState:
    """Follow the bus messages the commands answer from."""

    def __init__(self) -> None:
        self.kill_switch: KillSwitchChanged | None = None
        self.portfolio: PortfolioSnapshot | None = None
        self.signals: OrderedDict[str, Signal] = OrderedDict()

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
