"""Signal validation: staleness on an injected clock, pairlist, models, confidence, OOD."""

from __future__ import annotations

from exec_core.validation import CHECKS, ValidationContext, validate_signal
from tests import schema_factories as f


def _ctx(seconds: float = 60, **changes: object) -> ValidationContext:
    base = {"now": f.at(seconds), "max_age_secs": 300.0, "min_confidence": 0.55,
            "max_ood_score": 3.0, "models": frozenset({"tcn_btc_1h"}),
            "symbols": frozenset({"BTC/USDT"})}  # fmt: skip
    return ValidationContext(**{**base, **changes})  # type: ignore[arg-type]


def _failed(ctx: ValidationContext, **changes: object) -> set[str]:
    signal = f.rebuild(f.signal(), **changes)
    return {v.rule for v in validate_signal(signal, ctx) if not v.passed}


def test_golden_signal_passes() -> None:
    assert _failed(_ctx()) == set()
    assert len(validate_signal(f.signal(), _ctx())) == len(CHECKS)


def test_stale_and_future_signals_refused() -> None:
    assert _failed(_ctx(301)) == {"fresh"}
    assert _failed(_ctx(-400)) == {"fresh"}


def test_unknown_model_and_symbol() -> None:
    assert _failed(_ctx(models=frozenset({"other"}))) == {"known_model"}
    assert _failed(_ctx(models=frozenset())) == set()
    assert _failed(_ctx(symbols=frozenset({"ETH/USDT"}))) == {"known_symbol"}


def test_confidence_ood_and_flat() -> None:
    assert _failed(_ctx(), confidence=0.5) == {"confidence"}
    assert _failed(_ctx(), ood_flag=True) == {"ood"}
    assert _failed(_ctx(), ood_score=3.5) == {"ood"}
    assert _failed(_ctx(), direction="flat") == {"actionable"}
