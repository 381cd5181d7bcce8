"""Approvals: auto, or manual with a why-card, first answer wins, timeout rejects."""

from exec_core.approvals.book import ApprovalBook, why_card

__all__ = ["ApprovalBook", "why_card"]
