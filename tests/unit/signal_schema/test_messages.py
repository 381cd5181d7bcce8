"""Message rules: immutability, cross-field invariants and the envelope's routing checks."""

from __future__ import annotations

import re
import typing
from decimal import Decimal
from typing import Any

import pytest
from pydantic import ValidationError

from signal_schema import (
    MESSAGE_TYPES,
    SCHEMA_VERSION,
    AnyMessage,
    ClassProbabilities,
    Envelope,
    Message,
    RuleVerdict,
    topics,
)
from tests import schema_factories as f

ALL = [pytest.param(build, id=name) for name, build in f.BUILDERS.items()]


def _errors(raw: bytes | str) -> list[Any]:
    with pytest.raises(ValidationError) as info:
        Envelope.model_validate_json(raw)
    return list(info.value.errors())


def test_message_types_match_the_envelope_union() -> None:
    union = typing.get_args(typing.get_args(AnyMessage)[0])
    assert set(union) == set(MESSAGE_TYPES)
    assert len(MESSAGE_TYPES) == len(set(MESSAGE_TYPES)) == len(f.BUILDERS)


def test_every_topic_constant_belongs_to_exactly_one_type() -> None:
    declared = sorted(v for k, v in vars(topics).items() if k.isupper())
    assert sorted(cls.TOPIC for cls in MESSAGE_TYPES) == declared
    assert len(set(declared)) == len(declared)


@pytest.mark.parametrize("cls", MESSAGE_TYPES, ids=lambda cls: cls.__name__)
def test_type_tag_is_the_class_name(cls: type[Message]) -> None:
    assert cls.model_fields["type"].default == cls.__name__


def test_envelope_version_literal_is_schema_version() -> None:
    annotation = Envelope.model_fields["schema_version"].annotation
    assert typing.get_args(annotation) == (SCHEMA_VERSION,)


@pytest.mark.parametrize("build", ALL)
def test_envelope_of_picks_the_topic_and_keeps_the_correlation_id(build: Any) -> None:
    message = build()
    kept = Envelope.of(message, "c2139fc9de2c470fb1ec0824c0cd1a10")
    assert kept.topic == type(message).TOPIC
    assert kept.correlation_id == "c2139fc9de2c470fb1ec0824c0cd1a10"
    assert Envelope.model_validate_json(kept.to_json()) == kept


def test_envelope_of_makes_a_fresh_correlation_id_each_time() -> None:
    first, second = Envelope.of(f.bar()), Envelope.of(f.bar())
    assert first.correlation_id != second.correlation_id
    assert len(first.correlation_id) == 32
    int(first.correlation_id, 16)


def test_messages_are_frozen() -> None:
    bar = f.bar()
    with pytest.raises(ValidationError, match="frozen"):
        bar.close = Decimal("1")  # type: ignore[misc]
    envelope = Envelope.of(bar)
    with pytest.raises(ValidationError, match="frozen"):
        envelope.topic = "market.gap"  # type: ignore[misc]
    with pytest.raises(ValidationError, match="frozen"):
        f.signal().probabilities.up = 0.9  # type: ignore[misc]


@pytest.mark.parametrize("build", ALL)
def test_extra_fields_are_forbidden(build: Any) -> None:
    message = build()
    with pytest.raises(ValidationError) as info:
        type(message).model_validate({**message.model_dump(), "note": "x"})
    assert info.value.errors()[0]["type"] == "extra_forbidden"


def test_extra_fields_are_forbidden_in_nested_models_and_the_envelope() -> None:
    with pytest.raises(ValidationError, match="Extra inputs"):
        ClassProbabilities.model_validate({"up": 0.5, "down": 0.25, "flat": 0.25, "x": 0})
    raw = Envelope.of(f.bar()).to_json().replace(b'{"schema_version"', b'{"x":1,"schema_version"')
    assert [e["type"] for e in _errors(raw)] == ["extra_forbidden"]


def test_envelope_rejects_a_message_on_the_wrong_topic() -> None:
    with pytest.raises(ValidationError, match=re.escape("Bar belongs on topic 'market.bar'")):
        Envelope(topic=topics.MARKET_GAP, message=f.bar())
    raw = Envelope.of(f.bar()).to_json().replace(b'"market.bar"', b'"market.gap"')
    assert [(e["type"], e["loc"]) for e in _errors(raw)] == [("value_error", ())]


def test_envelope_rejects_an_unknown_type() -> None:
    raw = Envelope.of(f.bar()).to_json().replace(b'"type":"Bar"', b'"type":"Candle"')
    assert [(e["type"], e["loc"]) for e in _errors(raw)] == [("union_tag_invalid", ("message",))]


