"""NeuroTradeX: the `ntx` command and the gateway."""

__version__ = "0.1.0"
