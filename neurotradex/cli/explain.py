"""`ntx explain show|audit`: a signal's explanation, and the fidelity audit of the served method."""

from __future__ import annotations

import json
from typing import Literal

import typer

from neurotradex.cli.output import emit

explain_app = typer.Typer(help="Explanations of signals.", no_args_is_help=True)


@explain_app.command("show")
def show(
    signal_id: str = typer.Argument(..., help="signal id (see GET /api/signals)"),
    method: str = typer.Option("shap", help="shap (stored) or lime (computed now)"),
    detail: str | None = typer.Option(
        None, help="steps: SHAP per time step of the window (computed now)"
    ),
) -> None:
    """Print a stored signal's explanation (SHAP), or LIME / per-time-step SHAP on request."""
    from feature_spec import DEFAULT_SPEC
    from market_store.paths import ntx_home
    from model_engine.errors import InvalidMessageError
    from model_engine.explain.ondemand import explanation, step_explanation
    from model_engine.serving.models import GuardConfig, ModelRegistry
    from model_engine.signals_store import SignalStore

    if method not in ("shap", "lime"):
        raise typer.BadParameter("shap or lime", param_hint="--method")
    if detail not in (None, "steps"):
        raise typer.BadParameter("steps", param_hint="--detail")
    if detail is not None and method != "shap":
        raise typer.BadParameter("--detail steps decomposes SHAP, not LIME", param_hint="--detail")
    home = ntx_home()
    stored = SignalStore(home / "data" / "signals.sqlite").get(signal_id)
    if stored is None:
        typer.echo(f"no signal {signal_id} in {home / 'data' / 'signals.sqlite'}", err=True)
        raise typer.Exit(1)
    registry = ModelRegistry(GuardConfig(), DEFAULT_SPEC.names)
    chosen: Literal["shap", "lime"] = "lime" if method == "lime" else "shap"
    try:
        result = (
            step_explanation(stored, registry, home)
            if detail == "steps"
            else explanation(stored, chosen, registry, home)
        )
    except InvalidMessageError as exc:  # no stored window, or the artifact is gone
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from exc
    print(json.dumps(result.model_dump(mode="json"), indent=1))


@explain_app.command("audit")
def audit(
    windows: int = typer.Option(50, min=1, help="real holdout windows"),
    samples: int = typer.Option(2048, min=64, help="KernelSHAP evaluations per reference"),
    as_json: bool = typer.Option(False, "--json", help="one JSON object on the last line"),
) -> None:
    """Compare the served method with KernelSHAP over onnxruntime on the same players/background."""
    from feature_spec import DEFAULT_SPEC
    from market_store.paths import ntx_home
    from model_engine.explain.audit import ensure_artifact, run_audit
    from model_engine.serving.bundle import load_bundle

    home = ntx_home()
    bundle = load_bundle(ensure_artifact(home), DEFAULT_SPEC.names)
    emit(run_audit(bundle, home, windows, samples), as_json=as_json, title="explanation audit")
