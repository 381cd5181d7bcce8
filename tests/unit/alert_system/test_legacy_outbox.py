"""An outbox written by 9ed69dc opens with its rows, its dedup key and its states intact."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from alert_system.outbox import Outbox
from tests.legacy_stores import legacy_store, tables

ALERT_ID = "Signal:01HK3TQ8W5C9J2ZV7E4M6T1B0X"


def test_a_9ed69dc_outbox_keeps_its_rows_and_takes_new_ones(tmp_path: Path) -> None:
    path = legacy_store("outbox", tmp_path)
    box = Outbox(path)
    try:
        assert box.counts() == {"delivered": 1, "pending": 1}
        [pending] = box.pending("webhook", "hooks")
        assert pending.alert_id == ALERT_ID
        assert pending.body.startswith(f"Signal BTC/USDT up [{ALERT_ID}]")
        assert box.pending("telegram", "ops") == []
        assert not box.add(pending)  # the dedup key is still the primary key
        assert box.add(replace(pending, alert_id="Signal:later"))
        assert box.next_due("webhook", "hooks", pending.created_at) == pending
        box.delivered(pending, 1)
        assert box.counts() == {"delivered": 2, "pending": 1}
    finally:
        box.close()
    assert tables(path) == {"outbox": "", "alembic_version": "outbox_0002"}


def test_a_9ed69dc_outbox_records_attempts_after_the_upgrade(tmp_path: Path) -> None:
    """outbox_0002 on a released outbox: an attempt cut off by a crash is resent, once."""
    path = legacy_store("outbox", tmp_path)
    crashed = Outbox(path)  # never closed: the process dies mid-send
    [pending] = crashed.pending("webhook", "hooks")
    crashed.start(pending, pending.created_at + 5)
    assert crashed.next_due("webhook", "hooks", 1e12) is None  # in flight: not taken twice
    box = Outbox(path)
    try:
        assert box.recovered == [pending]
        assert box.in_doubt() == 1
        assert box.next_due("webhook", "hooks", 1e12) == pending
        box.start(pending, pending.created_at + 6)
        box.delivered(pending, 1, pending.created_at + 7)
        assert box.counts() == {"delivered": 2}
    finally:
        box.close()
    again = Outbox(path)  # a delivered row is never in doubt
    try:
        assert again.recovered == []
        assert again.next_due("webhook", "hooks", 1e12) is None
    finally:
        again.close()
    crashed.close()
