"""Write out-of-sample metrics into an artifact's manifest (``walk_forward``), for the gate."""

from __future__ import annotations

import math
import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from model_engine.artifacts import (
    ENSEMBLE_FAMILY,
    MANIFEST_FILE,
    ArtifactError,
    Manifest,
    read_manifest,
)
from model_engine.evaluation.config import DL_MODELS, ProtocolConfig
from model_engine.evaluation.report import iso

METRICS = ("rank_ic", "sharpe", "balanced_accuracy", "net_return_pct", "max_drawdown_pct")
GATED = (*METRICS, "sharpe_over_buy_and_hold")  # the worst over symbols goes to the top level
BUY_AND_HOLD = "buy_and_hold"
ENSEMBLE_MODEL = "dl_ensemble"  # what the protocol scores for it


def _finite(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None


def _excess(sharpe: object, baseline: object) -> float | None:
    """Return `sharpe` minus `baseline` (None when either is missing or not finite)."""
    model, hold = _finite(sharpe), _finite(baseline)
    return None if model is None or hold is None else model - hold


def walk_forward_entry(
    results: dict[str, dict[str, Any]],
    model: str,
    config: ProtocolConfig,
    command: str,
    timeframe: str,
    horizon: str,
) -> dict[str, Any]:
    """Return the manifest's ``walk_forward`` value: `model`'s OOS metrics per symbol.

    The top-level metrics (what `may_trade_live` checks) are the WORST over the symbols, so a
    model passes the gate only if it passes on every evaluated symbol. Per symbol,
    ``sharpe_over_buy_and_hold`` is the model's Sharpe minus buy-and-hold's on the same test
    bars (None when buy-and-hold was not evaluated: no evidence).
    """
    per_symbol: dict[str, dict[str, Any]] = {}
    for symbol, result in results.items():
        models = result["models"]
        if model not in models:
            raise ArtifactError(f"model {model!r} was not evaluated (have {sorted(models)})")
        row = {k: models[model].get(k) for k in METRICS}
        hold = models.get(BUY_AND_HOLD, {}).get("sharpe")
        row["buy_and_hold_sharpe"] = hold
        row["sharpe_over_buy_and_hold"] = _excess(row["sharpe"], hold)
        row["oos"] = [iso(result["oos_start"]), iso(result["oos_end"])]
        per_symbol[symbol] = row
    worst: dict[str, Any] = {}
    for key in GATED:
        values = [m[key] for m in per_symbol.values()]
        worst[key] = None if any(v is None for v in values) else min(values)
    return {
        **worst,
        "model": model,
        "timeframe": timeframe,
        "horizon": horizon,
        "by_symbol": per_symbol,
        "protocol": config.model_dump(mode="json"),
        "command": command,
        "evaluated_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def _size_mismatches(manifest: Manifest, config: ProtocolConfig) -> list[str]:
    """``--set`` flags that would make the protocol's DL models the artifact's architecture."""
    stated = {"window": manifest.window, **manifest.config}
    ours = config.dl.model_dump()
    return [
        f"--set dl.{key}={str(stated[key]).lower()}"
        for key in ("window", "hidden", "layers", "skip")
        if key in stated and stated[key] != ours[key]
    ]


def _check_members(artifact: Path, manifest: Manifest, config: ProtocolConfig) -> None:
    """An ensemble artifact is described by ``dl_ensemble`` only with the same members."""
    members = manifest.config.get("members") or []
    ours = sorted(f"{m.get('model')}" for m in members)
    theirs = sorted(f for f in DL_MODELS if f in config.models for _ in config.dl.seeds)
    if ours != theirs:
        raise ValueError(
            f"{artifact} averages {ours}, the protocol's dl_ensemble averages {theirs}: "
            "evaluate it with --models and --set dl.seeds=[...] that match its members"
        )


def _check_pool(artifact: Path, symbols: list[str], config: ProtocolConfig) -> None:
    """The protocol must train on the artifact's symbols, normalised as `ntx train` does."""
    trained = sorted(set(symbols))
    if len(trained) > 1 and config.normalise != "pooled":
        raise ValueError(
            f"{artifact} was trained on {', '.join(trained)} with one normaliser over all of "
            "them, not one per pair: evaluate it with --set normalise=pooled"
        )
    if len(trained) == 1 and not config.pool:
        return
    if trained != sorted(set(config.pool)):
        pool = "[]" if len(trained) == 1 else "[" + ",".join(f'"{s}"' for s in trained) + "]"
        alone = " alone" if len(trained) == 1 else ""
        raise ValueError(
            f"{artifact} was trained on {', '.join(trained)}{alone}, not on the protocol's pool "
            f"({', '.join(config.pool) or 'each symbol alone'}): evaluate it with "
            f"--set 'pool={pool}'"
        )


def _check_band(artifact: Path, label: dict[str, Any], config: ProtocolConfig) -> None:
    """Fixed labels: the artifact's flat bands must hold the protocol's share of labels."""
    fraction = label.get("flat_fraction")
    if isinstance(fraction, int | float) and abs(fraction - config.flat_fraction) <= 1e-3:
        return
    ours = f"the protocol's band holds {config.flat_fraction:.0%} of each symbol's training labels"
    if isinstance(fraction, int | float):
        raise ValueError(
            f"{artifact} was labelled with bands holding {fraction:.0%} of each symbol's "
            f"training labels; {ours}: evaluate it with --set flat_fraction={fraction}"
        )
    raise ValueError(
        f"{artifact} was labelled with a fixed {label.get('flat_band_bps')} bps flat band; "
        f"{ours}: train it with --flat-fraction {config.flat_fraction:.4g}"
    )


def check_artifact_matches(
    artifact: Path, timeframe: str, horizon: str, config: ProtocolConfig
) -> None:
    """Refuse to describe `artifact` by metrics of another timeframe, horizon or architecture.

    Raises
    ------
    ValueError
        When the manifest's training timeframe, label horizon, label kind, flat band, training
        symbols, window, hidden size, layers, wide path or (ensembles) members differ from
        what `config` evaluates; the message names the options that would match.
    """
    from market_store.timeframes import parse_timeframe
    from model_engine.evaluation.data import horizon_bars

    manifest = read_manifest(artifact)
    if manifest.training.timeframe != timeframe:
        raise ValueError(
            f"{artifact} was trained on {manifest.training.timeframe} bars, "
            f"not {timeframe}: evaluate it with --timeframe {manifest.training.timeframe}"
        )
    bars = manifest.label.get("horizon_bars")
    count, unit = parse_timeframe(timeframe)
    if isinstance(bars, int) and bars != horizon_bars(horizon, timeframe):
        raise ValueError(
            f"{artifact} predicts {bars} bars ahead, not {horizon}: evaluate it with "
            f"--horizon {bars * count}{unit}"
        )
    kind = manifest.label.get("kind", "fixed")
    if kind != config.labels:
        raise ValueError(
            f"{artifact} was trained on {kind} labels, not {config.labels}: evaluate it with "
            f"--set labels={kind}"
        )
    if config.labels == "fixed":
        _check_band(artifact, manifest.label, config)
    _check_pool(artifact, manifest.training.symbols, config)
    if manifest.model_family == ENSEMBLE_FAMILY:
        _check_members(artifact, manifest, config)
    fixes = _size_mismatches(manifest, config)
    if fixes:
        raise ValueError(
            f"{artifact} is not the architecture the protocol trains: evaluate it with "
            + " ".join(fixes)
        )


def record_walk_forward(
    artifact: Path,
    results: dict[str, dict[str, Any]],
    config: ProtocolConfig,
    command: str,
    timeframe: str,
    horizon: str,
    model: str = "",
) -> Path:
    """Set `artifact`'s manifest ``walk_forward`` to the evaluated metrics; return the file.

    `model` defaults to the artifact's family (``lstm``/``transformer``; ``dl_ensemble`` for
    an ``ensemble`` artifact). manifest.json is not hashed, so the artifact stays valid; the
    file is replaced atomically. It writes what it is given: check first that the metrics
    describe the artifact (`check_artifact_matches`, as ``ntx evaluate --artifact`` does
    before it evaluates).
    """
    manifest = read_manifest(artifact)
    family = manifest.model_family
    default = ENSEMBLE_MODEL if family == ENSEMBLE_FAMILY else family
    entry = walk_forward_entry(results, model or default, config, command, timeframe, horizon)
    updated = manifest.model_copy(update={"walk_forward": entry})
    target = artifact / MANIFEST_FILE
    fd, tmp = tempfile.mkstemp(dir=artifact, prefix=".manifest-", suffix=".json")
    with os.fdopen(fd, "w") as handle:
        handle.write(updated.model_dump_json(indent=2))
    Path(tmp).replace(target)
    return target


__all__ = [
    "GATED",
    "METRICS",
    "check_artifact_matches",
    "record_walk_forward",
    "walk_forward_entry",
]
