"""Log lines are JSON (or text), carry the correlation id, and never show a secret."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest
from pydantic import SecretStr

from service_runtime import LogSection, configure_logging, correlation, current_correlation_id

SECRET = SecretStr("s3cr3t-bus-token-value")
log = logging.getLogger("tests.service_runtime.logging")


@pytest.fixture
def restore_logging() -> Iterator[None]:
    """Put the root logger back as it was after the test."""
    root = logging.getLogger()
    saved = (list(root.handlers), root.level, logging.getLogger("websockets").level)
    yield
    root.handlers[:] = saved[0]
    root.setLevel(saved[1])
    logging.getLogger("websockets").setLevel(saved[2])


@pytest.fixture
def stream(restore_logging: None) -> io.StringIO:
    """Configure JSON logging at DEBUG into a buffer."""
    buffer = io.StringIO()
    configure_logging("data_core", LogSection(level="DEBUG"), secrets=[SECRET], stream=buffer)
    return buffer


def lines(buffer: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in buffer.getvalue().splitlines()]


def test_json_line_has_the_documented_fields(stream: io.StringIO) -> None:
    log.info("bar %s closed", "BTC/USDT", extra={"event": "bar_closed", "count": 3})
    (line,) = lines(stream)
    assert line["level"] == "INFO"
    assert line["service"] == "data_core"
    assert line["logger"] == "tests.service_runtime.logging"
    assert line["msg"] == "bar BTC/USDT closed"
    assert line["correlation_id"] is None
    assert (line["event"], line["count"]) == ("bar_closed", 3)
    assert line["ts"].endswith("+00:00")


def test_lines_carry_the_correlation_id_of_their_context(stream: io.StringIO) -> None:
    with correlation("sig-01HK3TQ8"):
        assert current_correlation_id() == "sig-01HK3TQ8"
        log.warning("inside")
    log.warning("outside")
    inside, outside = lines(stream)
    assert inside["correlation_id"] == "sig-01HK3TQ8"
    assert outside["correlation_id"] is None
    assert current_correlation_id() is None


def test_secret_values_never_appear(stream: io.StringIO) -> None:
    raw = SECRET.get_secret_value()
    log.info("token object %s", SECRET)
    log.info("token value %s", raw, extra={"token": raw})
    try:
        raise ValueError(f"refused {raw}")
    except ValueError:
        log.exception("with traceback")
    text = stream.getvalue()
    assert raw not in text
    first, second, third = lines(stream)
    assert first["msg"] == "token object **********"
    assert second["msg"] == "token value **********"
    assert second["token"] == "**********"
    assert "ValueError: refused **********" in third["exc"]


def test_secrets_needing_json_escapes_are_redacted_too(restore_logging: None) -> None:
    quoted = SecretStr('tok"en\\with-escapes')
    buffer = io.StringIO()
    configure_logging("alert_system", LogSection(), secrets=[quoted], stream=buffer)
    log.warning("sent %s", quoted.get_secret_value())
    assert lines(buffer)[0]["msg"] == "sent **********"


def test_text_format_is_one_readable_line(restore_logging: None) -> None:
    buffer = io.StringIO()
    configure_logging("exec_core", LogSection(format="text"), secrets=[SECRET], stream=buffer)
    with correlation("corr-1"):
        log.info("token %s", SECRET.get_secret_value())
    log.debug("not written at INFO")
    (line,) = buffer.getvalue().splitlines()
    assert "INFO" in line
    assert "exec_core tests.service_runtime.logging [corr-1] token **********" in line
