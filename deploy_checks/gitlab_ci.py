""".gitlab-ci.yml: the five stages, and every job runs real Makefile targets."""

from __future__ import annotations

import re
import shlex
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from deploy_checks.findings import Finding

STAGES = ("lint", "security", "test", "build", "e2e")
# make targets each stage must run somewhere in it
STAGE_TARGETS: dict[str, frozenset[str]] = {
    "lint": frozenset({"lint", "typecheck", "importlint", "helm-lint"}),
    "security": frozenset({"bandit", "pip-audit", "npm-audit", "secret-scan"}),
    "test": frozenset({"test"}),
    "build": frozenset({"images"}),
    "e2e": frozenset({"e2e"}),
}
RESERVED = frozenset(
    {"stages", "variables", "default", "include", "workflow", "image", "services", "cache"}
    | {"before_script", "after_script"}
)
_TARGET = re.compile(r"^([A-Za-z0-9_.%/-]+(?:[ \t]+[A-Za-z0-9_.%/-]+)*)[ \t]*:(?![=:])")


def _any_tag(loader: Any, _suffix: str, node: Any) -> Any:
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    if isinstance(node, yaml.MappingNode):
        return loader.construct_mapping(node)
    return loader.construct_scalar(node)


# SafeLoader that keeps GitLab's custom tags (``!reference``) as plain values.
_Loader: Any = type("_Loader", (yaml.SafeLoader,), {})
_Loader.add_multi_constructor("!", _any_tag)


def makefile_targets(path: Path) -> frozenset[str]:
    """The explicit targets of a Makefile (variables and special targets excluded)."""
    targets: set[str] = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        match = _TARGET.match(line)
        if match:
            targets.update(t for t in match.group(1).split() if not t.startswith(("$", ".")))
    return frozenset(targets)


def make_targets(script: list[str]) -> list[str]:
    """The targets of every ``make`` call in a job's script lines."""
    targets: list[str] = []
    for line in script:
        words = shlex.split(str(line), comments=True)
        for index, word in enumerate(words):
            if word == "make":
                rest = words[index + 1 :]
                targets += [w for w in rest if not w.startswith("-") and "=" not in w][:1]
    return targets


def _job_script(name: str, jobs: Mapping[str, Any], depth: int = 0) -> list[str]:
    job = jobs.get(name) or {}
    script = job.get("script")
    if script is None and depth < 5:
        parents = job.get("extends") or []
        for parent in [parents] if isinstance(parents, str) else parents:
            script = script or _job_script(parent, jobs, depth + 1)
    flat: list[str] = []
    for item in script or []:
        flat += item if isinstance(item, list) else [item]
    return [str(line) for line in flat]


def check_gitlab_ci(path: Path, makefile: Path) -> list[Finding]:
    """Check the pipeline at ``path`` against the Makefile's targets."""
    document = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)  # noqa: S506
    if not isinstance(document, Mapping):
        return [Finding(str(path), "not a YAML mapping")]
    targets = makefile_targets(makefile)
    stages = list(document.get("stages") or [])
    found: list[Finding] = []
    if [stage for stage in stages if stage in STAGES] != list(STAGES):
        found.append(Finding(str(path), f"stages must include {list(STAGES)} in order"))
    called: dict[str, set[str]] = {stage: set() for stage in stages}
    for name, job in document.items():
        if name in RESERVED or str(name).startswith(".") or not isinstance(job, Mapping):
            continue
        where = f"{path.name}: {name}"
        stage = job.get("stage", "test")
        if stage not in stages:
            found.append(Finding(where, f"stage {stage} is not declared"))
        calls = make_targets(_job_script(str(name), document))
        if not calls:
            found.append(Finding(where, "job calls no Makefile target"))
        found += [Finding(where, f"make {t}: no such target") for t in calls if t not in targets]
        called.setdefault(stage, set()).update(calls)
    for stage, required in STAGE_TARGETS.items():
        missing = sorted(required - called.get(stage, set()))
        if missing:
            found.append(Finding(str(path), f"stage {stage} runs no job for make {missing}"))
    return found
