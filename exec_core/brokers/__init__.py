"""Brokers: the `Broker` protocol, the paper broker and the live (ccxt) broker.

Public API
----------
- `Broker` (protocol): ``submit``, ``cancel``, ``on_bar``, ``reconcile`` -> `BrokerEvent`s;
  ``filters(symbol)`` -> the venue's `MarketFilters` (None on paper).
- `PaperBroker(PaperSection)`: next-bar/ticker fills, maker/taker fees, fixed and
  volume-aware slippage, volume cap (partial fills), virtual wallet; ``on_ticker`` too.
- `CcxtBroker(CcxtTradingClient, LiveSection, venue=, armed=)`: client order ids, retries only
  on temporary errors (tenacity; looking the order up before resending; the venue errors are
  `venue_adapter`'s), ``poll``, reconciliation that
  refuses trading on mismatch and loads the venue's markets (orders off their filters are
  refused before submission); `build_live_broker` builds it from settings and NTX_HOME.
- `open_orders_of(ledger)`: the ledger's open orders for ``reconcile``.
- Arming: `arm`, `disarm`, `is_armed`, `confirmation_phrase` (``ntx live arm``).
- `PaperSection`, `LiveSection`: settings (``EXEC_CORE__PAPER__*``, ``EXEC_CORE__LIVE__*``).
"""

from exec_core.brokers.arming import arm, confirmation_phrase, disarm, is_armed
from exec_core.brokers.base import Broker, BrokerEvent, OpenOrder, ReconcileReport
from exec_core.brokers.ccxt_client import CcxtTradingClient
from exec_core.brokers.live import CcxtBroker
from exec_core.brokers.paper import PaperBroker
from exec_core.brokers.restore import open_orders_of
from exec_core.brokers.settings import LiveSection, PaperSection

__all__ = [
    "Broker",
    "BrokerEvent",
    "CcxtBroker",
    "CcxtTradingClient",
    "LiveSection",
    "OpenOrder",
    "PaperBroker",
    "PaperSection",
    "ReconcileReport",
    "arm",
    "confirmation_phrase",
    "disarm",
    "is_armed",
    "open_orders_of",
]
