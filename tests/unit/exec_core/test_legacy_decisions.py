"""A ledger database written by 9ed69dc: the risk gate's tables are stamped, kept and written."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from exec_core.ledger import Ledger
from exec_core.persistence import Base, DecisionStore
from tests import schema_factories as f
from tests.legacy_stores import legacy_store, tables

AT = datetime(2024, 1, 1, 12, tzinfo=UTC)


def test_a_9ed69dc_database_keeps_its_decisions_and_takes_new_ones(tmp_path: Path) -> None:
    path = legacy_store("ledger", tmp_path)
    ledger = Ledger.open(f"sqlite:///{path}")
    try:
        store = DecisionStore(ledger.engine)
        assert store.decisions_for(f.SIGNAL_ID) == 1
        route = store.route(f.SIGNAL_ID)
        assert route is not None
        assert (route.mode, route.model, route.expires_at) == (
            "auto", "tcn_btc_1h", AT.replace(hour=16),
        )  # fmt: skip
        assert store.peaks() == {"portfolio": Decimal("10000")}
        assert [a.request for a in store.approvals()] == [f.approval_requested()]
        assert store.record_decisions([f.risk_decision()], AT) == [False]  # still claimed
        later = f.rebuild(f.risk_decision(), decision_id="d-later", signal_id="s-later")
        assert store.record_decisions([later], AT) == [True]
        assert store.decisions_for("s-later") == 1
    finally:
        ledger.close()
    found = tables(path)
    assert (found["alembic_version"], found["risk_alembic_version"]) == ("v0002", "risk_0001")


def _risk_table(name: str | None, kind: str, _parents: object) -> bool:
    return kind != "table" or ((name or "").startswith("risk_") and name != "risk_alembic_version")


def test_the_revisions_make_the_tables_the_models_describe(tmp_path: Path) -> None:
    ledger = Ledger.open(f"sqlite:///{tmp_path / 'ledger.sqlite'}")
    try:
        DecisionStore(ledger.engine)
        with ledger.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"include_name": _risk_table})
            assert compare_metadata(context, Base.metadata) == []
    finally:
        ledger.close()
