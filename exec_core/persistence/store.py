"""Persist risk decisions before they are published; claim signal ids exactly once."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from exec_core.persistence.memory import Route, Unsent, save_peaks
from exec_core.persistence.tables import (
    ApprovalRow,
    DecisionRow,
    KillSwitchRow,
    PeakRow,
    RouteRow,
    SeenSignal,
)
from signal_schema import ApprovalDecided, ApprovalRequested, KillSwitchChanged, RiskDecision
from store_migrations import Migrations, upgrade_engine

MIGRATIONS = Migrations(
    Path(__file__).resolve().parent / "migrations",
    head="risk_0001",
    version_table="risk_alembic_version",  # the ledger's database keeps its own alembic_version
    baseline="risk_0001",
    marker="risk_decisions",
)
"""The risk tables' schema: Alembic revisions, the first one as released at 9ed69dc."""


@dataclass(frozen=True, slots=True)
class StoredApproval:
    """An approval as stored: the request and, once decided, who decided and how."""

    request: ApprovalRequested
    status: str
    decided_by: str | None
    channel: str | None


def _sqlite_pragmas(connection: object, _record: object) -> None:
    cursor = connection.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.close()


def make_engine(url: str) -> Engine:
    """Return an engine for `url`; SQLite in WAL mode with full sync (survives SIGKILL)."""
    engine = create_engine(url)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


_CLAIM = insert(SeenSignal)
_DECIDE = insert(DecisionRow)
_ROUTE = insert(RouteRow)


def _decision_row(decision: RiskDecision) -> dict[str, object]:
    return {
        "decision_id": decision.decision_id,
        "signal_id": decision.signal_id,
        "symbol": decision.symbol,
        "accepted": decision.accepted,
        "side": decision.side,
        "quantity": format(decision.quantity, "f"),
        "verdicts": [v.model_dump(mode="json") for v in decision.verdicts],
        "decided_at": decision.ts_event,
    }


