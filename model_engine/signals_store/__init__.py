"""Signals and their explanations, persisted in SQLite and queryable by id, symbol and time."""

from model_engine.signals_store.store import SignalStore, StoredSignal

__all__ = ["SignalStore", "StoredSignal"]
