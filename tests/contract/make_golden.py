"""Regenerate the golden messages: `.venv/bin/python tests/contract/make_golden.py`.

Writes `golden/<Type>.json`, each the exact bytes of `Envelope.to_json()` plus a newline, built
from `tests/schema_factories.py`. Review the diff: a changed golden is a changed wire format.
"""

from __future__ import annotations

import sys
from pathlib import Path

GOLDEN_DIR = Path(__file__).resolve().with_name("golden")
_REPO_ROOT = Path(__file__).resolve().parents[2]
if str(_REPO_ROOT) not in sys.path:  # run as a script, `tests` is not importable otherwise
    sys.path.insert(0, str(_REPO_ROOT))

from tests.schema_factories import golden_envelopes  # noqa: E402


def golden_bytes() -> dict[str, bytes]:
    """Return file name -> the bytes that file must hold."""
    return {f"{name}.json": env.to_json() + b"\n" for name, env in golden_envelopes().items()}


def main() -> int:
    """Write every golden file and delete goldens of types that no longer exist."""
    GOLDEN_DIR.mkdir(exist_ok=True)
    wanted = golden_bytes()
    for stale in GOLDEN_DIR.glob("*.json"):
        if stale.name not in wanted:
            stale.unlink()
    for name, data in wanted.items():
        (GOLDEN_DIR / name).write_bytes(data)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
