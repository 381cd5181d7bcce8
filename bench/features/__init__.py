"""`ntx bench features`: feature-frame latency over many live streams and batch throughput."""

from bench.features.run import run_features_bench

__all__ = ["run_features_bench"]
