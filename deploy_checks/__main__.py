"""`python -m deploy_checks [compose|helm|docker|ci ...]`: run the offline deployment checks.

Exit 0 when no check found an error (warnings are printed and tolerated), 1 otherwise.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

from deploy_checks import compose, dockerfiles, gitlab_ci, helm_chart
from deploy_checks.envfile import env_names, loopback_urls
from deploy_checks.findings import Finding, errors

ROOT = Path(__file__).resolve().parents[1]
CHART = ROOT / "helm" / "neurotradex"


def _checks(names: frozenset[str], urls: frozenset[str]) -> dict[str, Callable[[], list[Finding]]]:
    compose_file = ROOT / "docker-compose.yml"
    return {
        "compose": lambda: [
            *compose.check_compose(compose_file, names, urls),
            *compose.compose_config(compose_file, names),
        ],
        "helm": lambda: helm_chart.check_chart(
            CHART, CHART / "ci" / "test-values.yaml", names, urls
        ),
        "docker": lambda: dockerfiles.check_dockerfiles(ROOT / "docker", ROOT),
        "ci": lambda: gitlab_ci.check_gitlab_ci(ROOT / ".gitlab-ci.yml", ROOT / "Makefile"),
    }


def main(argv: list[str]) -> int:
    """Run the named checks (all by default), print findings, return the exit status."""
    env_example = ROOT / ".env.example"
    checks = _checks(env_names(env_example), loopback_urls(env_example))
    unknown = [name for name in argv if name not in checks]
    if unknown:
        print(f"unknown check(s) {unknown}; choose from {sorted(checks)}", file=sys.stderr)  # noqa: T201
        return 2
    failed = False
    for name in argv or list(checks):
        started = time.perf_counter()
        found = checks[name]()
        for finding in found:
            print(f"  {finding}")  # noqa: T201
        failed = failed or bool(errors(found))
        status = "FAIL" if errors(found) else "ok"
        print(f"check-deploy {name}: {status} ({time.perf_counter() - started:.1f}s)")  # noqa: T201
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
