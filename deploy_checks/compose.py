"""docker-compose.yml: five services, healthchecks, env names of .env.example, fail-fast vars."""

from __future__ import annotations

import os
import re
import shutil
import subprocess  # nosec B404 - runs docker-compose config, fixed arguments
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from deploy_checks.envfile import COMPOSE_ONLY, PENDING
from deploy_checks.findings import Finding

# compose service -> environment prefix of the settings it reads
SERVICES: dict[str, str] = {
    "data_core": "DATA_CORE",
    "model_engine": "MODEL_ENGINE",
    "exec_core": "EXEC_CORE",
    "alert_system": "ALERT_SYSTEM",
    "dashboard_ui": "GATEWAY",
}
PROFILED = {"postgres": "postgres", "train": "train"}
REQUIRED_VARS = frozenset({"NTX_BUS_TOKEN"})
THIRD_PARTY = frozenset({"postgres"})
_INTERPOLATION = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)((?::?[-?])[^}]*)?\}")
_LOOPBACK = re.compile(r"//(127\.0\.0\.1|localhost)[:/]")


def _environment(service: Mapping[str, Any]) -> dict[str, str]:
    raw = service.get("environment") or {}
    if isinstance(raw, list):
        return dict(str(item).partition("=")[::2] for item in raw)
    return {str(key): "" if value is None else str(value) for key, value in raw.items()}


def _check_env(where: str, env: Mapping[str, str], names: frozenset[str]) -> list[Finding]:
    found: list[Finding] = []
    for key, value in env.items():
        if key in PENDING and key not in names:
            found.append(Finding(where, f"{key} awaits its entry in .env.example", "warning"))
        elif key not in names:
            found.append(Finding(where, f"environment name {key} is not in .env.example"))
        if key.endswith("_URL") and _LOOPBACK.search(value):
            found.append(Finding(where, f"{key}={value} points at loopback, not a service name"))
    return found


def _check_overrides(
    where: str, prefix: str, env: Mapping[str, str], urls: frozenset[str]
) -> list[Finding]:
    return [
        Finding(where, f"{key} defaults to loopback: set it to a service name")
        for key in sorted(urls)
        if key.startswith(f"{prefix}__") and key not in env
    ]


def _check_service(
    name: str, service: Mapping[str, Any], root: Path, urls: frozenset[str]
) -> list[Finding]:
    where = f"docker-compose.yml: {name}"
    found: list[Finding] = []
    health = service.get("healthcheck")
    if not isinstance(health, Mapping) or health.get("disable") or not health.get("test"):
        found.append(Finding(where, "no healthcheck"))
    prefix = SERVICES[name]
    env = _environment(service)
    for key in (f"{prefix}__BUS__HOST", f"{prefix}__HTTP__HOST"):
        if key.endswith("__BUS__HOST") and prefix == "GATEWAY":
            continue
        if env.get(key) != "0.0.0.0":  # noqa: S104 - containers must listen on all interfaces
            found.append(Finding(where, f"{key} must be 0.0.0.0 in a container"))
    depends = service.get("depends_on") or {}
    if not isinstance(depends, Mapping):  # list form: no conditions at all
        depends = dict.fromkeys(depends)
    for dependency, spec in depends.items():
        condition = spec.get("condition") if isinstance(spec, Mapping) else None
        if dependency in SERVICES and condition != "service_healthy":
            found.append(Finding(where, f"depends_on {dependency} without service_healthy"))
    found += _check_overrides(where, prefix, env, urls)
    return found + _check_build(where, service, root)


def _check_build(where: str, service: Mapping[str, Any], root: Path) -> list[Finding]:
    build = service.get("build")
    if isinstance(build, Mapping):
        dockerfile = root / str(build.get("context", ".")) / str(build.get("dockerfile", ""))
        if not dockerfile.is_file():
            return [Finding(where, f"build.dockerfile {dockerfile} does not exist")]
    return []


def _check_interpolations(text: str, names: frozenset[str]) -> list[Finding]:
    found: list[Finding] = []
    for match in _INTERPOLATION.finditer(text):
        var, modifier = match.group(1), match.group(2) or ""
        if var in PENDING and var not in names:
            continue  # reported once, on the environment key
        if var not in names and var not in COMPOSE_ONLY:
            found.append(Finding("docker-compose.yml", f"${{{var}}} is not in .env.example"))
        if var in REQUIRED_VARS and not modifier.startswith(":?"):
            found.append(Finding("docker-compose.yml", f"${{{var}}} must fail fast: ${{{var}:?}}"))
    return found


def check_compose(
    path: Path, names: frozenset[str], urls: frozenset[str] = frozenset()
) -> list[Finding]:
    """Check the compose file at ``path`` against the env names of .env.example.

    ``urls`` are the names whose default is a loopback URL: each service must override its own.
    """
    text = path.read_text(encoding="utf-8")
    document = yaml.safe_load(text)
    services: Mapping[str, Any] = (document or {}).get("services") or {}
    found = _check_interpolations(text, names)
    for name in SERVICES:
        if name not in services:
            found.append(Finding("docker-compose.yml", f"service {name} is missing"))
        else:
            found += _check_service(name, services[name], path.parent, urls)
    for name, service in services.items():
        if name in PROFILED and PROFILED[name] not in (service.get("profiles") or []):
            found.append(Finding(f"docker-compose.yml: {name}", "must be under its profile"))
        if name not in THIRD_PARTY:
            found += _check_env(f"docker-compose.yml: {name}", _environment(service), names)
    return found + _check_volumes(document or {})


def _check_volumes(document: Mapping[str, Any]) -> list[Finding]:
    declared = set((document.get("volumes") or {}).keys())
    found: list[Finding] = []
    for name, service in (document.get("services") or {}).items():
        for volume in service.get("volumes") or []:
            source = str(volume).split(":", 1)[0]
            if not source.startswith((".", "/")) and source not in declared:
                found.append(Finding(f"docker-compose.yml: {name}", f"volume {source} undeclared"))
    return found


def compose_config(path: Path, names: frozenset[str]) -> list[Finding]:
    """Run ``docker-compose config`` (no engine needed) when it is installed.

    With every required variable set it must parse; without NTX_BUS_TOKEN it must refuse.
    """
    binary = shutil.which("docker-compose")
    if binary is None:
        return [Finding(str(path), "docker-compose not installed: config not run", "warning")]
    base = {key: value for key, value in os.environ.items() if key not in names}
    with tempfile.TemporaryDirectory() as tmp:
        empty = Path(tmp) / "empty.env"  # ignore a developer's .env
        empty.write_text("", encoding="utf-8")
        command = [binary, "-f", str(path), "--env-file", str(empty)]
        command += ["--profile", "postgres", "--profile", "train", "config", "-q"]
        ok = subprocess.run(  # noqa: S603 - fixed command
            command, env={**base, "NTX_BUS_TOKEN": "x"}, capture_output=True, text=True
        )
        missing = subprocess.run(command, env=base, capture_output=True, text=True)  # noqa: S603
    found: list[Finding] = []
    if ok.returncode != 0:
        found.append(Finding(str(path), f"docker-compose config failed: {ok.stderr.strip()}"))
    if missing.returncode == 0:
        found.append(Finding(str(path), "config passes without NTX_BUS_TOKEN: not fail-fast"))
    return found
