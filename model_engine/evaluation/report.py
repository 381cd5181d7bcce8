"""Markdown report of a walk-forward evaluation (one table per symbol)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from model_engine.evaluation.config import ProtocolConfig

COLUMNS = (
    ("accuracy", "acc", 100.0),
    ("balanced_accuracy", "bal. acc", 100.0),
    ("top_decile_accuracy", "top-10 % acc", 100.0),
    ("rank_ic", "rank IC", 1.0),
    ("net_return_pct", "net return %", 1.0),
    ("sharpe", "Sharpe", 1.0),
    ("max_drawdown_pct", "max DD %", 1.0),
    ("exposure", "exposure", 100.0),
    ("trades_per_year", "trades/yr", 1.0),
)


def iso(ms: int) -> str:
    """Return the UTC ISO time of epoch milliseconds."""
    return datetime.fromtimestamp(ms / 1000, tz=UTC).isoformat(timespec="minutes")


def _cell(metrics: Mapping[str, Any], key: str, scale: float) -> str:
    value = metrics.get(key)
    if value is None:
        return "n/a"
    text = f"{value * scale:.4f}" if key == "rank_ic" else f"{value * scale:.2f}"
    spread = (metrics.get("spread") or {}).get(key)
    return (
        f"{text} ± {spread * scale:.4f}"
        if spread is not None and key == "rank_ic"
        else (f"{text} ± {spread * scale:.2f}" if spread is not None else text)
    )


def table(models: Mapping[str, Mapping[str, Any]]) -> list[str]:
    """Return the Markdown table rows of one symbol's models."""
    lines = [
        "| model | " + " | ".join(label for _, label, _ in COLUMNS) + " |",
        "|---" * (len(COLUMNS) + 1) + "|",
    ]
    for name, metrics in models.items():
        cells = [_cell(metrics, key, scale) for key, _, scale in COLUMNS]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return lines


def year_table(models: Mapping[str, Mapping[str, Any]]) -> list[str]:
    """Return the Markdown rows of each model's Sharpe (net return %) per test year."""
    years = sorted({y for metrics in models.values() for y in metrics.get("years") or {}})
    if not years:
        return []
    lines = [
        "Per test year, Sharpe (net return %):",
        "",
        "| model | " + " | ".join(years) + " |",
        "|---" * (len(years) + 1) + "|",
    ]
    for name, metrics in models.items():
        cells = []
        for year in years:
            cell = (metrics.get("years") or {}).get(year) or {}
            sharpe, net = cell.get("sharpe"), cell.get("net_return_pct")
            cells.append("n/a" if sharpe is None or net is None else f"{sharpe:.2f} ({net:+.1f} %)")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return [*lines, ""]


