"""The equity curve and its drawdown as a PNG (matplotlib, Agg backend: no display needed)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path


def plot_equity(path: Path, curve: list[tuple[int, Decimal]], *, title: str) -> None:
    """Draw equity over time above its drawdown from the running peak."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    times = [datetime.fromtimestamp(ts / 1000, UTC) for ts, _ in curve]
    equity = [float(v) for _, v in curve]
    peak, drawdown = float("-inf"), []
    for value in equity:
        peak = max(peak, value)
        drawdown.append((value / peak - 1) * 100 if peak > 0 else 0.0)
    fig, (top, bottom) = plt.subplots(
        2, 1, figsize=(10, 6), sharex=True, gridspec_kw={"height_ratios": [3, 1]}
    )
    top.plot(times, equity, color="tab:blue", linewidth=1.0)
    top.set_ylabel("equity")
    top.set_title(f"backtest {title}")
    top.grid(alpha=0.3)
    bottom.fill_between(times, drawdown, 0, color="tab:red", alpha=0.4)
    bottom.set_ylabel("drawdown %")
    bottom.grid(alpha=0.3)
    fig.autofmt_xdate()
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
