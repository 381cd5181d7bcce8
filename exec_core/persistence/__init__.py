"""exec_core's own tables: signals, decisions and their routes, approvals, kill switch, peaks."""

from exec_core.persistence.memory import Route, Unsent
from exec_core.persistence.store import DecisionStore, StoredApproval
from exec_core.persistence.tables import Base

__all__ = ["Base", "DecisionStore", "Route", "StoredApproval", "Unsent"]
