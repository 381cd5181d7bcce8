"""`ntx bench store`: SQLite (the shipped candle store) against DuckDB on the real files."""

from bench.candle_store.run import run_candle_store_bench

__all__ = ["run_candle_store_bench"]
