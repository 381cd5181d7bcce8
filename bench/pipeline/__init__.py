"""`ntx bench pipeline`: FeatureFrame in -> explained Signal out, all symbols on one bar."""

from bench.pipeline.run import run_pipeline_bench

__all__ = ["run_pipeline_bench"]
