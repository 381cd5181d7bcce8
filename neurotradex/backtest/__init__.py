"""`ntx backtest`: the real services composed in-process on a simulated clock.

``run.run_backtest`` drives data_core (store, `MarketPipeline`, `FeatureStream`), model_engine
(`InferenceEngine`: batched ONNX with explanations) and exec_core (`ExecEngine`: validation,
risk gate, approvals, `PaperBroker`, `Ledger`) in lockstep per bar close; ``report`` turns what
they published into a trade list, an equity curve, a plot and metrics.
"""

from neurotradex.backtest.config import BacktestConfig, BacktestError
from neurotradex.backtest.run import BacktestResult, run_backtest

__all__ = ["BacktestConfig", "BacktestError", "BacktestResult", "run_backtest"]
