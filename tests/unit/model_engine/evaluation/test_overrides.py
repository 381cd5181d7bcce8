"""`ntx evaluate --set key=value`: protocol overrides are validated, never silently ignored."""

from __future__ import annotations

import pytest

from model_engine.evaluation.config import ProtocolConfig, with_overrides


def test_overrides_reach_nested_and_top_level_settings() -> None:
    config = with_overrides(
        ProtocolConfig(), ["dl.window=72", "dl.seeds=[0,1,2,3]", "hold_multiples=[1,4]"]
    )
    assert config.dl.window == 72
    assert config.dl.seeds == (0, 1, 2, 3)
    assert config.hold_multiples == (1, 4)
    assert config.dl.hidden == ProtocolConfig().dl.hidden


def test_no_override_keeps_the_default_protocol() -> None:
    assert with_overrides(ProtocolConfig(), []) == ProtocolConfig()


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ("dl.window", "expected key=value"),
        ("dl.windw=3", "unknown setting 'windw'"),
        ("window.dl=3", "'window' is not a section"),
        ("dl.window=1", "override refused"),
        ("dl.window=wide", "override refused"),
    ],
)
def test_bad_overrides_are_refused_with_the_reason(override: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        with_overrides(ProtocolConfig(), [override])
