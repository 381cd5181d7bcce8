"""Refuse, in the test process, every open of a path under ``<repo>/../shared``.

The tests read the committed slices in ``tests/fixtures/data`` only (see `tests.data_paths`).
An audit hook (`sys.addaudithook`) watches ``open``, ``os.listdir`` and ``os.scandir``: a path
resolving under a forbidden root is recorded and the call raises `PermissionError`; the root
conftest then fails the test that did it, naming the path, even if the code swallowed the error.
Audit hooks cannot be removed, so the one hook reads its roots from `SharedGuard.roots`, which
`forbidding` extends for a block (how the guard's own tests use a temporary root).

A pytest plugin: the root ``tests/conftest.py`` loads it.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Generator, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
WATCHED = frozenset({"open", "os.listdir", "os.scandir"})


class SharedGuard:
    """An audit hook refusing paths under `roots` and remembering which were tried."""

    def __init__(self, root: Path) -> None:
        self.roots: tuple[str, ...] = (os.path.realpath(root),)
        self.touched: list[str] = []
        self._busy = threading.local()
        self._installed = False

    def install(self) -> None:
        """Add the audit hook (once per process)."""
        if not self._installed:
            sys.addaudithook(self._hook)
            self._installed = True

    @contextmanager
    def forbidding(self, root: Path) -> Iterator[None]:
        """Refuse paths under `root` too while the block runs."""
        before = self.roots
        self.roots = (*before, os.path.realpath(root))
        try:
            yield
        finally:
            self.roots = before

    def take(self) -> list[str]:
        """Return and forget the paths tried since the last call."""
        taken, self.touched = self.touched, []
        return taken

    def forbidden(self, path: object) -> tuple[str, str] | None:
        """Return `path` resolved and its forbidden root when it lies under one, else None."""
        if not isinstance(path, str | bytes | os.PathLike):  # a file descriptor, or None
            return None
        try:
            resolved = os.path.realpath(os.fsdecode(path))
        except (TypeError, ValueError):
            return None
        for root in self.roots:
            if resolved == root or resolved.startswith(root + os.sep):
                return resolved, root
        return None

    def _hook(self, event: str, args: tuple[object, ...]) -> None:
        if event not in WATCHED or not args or getattr(self._busy, "on", False):
            return
        self._busy.on = True
        try:
            found = self.forbidden(args[0])
        finally:
            self._busy.on = False
        if found is not None:
            self.touched.append(found[0])
            raise PermissionError(
                f"tests must not read {found[0]}: it lies under {found[1]}; "
                "read the committed slices in tests/fixtures/data through tests/data_paths.py"
            )


GUARD = SharedGuard(REPO.parent / "shared")
"""The session's guard over ``<repo>/../shared``, installed by ``tests/conftest.py``."""


def pytest_configure(config: pytest.Config) -> None:
    """Install the guard before any test module is collected."""
    GUARD.install()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Fail the phase (setup, call or teardown) in which a test tried a path under ../shared."""
    report = yield
    touched = GUARD.take()
    if touched:
        more = f" (and {len(touched) - 1} more)" if len(touched) > 1 else ""
        why = f"{item.nodeid} tried to read {touched[0]}{more}: tests read tests/fixtures/data only"
        report.longrepr = why + (f"\n\n{report.longrepr}" if report.longrepr else "")
        report.outcome = "failed"
    return report
