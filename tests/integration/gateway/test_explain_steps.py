"""Per-time-step SHAP of a stored signal: model_engine behind the gateway, and `ntx explain`."""

from __future__ import annotations

import contextlib
import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import httpx
import numpy as np
import pytest
from pydantic import SecretStr
from typer.testing import CliRunner

from feature_spec import DEFAULT_SPEC
from model_engine.build import build_service
from model_engine.explain.detail import StepExplanation
from model_engine.explain.realdata import load_features
from model_engine.service import ModelEngineService
from model_engine.serving.engine import InferenceEngine, utc_now
from model_engine.settings import ModelEngineSettings
from neurotradex.cli.app import app as cli
from service_runtime.http_api import build_app
from signal_schema import FeatureFrame, Signal
from tests.integration.gateway.conftest import BUS, READ, TOKENS, bearer, gateway_settings
from tests.integration.gateway.servers import refused_port, running_gateway, serving
from tests.unit.model_engine.explain.tiny import tiny_artifact

T0 = datetime(2024, 6, 1, tzinfo=UTC)
OTHERS = ("data_core", "exec_core", "alert_system")


def _stored_signal(service: ModelEngineService) -> Signal:
    """Score real BTC/USDT feature rows until one signal comes out; store it with its window."""
    engine = InferenceEngine(service.registry, DEFAULT_SPEC.names, utc_now)
    rows = load_features("BTC")[1][-40:]
    for bar in range(service.registry.max_window):
        ts = T0 + timedelta(hours=bar)
        scored = engine.score(
            [
                FeatureFrame(
                    ts_event=ts, ts_init=ts, venue="binance", symbol="BTC/USDT", timeframe="1h",
                    spec_version=DEFAULT_SPEC.version, close=Decimal("64000.5"),
                    names=DEFAULT_SPEC.names, values=tuple(float(v) for v in rows[bar]),
                    warm=True,
                )
            ]
        )  # fmt: skip
    service.store.add(scored.signals, np.stack(scored.windows), scored.raw_gaps)
    return scored.signals[0]


async def test_time_steps_through_the_gateway_and_the_cli(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tiny_artifact(tmp_path)
    monkeypatch.setenv("NTX_HOME", str(tmp_path))
    monkeypatch.setenv("NTX_BUS_TOKEN", BUS)
    service = build_service(ModelEngineSettings.load())
    signal = _stored_signal(service)
    stored = signal.explanation
    model_api = build_app(
        "model_engine",
        service.version,
        service.router(),
        lambda: {"status": service.status()},
        service.metrics,
        tokens=(SecretStr(BUS),),  # what the gateway presents
    )
    path = f"/api/signals/{signal.signal_id}/explanation"
    async with contextlib.AsyncExitStack() as stack:
        http_urls = {"model_engine": await stack.enter_async_context(serving(model_api))}
        bus_urls = {"model_engine": f"ws://127.0.0.1:{stack.enter_context(refused_port())}/ws"}
        for name in OTHERS:
            http_urls[name] = f"http://127.0.0.1:{stack.enter_context(refused_port())}"
            bus_urls[name] = f"ws://127.0.0.1:{stack.enter_context(refused_port())}/ws"
        settings = gateway_settings(tmp_path, http_urls, bus_urls)
        gateway = await stack.enter_async_context(running_gateway(settings, TOKENS))
        http = await stack.enter_async_context(
            httpx.AsyncClient(base_url=gateway.url, headers=bearer(READ), trust_env=False)
        )
        default = await http.get(path)
        answer = await http.get(path, params={"detail": "steps"})
        unknown_detail = await http.get(path, params={"detail": "cells"})
        lime_steps = await http.get(path, params={"method": "lime", "detail": "steps"})
        unknown_signal = await http.get("/api/signals/nope/explanation?detail=steps")

    assert default.json() == stored.model_dump(mode="json")  # the default is unchanged
    assert answer.status_code == 200, answer.text
    steps = StepExplanation.model_validate(answer.json())
    window = service.registry.max_window
    phi = np.array([s.attribution for s in steps.steps])
    assert steps.method == "permutation-shapley/time-steps"
    assert steps.output_space == stored.output_space
    assert [s.index for s in steps.steps] == list(range(window))
    assert [s.lag for s in steps.steps] == list(range(window - 1, -1, -1))
    assert steps.steps[-1].ts == signal.ts_event
    assert steps.steps[0].ts == signal.ts_event - (window - 1) * timedelta(hours=1)
    # Additive, and the rows share out exactly what the stored features share out.
    assert steps.additivity_error < 1e-12
    assert abs(steps.base_value + phi.sum() - steps.output_value) < 1e-12
    assert abs(phi.sum() - (stored.output_value - stored.base_value)) < 1e-6
    assert abs(steps.base_value - stored.base_value) < 1e-6
    assert abs(steps.output_value - stored.output_value) < 1e-6
    assert steps.stored_gap < 1e-6
    assert steps.pairs_per_background >= 2
    assert all(s.stderr is not None for s in steps.steps)
    assert steps.model_windows == 2 * steps.background_windows * steps.pairs_per_background * (
        window + 1
    )
    assert unknown_detail.status_code == 422
    assert lime_steps.status_code == 422
    assert "LIME" in lime_steps.json()["detail"]
    assert unknown_signal.status_code == 404

    printed = CliRunner().invoke(cli, ["explain", "show", signal.signal_id, "--detail", "steps"])
    assert printed.exit_code == 0, printed.output
    assert json.loads(printed.output) == answer.json()  # same seed: the same values
    refused = CliRunner().invoke(cli, ["explain", "show", signal.signal_id, "--detail", "cells"])
    assert refused.exit_code == 2
