"""exec_core's HTTP routes: risk state, kill switch and approvals (the gateway forwards them).

POST routes require ``Authorization: Bearer <NTX_BUS_TOKEN>``: the gateway presents it after
checking the operator token, so a POST here is an operator's: the audit records
``operator`` via ``api`` (set here, never taken from the body).
"""

from __future__ import annotations

import hmac
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Path
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, ConfigDict, Field, SecretStr

from exec_core.commands import risk_report, set_kill_switch
from exec_core.engine import ExecEngine

_bearer = HTTPBearer(auto_error=False)


class KillBody(BaseModel):
    """Body of ``POST /api/kill``."""

    model_config = ConfigDict(extra="forbid")
    engaged: bool
    reason: str = Field(default="operator request", max_length=2_000)


class ApprovalBody(BaseModel):
    """Body of ``POST /api/approvals/{approval_id}``."""

    model_config = ConfigDict(extra="forbid")
    approved: bool
    reason: str | None = Field(default=None, max_length=2_000)


OPERATOR = "operator"
"""Who an HTTP command is recorded as: the role of the token the gateway checked."""

ApprovalId = Annotated[
    str,
    Path(
        min_length=1,
        max_length=128,
        pattern=r"^[A-Za-z0-9_.:\-]+$",
        description="An approval id: 1-128 letters, digits and `_.:-`.",
    ),
]


def risk_router(engine: ExecEngine, token: SecretStr) -> APIRouter:
    """Return the routes ``/api/risk``, ``/api/kill`` and ``/api/approvals``."""
    router = APIRouter(tags=["exec_core"])
    expected = token.get_secret_value().encode()

    def require_token(
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    ) -> None:
        given = b"" if credentials is None else credentials.credentials.encode()
        if not hmac.compare_digest(given, expected):
            raise HTTPException(401, "a valid bearer token is required")

    guarded = [Depends(require_token)]

    @router.get("/api/risk")
    async def get_risk() -> dict[str, Any]:
        return risk_report(engine, engine.breached)

    @router.post("/api/kill", dependencies=guarded)
    async def post_kill(body: KillBody) -> dict[str, Any]:
        changed = await set_kill_switch(engine, body.engaged, body.reason, OPERATOR, "api")
        return changed.model_dump(mode="json")

    @router.get("/api/approvals")
    async def get_approvals() -> list[dict[str, Any]]:
        return [a.model_dump(mode="json") for a in engine.approvals.pending()]

    @router.get("/api/approvals/{approval_id}")
    async def get_approval(approval_id: ApprovalId) -> dict[str, Any]:
        stored = engine.approvals.get(approval_id)
        if stored is None:
            raise HTTPException(404, f"approval {approval_id} is unknown")
        return {
            "approval_id": approval_id,
            "status": stored.status,
            "decided_by": stored.decided_by,
            "channel": stored.channel,
            "request": stored.request.model_dump(mode="json"),
        }

    @router.post("/api/approvals/{approval_id}", dependencies=guarded)
    async def post_approval(approval_id: ApprovalId, body: ApprovalBody) -> dict[str, Any]:
        decided = await engine.decide(
            approval_id, approved=body.approved, by=OPERATOR, channel="api", reason=body.reason
        )
        if decided is None:
            raise HTTPException(409, f"approval {approval_id} is unknown or already decided")
        return decided.model_dump(mode="json")

    return router
