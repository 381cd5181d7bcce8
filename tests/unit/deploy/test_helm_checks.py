"""The chart checks: lint, strict Kubernetes schemas, env keys against .env.example."""

from __future__ import annotations

import copy
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from deploy_checks import helm_chart
from deploy_checks.envfile import env_names
from deploy_checks.findings import errors

ROOT = Path(__file__).resolve().parents[3]
CHART = ROOT / "helm" / "neurotradex"
TEST_VALUES = CHART / "ci" / "test-values.yaml"
NAMES = env_names(ROOT / ".env.example")


@pytest.fixture(scope="module")
def manifests() -> list[dict[str, Any]]:
    return helm_chart.render(CHART, yaml.safe_load(TEST_VALUES.read_text()))


def test_real_chart_passes() -> None:
    assert errors(helm_chart.check_chart(CHART, TEST_VALUES, NAMES)) == []


def test_strict_schema_catches_a_typo(manifests: list[dict[str, Any]]) -> None:
    deployment = copy.deepcopy(next(m for m in manifests if m["kind"] == "Deployment"))
    deployment["spec"]["template"]["spec"]["containers"][0]["imagePullPolicyy"] = "Always"
    assert errors(helm_chart.validate_schemas([deployment]))


def test_strict_schema_catches_a_wrong_type(manifests: list[dict[str, Any]]) -> None:
    deployment = copy.deepcopy(next(m for m in manifests if m["kind"] == "Deployment"))
    deployment["spec"]["replicas"] = "two"
    assert errors(helm_chart.validate_schemas([deployment]))


def test_configmap_key_not_in_env_example_is_reported(manifests: list[dict[str, Any]]) -> None:
    configmap = copy.deepcopy(next(m for m in manifests if m["kind"] == "ConfigMap"))
    configmap["data"]["DATA_CORE__STREAMS__VENEU"] = "okx"
    messages = [f.message for f in errors(helm_chart.check_env_keys([configmap], NAMES))]
    assert messages == ["DATA_CORE__STREAMS__VENEU is not in .env.example"]


def test_missing_probe_and_component_are_reported(manifests: list[dict[str, Any]]) -> None:
    changed = copy.deepcopy(manifests)
    changed = [m for m in changed if m["metadata"]["name"] != "alert-system"]
    deployment = next(m for m in changed if m["kind"] == "Deployment")
    del deployment["spec"]["template"]["spec"]["containers"][0]["readinessProbe"]
    messages = [f.message for f in helm_chart.check_platform(changed)]
    assert "no Deployment named alert-system" in messages
    assert any(m.startswith("readinessProbe must GET /healthz") for m in messages)


def test_values_schema_rejects_unknown_env_name(tmp_path: Path) -> None:
    chart = tmp_path / "neurotradex"
    shutil.copytree(CHART, chart)
    values = yaml.safe_load(TEST_VALUES.read_text())
    values["env"] = {"NOT_A_SETTING": "x"}
    assert errors(helm_chart.lint(chart, values))


def test_render_without_bus_token_fails() -> None:
    assert helm_chart.check_requires_bus_token(CHART) == []


def test_service_monitor_scraping_the_bus_port_is_reported(
    manifests: list[dict[str, Any]],
) -> None:
    changed = copy.deepcopy(manifests)
    monitor = next(m for m in changed if m["kind"] == "ServiceMonitor")
    assert [(e["port"], e["path"]) for e in monitor["spec"]["endpoints"]] == [("http", "/metrics")]
    monitor["spec"]["endpoints"][0]["port"] = "bus"
    messages = [f.message for f in helm_chart.check_platform(changed)]
    assert "endpoints must scrape /metrics on port http" in messages
