"""Pure parts of the bus: topic patterns, backoff, frame classification."""

from __future__ import annotations

import random

import orjson
import pytest

from signal_bus import Backoff, InvalidMessageError, decode_envelope
from signal_bus.control import parse_subscribe
from signal_bus.topics import TopicMatcher, matches, validate_patterns
from signal_schema import Envelope
from tests.schema_factories import bar, heartbeat


@pytest.mark.parametrize(
    ("pattern", "topic", "expected"),
    [
        ("*", "market.bar", True),
        ("market.*", "market.bar", True),
        ("market.*", "market.features", True),
        ("market.*", "marketing.bar", False),
        ("market.bar", "market.bar", True),
        ("market.bar", "market.gap", False),
        ("risk.kill_switch.*", "risk.kill_switch.set", True),
        ("risk.*", "risk.kill_switch.changed", True),
    ],
)
def test_topic_patterns(pattern: str, topic: str, expected: bool) -> None:
    assert matches(pattern, topic) is expected
    assert TopicMatcher([pattern])(topic) is expected


@pytest.mark.parametrize("bad", ["", "Market.bar", "market.", "*.bar", "market.**", "a b"])
def test_bad_topic_patterns_are_named(bad: str) -> None:
    with pytest.raises(ValueError, match="bad topic pattern"):
        validate_patterns([bad])


def test_subscribing_to_nothing_is_refused() -> None:
    with pytest.raises(ValueError, match="at least one topic"):
        validate_patterns([])


def test_backoff_grows_exponentially_with_jitter_and_caps() -> None:
    backoff = Backoff(initial_secs=0.1, max_secs=5.0, factor=2.0)
    rng = random.Random(7)
    for attempt, cap in [(0, 0.1), (1, 0.2), (3, 0.8), (10, 5.0), (500, 5.0)]:
        delays = {backoff.delay(attempt, rng) for _ in range(50)}
        assert all(cap / 2 <= d <= cap for d in delays)
        assert len(delays) > 1  # jittered, so reconnecting clients do not stampede


def _frame(**changes: object) -> bytes:
    data = orjson.loads(Envelope.of(heartbeat()).to_json())
    data.update(changes)
    return orjson.dumps(data)


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"not json", "malformed_json"),
        (b'{"schema_version":1', "malformed_json"),
        (_frame(message={"type": "Nope"}), "unknown_type"),
        (_frame(schema_version=99), "schema_version"),
        (_frame(topic="market.bar"), "wrong_topic"),
        (_frame(extra=1), "invalid_message"),
        (b"[]", "invalid_message"),
    ],
)
def test_decode_names_the_reason(raw: bytes, reason: str) -> None:
    with pytest.raises(InvalidMessageError) as rejected:
        decode_envelope(raw)
    assert rejected.value.reason == reason
    assert rejected.value.detail


def test_decode_accepts_a_valid_frame() -> None:
    envelope = Envelope.of(bar())
    assert decode_envelope(envelope.to_json()) == envelope


@pytest.mark.parametrize(
    "raw",
    [b"{}", b'{"op":"subscribe"}', b'{"op":"subscribe","topics":[]}', b'{"op":"publish"}', b"x"],
)
def test_bad_subscribe_frames_are_refused(raw: bytes) -> None:
    with pytest.raises(InvalidMessageError) as rejected:
        parse_subscribe(raw)
    assert rejected.value.reason == "bad_control"
