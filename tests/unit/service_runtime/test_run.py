"""`run_service` turns what went wrong into the exit status a supervisor acts on."""

from __future__ import annotations

import logging

import pytest

from service_runtime import (
    EXIT_CRASHED,
    EXIT_OPERATIONAL,
    ServiceHost,
    SettingsError,
    run_service,
)


def test_an_operational_error_exits_2_with_a_critical_line(
    caplog: pytest.LogCaptureFixture,
) -> None:
    def build() -> ServiceHost:
        raise SettingsError("invalid settings: NTX_BUS_TOKEN: not set")

    assert run_service("toy", build, use_uvloop=False) == EXIT_OPERATIONAL
    (record,) = caplog.records
    assert record.levelno == logging.CRITICAL
    assert record.getMessage() == "toy cannot run: invalid settings: NTX_BUS_TOKEN: not set"
    assert getattr(record, "event", None) == "failed"


def test_a_crash_exits_1_with_its_traceback(caplog: pytest.LogCaptureFixture) -> None:
    def build() -> ServiceHost:
        raise ZeroDivisionError("bug")

    assert run_service("toy", build, use_uvloop=False) == EXIT_CRASHED
    (record,) = caplog.records
    assert record.exc_info is not None
    assert getattr(record, "event", None) == "crashed"
