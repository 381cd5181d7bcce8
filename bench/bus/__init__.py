"""`ntx bench bus`: broadcast throughput and slow-client isolation of `signal_bus`."""

from bench.bus.run import run_bus_bench
from bench.bus.stats import BusBenchResult, RunStats

__all__ = ["BusBenchResult", "RunStats", "run_bus_bench"]