def _flat(values: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in values.items():
        if isinstance(value, Mapping):
            out.update(_flat(value, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = value
    return out


def differences(config: ProtocolConfig) -> list[str]:
    """Return ``key=value`` for every setting of `config` that differs from the default protocol."""
    ours, default = _flat(config.model_dump()), _flat(ProtocolConfig().model_dump())
    return [f"{key}={ours[key]}" for key in ours if ours[key] != default.get(key)]


def _interval(stat: Mapping[str, Any] | None, digits: int) -> str:
    if not stat or stat.get("diff") is None:
        return "n/a"
    return f"{stat['diff']:+.{digits}f} [{stat['low']:+.{digits}f}, {stat['high']:+.{digits}f}]"


def comparison_table(comparisons: Mapping[str, Mapping[str, Mapping[str, Any]]]) -> list[str]:
    """Return the rows of the challengers' paired differences against each baseline."""
    if not comparisons:
        return []
    lines = [
        "Leads over each baseline, with 95 % intervals (rank IC: mean of the per-quarter "
        "differences, t interval; Sharpe: paired circular block bootstrap of the hourly net "
        "returns, 1-week blocks, 2,000 draws; P = share of draws with the challenger ahead):",
        "",
        "| challenger | baseline | rank IC lead | Sharpe lead | P(Sharpe ahead) |",
        "|---|---|---|---|---|",
    ]
    for name, against in comparisons.items():
        for base, stat in against.items():
            ahead = (stat.get("sharpe") or {}).get("p_ahead")
            lines.append(
                f"| {name} | {base} | {_interval(stat.get('rank_ic'), 4)} | "
                f"{_interval(stat.get('sharpe'), 2)} | "
                f"{'n/a' if ahead is None else f'{ahead:.2f}'} |"
            )
    return [*lines, ""]


def render(
    results: Mapping[str, Mapping[str, Any]],
    config: ProtocolConfig,
    command: str,
    timeframe: str,
    horizon: str,
) -> str:
    """Render the report of `results` (symbol -> evaluate_series output)."""
    dl = config.dl
    lines = [
        f"# Walk-forward evaluation ({timeframe} bars, {horizon} horizon)",
        "",
        f"Command: `{command}`",
        "",
        "Differs from the default protocol: "
        + (", ".join(f"`{d}`" for d in differences(config)) or "nothing")
        + ".",
        "",
        "Protocol: one model per calendar year Y, trained on [Y-"
        f"{config.train_years}, Y) (last {config.val_fraction:.1%} held out for early stopping, "
        f"the strategy rule and the blend weight), tested on {config.test_quarters} quarter(s) "
        "of Y; purge: a "
        f"sample is kept only if its label ends {config.embargo_bars} bars (embargo) before the "
        "next period. Labels: "
        + (
            "forward log return over the horizon"
            if config.labels == "fixed"
            else "triple barrier (first high/low touch of close x (1 ± band) within the horizon)"
        )
        + f"; flat band = the {config.flat_fraction:.0%} quantile of |return| in the TRAINING "
        "rows. Score = "
        "P(up) - P(down). Strategy (the same rule search for every model, baselines "
        "included, chosen on validation only by net Sharpe): enter long when score > an entry "
        f"level (0 or validation quantiles {config.threshold_quantiles}), exit when score < an "
        f"exit level (entry quantile minus {config.exit_gaps}: hysteresis) after a minimum hold "
        f"of {config.hold_multiples} x the horizon, decisions every horizon; fees "
        f"{config.fee_per_side:.2%} per side on every change; Sharpe of hourly net returns x "
        f"sqrt({config.periods_per_year:.0f}). Rank IC: Spearman per test quarter, averaged. "
        f"Features: DEFAULT_SPEC without its news columns"
        f"{', plus recorded-news VADER sentiment and 24 h count' if config.news else ''}. "
        + (
            f"Training universe: every learned model also trains on the training rows of the "
            f"same dates of {', '.join(config.pool)}, where its dates exist ("
            + (
                "one normaliser fitted on all their training rows"
                if config.normalise == "pooled"
                else "each symbol normalised on its own training rows"
            )
            + "; each labelled on its own training rows; validation and scoring on the "
            "symbol's own rows). "
            if config.pool
            else ""
        )
        + "DL (shared `model_engine.training.fit`): "
        f"window {dl.window}, hidden {dl.hidden}, {dl.layers} layer(s)"
        f"{', wide path (linear map of the last row added to the logits)' if dl.skip else ''}"
        f", <= {dl.max_epochs} "
        f"epochs (patience {dl.patience}), every {dl.train_stride}. training window, seeds "
        f"{list(dl.seeds)}: mean ± std over seeds; dl_ensemble averages every DL run's score "
        "(rule re-chosen on validation); dl_lightgbm_blend = w x dl_ensemble + (1 - w) x "
        f"LightGBM (scores standardised on validation), w in {config.blend_weights} by "
        "validation rank IC, per fold.",
        "",
    ]
    for symbol, result in results.items():
        lines += [
            f"## {symbol}: {iso(result['oos_start'])} → {iso(result['oos_end'])}",
            "",
            *table(result["models"]),
            "",
            *year_table(result["models"]),
            *comparison_table(result.get("comparisons") or {}),
            "Folds: "
            + "; ".join(
                f"{f['year']}: train {iso(f['train'][0])[:10]}..{iso(f['train'][1])[:10]} "
                f"({f['train'][2]}), val ({f['val'][2]}), test {', '.join(f['tests'])}"
                for f in result["folds"]
            ),
            "",
        ]
    return "\n".join(lines)


__all__ = [
    "COLUMNS",
    "comparison_table",
    "differences",
    "iso",
    "render",
    "table",
    "year_table",
]