def test_envelope_rejects_another_schema_version() -> None:
    raw = Envelope.of(f.bar()).to_json().replace(b'"schema_version":1', b'"schema_version":2')
    assert [(e["type"], e["loc"]) for e in _errors(raw)] == [("literal_error", ("schema_version",))]


@pytest.mark.parametrize("raw", [b'{"schema_version":1,', b"not json", b"\xff\xfe{}", b""])
def test_envelope_rejects_malformed_json(raw: bytes) -> None:
    assert [e["type"] for e in _errors(raw)] == ["json_invalid"]


def test_envelope_reports_invalid_fields_inside_the_message() -> None:
    raw = Envelope.of(f.bar()).to_json().replace(b'"close":"42475.23"', b'"close":42475.23')
    errors = _errors(raw)
    assert [(e["type"], e["loc"]) for e in errors] == [("value_error", ("message", "Bar", "close"))]
    assert "floats lose money" in errors[0]["msg"]


def test_nan_is_rejected_in_float_fields() -> None:
    with pytest.raises(ValidationError, match="finite"):
        f.rebuild(f.feature_frame(), values=(float("nan"),) * len(f.FEATURES))
    with pytest.raises(ValidationError, match="finite"):
        f.rebuild(f.signal(), ood_score=float("inf"))


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"high": Decimal("42475.22")}, "high/low must enclose"),
        ({"low": Decimal("42283.59")}, "high/low must enclose"),
        ({"ts_open": f.BAR_CLOSE}, "ts_open must be before"),
    ],
)
def test_bar_rejects_an_inconsistent_candle(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        f.rebuild(f.bar(), **changes)


def test_class_probabilities_must_sum_to_one() -> None:
    assert ClassProbabilities(up=0.5731, down=0.1824, flat=0.24455).flat == 0.24455
    with pytest.raises(ValidationError, match=re.escape("sum to 1, got 0.900000")):
        ClassProbabilities(up=0.5, down=0.2, flat=0.2)
    with pytest.raises(ValidationError, match="less than or equal to 1"):
        ClassProbabilities(up=1.2, down=-0.1, flat=-0.1)


def test_feature_frame_names_and_values_must_match() -> None:
    frame = f.feature_frame()
    with pytest.raises(ValidationError, match="24 feature names but 23 values"):
        f.rebuild(frame, values=frame.values[:-1])


def test_feature_frame_is_warm_only_with_every_value() -> None:
    cold_values = (None, *f.feature_frame().values[1:])
    assert f.rebuild(f.feature_frame(), values=cold_values, warm=False).values[0] is None
    with pytest.raises(ValidationError, match="warm frame has a value"):
        f.rebuild(f.feature_frame(), values=cold_values)


def test_submit_order_limit_needs_a_price_and_market_has_none() -> None:
    with pytest.raises(ValidationError, match="limit order needs limit_price"):
        f.rebuild(f.submit_order(), limit_price=None)
    with pytest.raises(ValidationError, match="market order has none"):
        f.rebuild(f.submit_order(), order_type="market")
    market = f.rebuild(f.submit_order(), order_type="market", limit_price=None)
    assert market.limit_price is None


def test_risk_decision_accepted_cannot_hold_a_failed_verdict() -> None:
    failed = RuleVerdict(rule="ood_guard", passed=False, reason="ood_score 3.4 >= 3.0")
    decision = f.risk_decision()
    with pytest.raises(ValidationError, match="accepted decision cannot hold a failed rule"):
        f.rebuild(decision, verdicts=(*decision.verdicts, failed))
    refused = f.rebuild(
        decision, accepted=False, side=None, quantity=Decimal(0), verdicts=(failed,)
    )
    assert not refused.accepted


def test_risk_decision_refused_has_quantity_zero() -> None:
    with pytest.raises(ValidationError, match="refused decision has quantity 0"):
        f.rebuild(f.risk_decision(), accepted=False)


def test_order_filled_cumulative_includes_last() -> None:
    with pytest.raises(ValidationError, match="cumulative_quantity must include"):
        f.rebuild(f.order_filled(), cumulative_quantity=Decimal("0.01"))


def test_gap_must_start_before_it_ends() -> None:
    gap = f.gap_detected()
    with pytest.raises(ValidationError, match="gap must start before it ends"):
        f.rebuild(gap, first_missing_open=gap.first_missing_open.replace(hour=14))


def test_explanation_additivity_error_is_non_negative_or_none() -> None:
    explanation = f.explanation()
    assert f.rebuild(explanation, additivity_error=None).additivity_error is None
    with pytest.raises(ValidationError, match="greater than or equal to 0"):
        f.rebuild(explanation, additivity_error=-1e-6)
