"""The HTTP API over real sockets: health, OpenAPI, forwarding, auth and a service that is down."""

from __future__ import annotations

import httpx
import pytest

from neurotradex.gateway import ROUTES
from tests.integration.gateway.conftest import BUS, OPERATOR, READ, bearer


async def test_openapi_and_health_need_no_token(http: httpx.AsyncClient) -> None:
    spec = await http.get("/openapi.json")
    health = await http.get("/api/health")
    assert spec.status_code == 200
    assert {route.path for route in ROUTES} <= set(spec.json()["paths"])
    assert health.status_code == 200
    body = health.json()
    assert body["status"] == "degraded"
    assert body["services"]["exec_core"] == {"status": "ok", "service": "exec_core"}
    assert body["services"]["model_engine"]["status"] == "ok"
    assert body["services"]["data_core"]["status"] == "down"
    assert "ConnectError" in body["services"]["data_core"]["error"]
    assert body["relay"] == {
        "clients": 0,
        "upstreams": {
            "data_core": False,
            "model_engine": True,
            "exec_core": True,
            "alert_system": False,
        },
    }


async def test_read_is_forwarded_with_its_query_string(http: httpx.AsyncClient) -> None:
    query = "symbol=BTC%2FUSDT&limit=5&limit=6"
    answer = await http.get(f"/api/signals?{query}", headers=bearer(READ))
    assert answer.status_code == 200
    echoed = answer.json()
    assert echoed["service"] == "model_engine"
    assert (echoed["method"], echoed["path"], echoed["query"]) == ("GET", "/api/signals", query)
    assert echoed["authorization"] == f"Bearer {BUS}"  # the caller's token never goes upstream


async def test_path_parameters_and_upstream_status_pass_through(http: httpx.AsyncClient) -> None:
    explained = await http.get(
        "/api/signals/01HK3TQ8/explanation", params={"method": "lime"}, headers=bearer(OPERATOR)
    )
    missing = await http.get("/api/signals/missing", headers=bearer(READ))
    assert explained.json()["path"] == "/api/signals/01HK3TQ8/explanation"
    assert explained.json()["query"] == "method=lime"
    assert missing.status_code == 404
    assert missing.json()["path"] == "/api/signals/missing"


async def test_path_parameters_are_re_encoded_and_dot_segments_refused(
    http: httpx.AsyncClient,
) -> None:
    spaced = await http.get("/api/signals/a%20b%3F", headers=bearer(READ))
    dotted = await http.get("/api/signals/%2E%2E", headers=bearer(READ))
    assert spaced.json()["path"] == "/api/signals/a b?"
    assert spaced.json()["query"] == ""
    assert dotted.status_code == 404
    assert dotted.json() == {"detail": "Not Found"}


async def test_operator_action_needs_the_operator_token(http: httpx.AsyncClient) -> None:
    refused = await http.post("/api/kill", json={"engaged": True}, headers=bearer(READ))
    assert refused.status_code == 403
    forwarded = await http.post("/api/kill", json={"engaged": True}, headers=bearer(OPERATOR))
    assert forwarded.status_code == 200
    echoed = forwarded.json()
    assert echoed["service"] == "exec_core"
    assert (echoed["method"], echoed["path"]) == ("POST", "/api/kill")
    assert echoed["body"] == '{"engaged":true}'
    assert echoed["content_type"] == "application/json"


async def test_approval_decision_is_forwarded(http: httpx.AsyncClient) -> None:
    answer = await http.post(
        "/api/approvals/apr-7", json={"decision": "approve"}, headers=bearer(OPERATOR)
    )
    assert answer.json()["path"] == "/api/approvals/apr-7"


@pytest.mark.parametrize("headers", [{}, bearer("wrong-token")], ids=["missing", "wrong"])
@pytest.mark.parametrize(("method", "path"), [("GET", "/api/orders"), ("POST", "/api/kill")])
async def test_missing_or_wrong_token_is_401(
    http: httpx.AsyncClient, headers: dict[str, str], method: str, path: str
) -> None:
    answer = await http.request(method, path, headers=headers)
    assert answer.status_code == 401
    assert answer.headers["www-authenticate"].startswith("Bearer")


async def test_a_service_that_is_down_gives_503_json(http: httpx.AsyncClient) -> None:
    answer = await http.get("/api/bars", params={"symbol": "BTC/USDT"}, headers=bearer(READ))
    assert answer.status_code == 503
    body = answer.json()
    assert (body["error"], body["service"]) == ("upstream_unavailable", "data_core")
    assert "data_core is unavailable" in body["detail"]
