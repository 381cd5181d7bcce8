"""A signal store written by 9ed69dc opens with its signal and window, stamped and writable."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from model_engine.signals_store import SignalStore
from tests import schema_factories as f
from tests.legacy_stores import legacy_store, tables


def test_a_9ed69dc_store_keeps_its_signal_and_takes_new_ones(tmp_path: Path) -> None:
    path = legacy_store("signals", tmp_path)
    store = SignalStore(path)
    try:
        old = store.get(f.SIGNAL_ID)
        assert old is not None
        assert old.signal == f.signal()
        assert old.raw_gap == pytest.approx(0.0125)
        assert old.window is not None
        assert old.window.tolist() == np.arange(12, dtype=np.float32).reshape(4, 3).tolist()
        newer = f.rebuild(f.signal(), signal_id="01HK3TQ8W5C9J2ZV7E4M6T1B0Y", ts_event=f.at(7200))
        store.add([newer])
        assert [s.signal_id for s in store.query(symbol=f.SYMBOL)] == [
            newer.signal_id, f.SIGNAL_ID,
        ]  # fmt: skip
    finally:
        store.close()
    assert tables(path) == {"signals": "", "alembic_version": "signals_0001"}
