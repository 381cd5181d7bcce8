"""`ntx bench explain`: explanation latency, additivity and fidelity against the reference."""

from bench.explain.run import run_explain_bench

__all__ = ["run_explain_bench"]
