"""exec_core's own tables: seen signal ids, risk decisions, approvals, kill-switch audit."""

from exec_core.persistence.store import DecisionStore, StoredApproval
from exec_core.persistence.tables import Base

__all__ = ["Base", "DecisionStore", "StoredApproval"]
