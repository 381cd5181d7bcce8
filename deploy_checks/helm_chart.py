"""helm/neurotradex: lint, render, Kubernetes schemas (strict) and what the platform needs."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import helm_python as helm
import kubernetes_validate
import yaml

from deploy_checks.envfile import PENDING
from deploy_checks.findings import Finding

KUBERNETES_VERSION = "1.30.0"
COMPONENTS = ("data-core", "model-engine", "exec-core", "alert-system", "dashboard-ui")
EXPECTED_KINDS = ("ConfigMap", "Secret", "PersistentVolumeClaim", "Job", "NetworkPolicy")
METRICS_PORT = "http"
"""The named port whose `/metrics` a ServiceMonitor scrapes (each service's HTTP API)."""
CRD_KINDS = frozenset({"ServiceMonitor"})  # no schema offline: checked structurally below

Manifest = dict[str, Any]


def lint(chart: Path, values: Mapping[str, Any]) -> list[Finding]:
    """Run Helm's linter (strict: warnings fail too; info messages are ignored)."""
    report = helm.lint(chart, dict(values), strict=True, kube_version=f"v{KUBERNETES_VERSION}")
    return [
        Finding(f"{chart}/{message['path']}", str(message["error"]).strip())
        for message in report.get("messages", [])
        if int(message.get("severity", 0)) >= 2
    ]


def render(chart: Path, values: Mapping[str, Any]) -> list[Manifest]:
    """Render the chart offline and return every manifest object."""
    with helm.Chart.load(chart) as loaded:
        files = loaded.render(dict(values), name="ntx", namespace="neurotradex", is_install=True)
    objects: list[Manifest] = []
    for name, text in sorted(files.items()):
        if name.endswith(".txt"):
            continue
        objects += [doc for doc in yaml.safe_load_all(text) if isinstance(doc, dict)]
    return objects


def _label(manifest: Manifest) -> str:
    return f"{manifest.get('kind')}/{manifest.get('metadata', {}).get('name')}"


def validate_schemas(manifests: Iterable[Manifest]) -> list[Finding]:
    """Validate each manifest against the Kubernetes OpenAPI schemas in strict mode."""
    found: list[Finding] = []
    for manifest in manifests:
        if manifest.get("kind") in CRD_KINDS:
            continue
        try:
            kubernetes_validate.validate(manifest, KUBERNETES_VERSION, strict=True)
        except kubernetes_validate.ValidationError as error:
            path = "/".join(str(part) for part in error.path)
            found.append(Finding(_label(manifest), f"{path}: {error.message}"))
        except kubernetes_validate.SchemaNotFoundError as error:
            found.append(Finding(_label(manifest), error.message))
    return found


def check_env_keys(
    manifests: Iterable[Manifest], names: frozenset[str], urls: frozenset[str] = frozenset()
) -> list[Finding]:
    """Every ConfigMap/Secret key is a name .env.example documents; loopback URLs overridden."""
    found: list[Finding] = []
    seen: set[str] = set()
    for manifest in manifests:
        if manifest.get("kind") not in ("ConfigMap", "Secret"):
            continue
        keys = {**manifest.get("data", {}), **manifest.get("stringData", {})}
        seen.update(keys)
        for key in keys:
            if key in PENDING and key not in names:
                found.append(Finding(_label(manifest), f"{key} awaits .env.example", "warning"))
            elif key not in names:
                found.append(Finding(_label(manifest), f"{key} is not in .env.example"))
    found += [
        Finding("helm/neurotradex: env", f"{key} defaults to loopback: set it to a Service name")
        for key in sorted(urls - seen)
        if not key.startswith("SUPERVISOR__")
    ]
    return found


def _check_container(label: str, container: Mapping[str, Any]) -> list[Finding]:
    found: list[Finding] = []
    for probe in ("livenessProbe", "readinessProbe"):
        path = container.get(probe, {}).get("httpGet", {}).get("path")
        if path not in ("/healthz", "/api/health"):
            found.append(Finding(label, f"{probe} must GET /healthz (gateway: /api/health)"))
    if not container.get("resources", {}).get("requests"):
        found.append(Finding(label, "no resource requests"))
    return found


def check_platform(manifests: list[Manifest]) -> list[Finding]:
    """Deployment + Service per component, probes, requests, non-root, the other kinds."""
    by_kind: dict[str, dict[str, Manifest]] = {}
    for manifest in manifests:
        by_kind.setdefault(str(manifest.get("kind")), {})[manifest["metadata"]["name"]] = manifest
    found: list[Finding] = []
    for component in COMPONENTS:
        for kind in ("Deployment", "Service"):
            if component not in by_kind.get(kind, {}):
                found.append(Finding("helm/neurotradex", f"no {kind} named {component}"))
    for name, deployment in by_kind.get("Deployment", {}).items():
        pod = deployment["spec"]["template"]["spec"]
        if not pod.get("securityContext", {}).get("runAsNonRoot"):
            found.append(Finding(f"Deployment/{name}", "pods must run as non-root"))
        for container in pod.get("containers", []):
            found += _check_container(f"Deployment/{name}", container)
    found += [
        Finding("helm/neurotradex", f"no {kind} rendered")
        for kind in (*EXPECTED_KINDS, *CRD_KINDS)
        if kind not in by_kind
    ]
    for name, monitor in by_kind.get("ServiceMonitor", {}).items():
        found += _check_monitor(f"ServiceMonitor/{name}", monitor)
    return found


def _check_monitor(label: str, monitor: Manifest) -> list[Finding]:
    """Every endpoint scrapes the HTTP API's `/metrics` (port ``http``)."""
    scraped = {(e.get("port"), e.get("path")) for e in monitor["spec"].get("endpoints", [])}
    if scraped != {(METRICS_PORT, "/metrics")}:
        return [Finding(label, f"endpoints must scrape /metrics on port {METRICS_PORT}")]
    return []


def check_requires_bus_token(chart: Path) -> list[Finding]:
    """Rendering without NTX_BUS_TOKEN (and no existingSecret) must fail."""
    try:
        render(chart, {})
    except helm.HelmError:
        return []
    return [Finding(str(chart), "renders without secretEnv.NTX_BUS_TOKEN: not fail-fast")]


def check_chart(
    chart: Path, values_file: Path, names: frozenset[str], urls: frozenset[str] = frozenset()
) -> list[Finding]:
    """All chart checks with the CI values (every optional part enabled)."""
    values: dict[str, Any] = yaml.safe_load(values_file.read_text(encoding="utf-8")) or {}
    found = lint(chart, values)
    try:
        manifests = render(chart, values)
    except helm.HelmError as error:
        return [*found, Finding(str(chart), f"render failed: {error}")]
    found += validate_schemas(manifests)
    found += check_env_keys(manifests, names, urls)
    found += check_platform(manifests)
    return found + check_requires_bus_token(chart)
