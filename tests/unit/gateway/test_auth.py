"""The read and operator dependencies: 401 for no or a wrong token, 403 for read on operator."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import Depends, FastAPI
from pydantic import SecretStr

from neurotradex.gateway.auth import Authorizer
from neurotradex.gateway.tokens import AccessLevel, ApiTokens

READ = "read-token-0123456789"
OPERATOR = "operator-token-0123456789"


def _app() -> FastAPI:
    auth = Authorizer(ApiTokens(SecretStr(READ), SecretStr(OPERATOR)))
    app = FastAPI()

    @app.get("/read")
    async def read(level: AccessLevel = Depends(auth.read)) -> dict[str, str]:  # noqa: B008
        return {"level": level}

    @app.post("/operate")
    async def operate(level: AccessLevel = Depends(auth.operator)) -> dict[str, str]:  # noqa: B008
        return {"level": level}

    return app


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=_app())
    async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as http:
        yield http


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.mark.parametrize(
    ("method", "path", "headers", "status", "level"),
    [
        ("GET", "/read", _bearer(READ), 200, "read"),
        ("GET", "/read", _bearer(OPERATOR), 200, "operator"),
        ("POST", "/operate", _bearer(OPERATOR), 200, "operator"),
        ("POST", "/operate", _bearer(READ), 403, None),
    ],
)
async def test_outcomes(
    client: httpx.AsyncClient,
    method: str,
    path: str,
    headers: dict[str, str],
    status: int,
    level: str | None,
) -> None:
    answer = await client.request(method, path, headers=headers)
    assert answer.status_code == status
    if level is not None:
        assert answer.json() == {"level": level}
    else:
        assert answer.json() == {"detail": "operator token required"}


@pytest.mark.parametrize("path", ["/read", "/operate"])
@pytest.mark.parametrize(
    "headers",
    [{}, _bearer("wrong"), {"Authorization": f"Basic {READ}"}, {"Authorization": "Bearer"}],
    ids=["missing", "wrong", "not-bearer", "empty"],
)
async def test_missing_or_wrong_token_is_401_with_a_bearer_challenge(
    client: httpx.AsyncClient, path: str, headers: dict[str, str]
) -> None:
    method = "GET" if path == "/read" else "POST"
    answer = await client.request(method, path, headers=headers)
    assert answer.status_code == 401
    assert answer.headers["WWW-Authenticate"].startswith("Bearer")
    assert READ not in answer.text
    assert OPERATOR not in answer.text


async def test_a_token_in_the_url_is_not_accepted(client: httpx.AsyncClient) -> None:
    answer = await client.get("/read", params={"token": READ, "access_token": READ})
    assert answer.status_code == 401
