"""Pending approvals: request with a why-card, decide once (first channel wins), expire."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from decimal import Decimal

from pydantic import ValidationError

from exec_core.persistence import DecisionStore, StoredApproval
from signal_schema import ApprovalDecided, ApprovalRequested, RiskDecision, Signal

log = logging.getLogger(__name__)
Clock = Callable[[], datetime]


def why_card(
    signal: Signal, decision: RiskDecision, *, price: Decimal, now: datetime,
    timeout_secs: float, top: int,
) -> ApprovalRequested:  # fmt: skip
    """Return the approval request: direction, confidence, top attributions, verdicts, size."""
    if decision.side is None:
        raise ValueError("only an accepted decision (with a side) can wait for approval")
    ranked = sorted(signal.explanation.attributions, key=lambda a: abs(a.attribution))
    return ApprovalRequested(
        ts_event=now,
        ts_init=now,
        approval_id=f"apr-{decision.decision_id}",
        signal_id=signal.signal_id,
        decision_id=decision.decision_id,
        symbol=signal.symbol,
        direction=signal.direction,
        confidence=signal.confidence,
        side=decision.side,
        quantity=decision.quantity,
        price=price,
        top_attributions=tuple(reversed(ranked))[:top],
        verdicts=decision.verdicts,
        expires_at=now + timedelta(seconds=timeout_secs),
    )


class ApprovalBook:
    """Approvals as stored in `store`; every decision is audited with its channel.

    Parameters
    ----------
    store
        Where requests and decisions are persisted (survives restarts).
    clock
        UTC clock (a replay's simulated one, or the wall clock).
    """

    def __init__(self, store: DecisionStore, clock: Clock) -> None:
        self.store = store
        self.clock = clock

    def request(self, request: ApprovalRequested) -> None:
        """Persist a pending approval (before `ApprovalRequested` is published)."""
        self.store.save_approval(request)

    def pending(self) -> list[ApprovalRequested]:
        """Return the approvals still waiting, oldest deadline first."""
        return [a.request for a in self.store.approvals("pending")]

    def get(self, approval_id: str) -> StoredApproval | None:
        """Return one approval in any state, or None."""
        found = [a for a in self.store.approvals(None) if a.request.approval_id == approval_id]
        return found[0] if found else None

    def decide(
        self, approval_id: str, *, approved: bool, by: str, channel: str, reason: str | None
    ) -> ApprovalDecided | None:
        """Decide a pending approval; return None if it is unknown or already decided."""
        now = self.clock()
        try:
            decided = ApprovalDecided.model_validate(
                {
                    "ts_event": now, "ts_init": now, "approval_id": approval_id,
                    "approved": approved, "decided_by": by, "channel": channel, "reason": reason,
                }
            )  # fmt: skip
        except ValidationError as exc:  # e.g. an id no request could have: it is unknown
            log.info("approval %.140r: not a valid decision (%s); %s ignored",
                     approval_id, exc.errors(include_url=False)[0]["msg"], channel)  # fmt: skip
            return None
        if not self.store.decide_approval(decided):
            log.info("approval %s: already decided or unknown; %s ignored", approval_id, channel)
            return None
        log.info(
            "approval %s %s by %s via %s",
            approval_id,
            "approved" if approved else "rejected",
            by,
            channel,
            extra={"event": "approval_decided", "approval_id": approval_id, "channel": channel},
        )
        return decided

    def expire(self) -> list[ApprovalDecided]:
        """Reject every pending approval past its deadline (channel ``timeout``)."""
        now = self.clock()
        expired: list[ApprovalDecided] = []
        for request in self.pending():
            if request.expires_at <= now:
                decided = self.decide(
                    request.approval_id, approved=False, by="timeout", channel="timeout",
                    reason="no answer before the deadline",
                )  # fmt: skip
                if decided is not None:
                    expired.append(decided)
        return expired
