"""Order commands and their lifecycle events (exec_core and its brokers)."""

from __future__ import annotations

from typing import ClassVar, Literal, Self

from pydantic import Field, model_validator

from signal_schema import topics
from signal_schema.base import Message
from signal_schema.primitives import (
    DecimalStr,
    Identifier,
    NonNegativeDecimal,
    PositiveDecimal,
    ShortText,
    Side,
    Symbol,
    Venue,
)

OrderType = Literal["market", "limit"]
TimeInForce = Literal["GTC", "IOC", "FOK"]
Liquidity = Literal["maker", "taker"]


class SubmitOrder(Message):
    """Command: send an order to a broker (paper or live)."""

    TOPIC: ClassVar[str] = topics.ORDER_SUBMIT
    type: Literal["SubmitOrder"] = "SubmitOrder"
    client_order_id: Identifier
    venue: Venue
    symbol: Symbol
    side: Side
    order_type: OrderType
    quantity: PositiveDecimal
    limit_price: PositiveDecimal | None = None
    time_in_force: TimeInForce = "GTC"
    signal_id: Identifier | None = None

    @model_validator(mode="after")
    def _check_price(self) -> Self:
        if (self.order_type == "limit") != (self.limit_price is not None):
            raise ValueError("a limit order needs limit_price; a market order has none")
        return self


class CancelOrder(Message):
    """Command: cancel an open order."""

    TOPIC: ClassVar[str] = topics.ORDER_CANCEL
    type: Literal["CancelOrder"] = "CancelOrder"
    client_order_id: Identifier
    venue: Venue
    symbol: Symbol
    reason: ShortText


class OrderAccepted(Message):
    """The venue took the order."""

    TOPIC: ClassVar[str] = topics.ORDER_ACCEPTED
    type: Literal["OrderAccepted"] = "OrderAccepted"
    client_order_id: Identifier
    venue_order_id: Identifier
    venue: Venue
    symbol: Symbol


class OrderRejected(Message):
    """The broker or venue refused the order."""

    TOPIC: ClassVar[str] = topics.ORDER_REJECTED
    type: Literal["OrderRejected"] = "OrderRejected"
    client_order_id: Identifier
    venue: Venue
    symbol: Symbol
    reason: ShortText


class OrderCanceled(Message):
    """The order is closed without (further) fills."""

    TOPIC: ClassVar[str] = topics.ORDER_CANCELED
    type: Literal["OrderCanceled"] = "OrderCanceled"
    client_order_id: Identifier
    venue_order_id: Identifier | None
    venue: Venue
    symbol: Symbol
    filled_quantity: NonNegativeDecimal
    reason: ShortText


class OrderFilled(Message):
    """One fill; the order is partially filled while `leaves_quantity` > 0."""

    TOPIC: ClassVar[str] = topics.ORDER_FILLED
    type: Literal["OrderFilled"] = "OrderFilled"
    client_order_id: Identifier
    venue_order_id: Identifier
    trade_id: Identifier
    venue: Venue
    symbol: Symbol
    side: Side
    last_quantity: PositiveDecimal
    last_price: PositiveDecimal
    cumulative_quantity: PositiveDecimal
    leaves_quantity: NonNegativeDecimal
    fee: NonNegativeDecimal
    fee_currency: str = Field(min_length=1, max_length=20)
    liquidity: Liquidity
    slippage_bps: DecimalStr | None = None

    @model_validator(mode="after")
    def _check_quantities(self) -> Self:
        if self.cumulative_quantity < self.last_quantity:
            raise ValueError("cumulative_quantity must include last_quantity")
        return self
