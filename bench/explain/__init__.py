"""`ntx bench explain`: explanation latency, additivity and fidelity against the reference."""

from neurotradex.bench.explain.run import ensure_artifact, ntx_home, run_explain_bench

__all__ = ["ensure_artifact", "ntx_home", "run_explain_bench"]
