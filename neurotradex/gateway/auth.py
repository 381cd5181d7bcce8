"""FastAPI dependencies that check the `Authorization: Bearer` token of a request."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from neurotradex.gateway.tokens import AccessLevel, ApiTokens

log = logging.getLogger(__name__)

bearer = HTTPBearer(
    auto_error=False,
    scheme_name="NtxToken",
    description="The read token for reads, the operator token for operator actions.",
)
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]

UNAUTHORIZED: dict[int | str, dict[str, Any]] = {401: {"description": "Missing or wrong token"}}
FORBIDDEN: dict[int | str, dict[str, Any]] = {403: {"description": "Operator token required"}}


class Authorizer:
    """Hold the tokens and offer one dependency per access level."""

    def __init__(self, tokens: ApiTokens) -> None:
        self._tokens = tokens

    async def read(self, request: Request, credentials: Credentials) -> AccessLevel:
        """Admit the read or the operator token; refuse anything else with 401."""
        return self._check(request, credentials, "read")

    async def operator(self, request: Request, credentials: Credentials) -> AccessLevel:
        """Admit the operator token; 401 for no or a wrong token, 403 for the read token."""
        return self._check(request, credentials, "operator")

    def dependency(self, level: AccessLevel) -> Callable[..., Awaitable[AccessLevel]]:
        """Return the dependency that enforces `level`."""
        return self.operator if level == "operator" else self.read

    def _check(
        self,
        request: Request,
        credentials: HTTPAuthorizationCredentials | None,
        needed: AccessLevel,
    ) -> AccessLevel:
        presented = credentials.credentials if credentials is not None else None
        granted = self._tokens.level_of(presented)
        if granted is None:
            log.warning("refused %s %s: missing or wrong token", request.method, request.url.path)
            reason = "missing" if presented is None else "invalid_token"
            challenge = "Bearer" if presented is None else 'Bearer error="invalid_token"'
            raise HTTPException(
                status.HTTP_401_UNAUTHORIZED,
                detail=f"unauthorized: {reason}",
                headers={"WWW-Authenticate": challenge},
            )
        if needed == "operator" and granted != "operator":
            log.warning(
                "refused %s %s: read token on an operator action", request.method, request.url.path
            )
            raise HTTPException(status.HTTP_403_FORBIDDEN, detail="operator token required")
        return granted