class DecisionStore:
    """The risk gate's tables in one database.

    Parameters
    ----------
    engine
        SQLAlchemy engine (the ledger's, or one from `make_engine`).
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        upgrade_engine(engine, MIGRATIONS)
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    def record_decisions(
        self,
        decisions: Sequence[RiskDecision],
        received_at: datetime,
        *,
        routes: Sequence[Route] = (),
        peaks: Mapping[str, Decimal] | None = None,
    ) -> list[bool]:
        """Claim each decision's signal id and persist the decisions in one transaction.

        Returns, per decision, False when its signal id was claimed before (a duplicate:
        nothing of it is written). Claim, decision and the accepted decisions' `routes`
        commit together, so a crash can never leave a signal claimed but undecided, nor an
        accepted decision without what it takes to send it. Raised equity `peaks` ride
        along. When any id of the batch is a duplicate the batch is rolled back and written
        one decision per transaction.
        """
        if not decisions:
            return []
        try:
            with self.engine.begin() as conn:
                conn.execute(
                    _CLAIM,
                    [{"signal_id": d.signal_id, "received_at": received_at} for d in decisions],
                )
                conn.execute(_DECIDE, [_decision_row(d) for d in decisions])
                if routes:
                    conn.execute(_ROUTE, [r.values() for r in routes])
                save_peaks(conn, peaks or {}, received_at)
        except IntegrityError:
            if len(decisions) == 1:
                return [False]
            self.save_peaks(peaks or {}, received_at)
            by_id = {r.signal_id: r for r in routes}
            return [
                self.record_decisions([d], received_at, routes=_routes_of(d, by_id))[0]
                for d in decisions
            ]
        return [True] * len(decisions)

    def save_peaks(self, peaks: Mapping[str, Decimal], at: datetime) -> None:
        """Persist raised equity peaks by scope (nothing when there are none)."""
        if peaks:
            with self.engine.begin() as conn:
                save_peaks(conn, peaks, at)

    def peaks(self) -> dict[str, Decimal]:
        """Return the persisted equity peaks by scope."""
        with self.engine.connect() as conn:
            return {r.scope: r.peak for r in conn.execute(select(PeakRow.scope, PeakRow.peak))}

    def route(self, signal_id: str) -> Route | None:
        """Return how `signal_id`'s accepted decision is routed, None if unknown."""
        with Session(self.engine) as session:
            row = session.get(RouteRow, signal_id)
            return None if row is None else Route.of(row)

    def unexpired_routes(self, mode: str, *, approved_only: bool = False) -> list[Unsent]:
        """Return the accepted decisions routed in `mode` not marked expired, oldest first.

        With `approved_only` (manual mode), only those a human approved.
        """
        query = (
            select(RouteRow, DecisionRow.symbol, DecisionRow.side, DecisionRow.quantity)
            .join(DecisionRow, DecisionRow.signal_id == RouteRow.signal_id)
            .where(RouteRow.mode == mode, RouteRow.expired_at.is_(None))
            .order_by(RouteRow.signal_at, RouteRow.signal_id)
        )
        if approved_only:
            query = query.join(ApprovalRow, ApprovalRow.signal_id == RouteRow.signal_id).where(
                ApprovalRow.status == "approved"
            )
        with Session(self.engine) as session:
            return [
                Unsent(Route.of(row), symbol, side, Decimal(quantity))  # type: ignore[arg-type]
                for row, symbol, side, quantity in session.execute(query)
            ]

    def expire_route(self, signal_id: str, at: datetime, reason: str) -> None:
        """Mark an accepted decision as never to be sent, and why."""
        with self._sessions.begin() as session:
            session.execute(
                update(RouteRow)
                .where(RouteRow.signal_id == signal_id)
                .values(expired_at=at, reason=reason)
            )

    def decisions_for(self, signal_id: str) -> int:
        """Return how many decisions were stored for `signal_id` (0 or 1)."""
        with Session(self.engine) as session:
            rows = session.scalars(select(DecisionRow).where(DecisionRow.signal_id == signal_id))
            return len(rows.all())

    def save_approval(self, request: ApprovalRequested) -> None:
        """Store a pending approval."""
        with self._sessions.begin() as session:
            session.add(
                ApprovalRow(
                    approval_id=request.approval_id,
                    signal_id=request.signal_id,
                    status="pending",
                    request=request.model_dump_json(),
                    expires_at=request.expires_at,
                )
            )

    def decide_approval(self, decided: ApprovalDecided) -> bool:
        """Record `decided` if the approval is still pending; False when it was not."""
        status = "approved" if decided.approved else "rejected"
        with self._sessions.begin() as session:
            result = session.execute(
                update(ApprovalRow)
                .where(
                    ApprovalRow.approval_id == decided.approval_id,
                    ApprovalRow.status == "pending",
                )
                .values(
                    status=status,
                    decided_by=decided.decided_by,
                    channel=decided.channel,
                    reason=decided.reason,
                    decided_at=decided.ts_event,
                )
            )
            return bool(result.rowcount)  # type: ignore[attr-defined]

    def approvals(self, status: str | None = "pending") -> list[StoredApproval]:
        """Return approvals with `status` (all when None), oldest first."""
        query = select(ApprovalRow).order_by(ApprovalRow.expires_at)
        if status is not None:
            query = query.where(ApprovalRow.status == status)
        with Session(self.engine) as session:
            return [
                StoredApproval(
                    ApprovalRequested.model_validate_json(row.request),
                    row.status,
                    row.decided_by,
                    row.channel,
                )
                for row in session.scalars(query)
            ]

    def save_kill_switch(self, changed: KillSwitchChanged) -> None:
        """Append a kill-switch change to its audit."""
        with self._sessions.begin() as session:
            session.add(
                KillSwitchRow(
                    engaged=changed.engaged,
                    reason=changed.reason,
                    changed_by=changed.changed_by,
                    channel=changed.channel,
                    changed_at=changed.ts_event,
                )
            )

    def kill_switch(self) -> KillSwitchRow | None:
        """Return the newest kill-switch change, or None if it never changed."""
        query = select(KillSwitchRow).order_by(KillSwitchRow.id.desc()).limit(1)
        with Session(self.engine) as session:
            return session.scalars(query).first()


def _routes_of(decision: RiskDecision, by_id: Mapping[str, Route]) -> tuple[Route, ...]:
    route = by_id.get(decision.signal_id)
    return () if route is None else (route,)


def utc_now() -> datetime:
    """Return the current UTC time."""
    return datetime.now(UTC)
