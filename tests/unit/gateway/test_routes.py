"""The route table covers the forwarded API, and OpenAPI documents it with its auth."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from pydantic import SecretStr

from neurotradex.gateway import ROUTES, ApiTokens, GatewaySettings, Relay, create_app

EXPECTED = {
    ("GET", "/api/bars", "data_core"),
    ("GET", "/api/signals", "model_engine"),
    ("GET", "/api/signals/{signal_id}", "model_engine"),
    ("GET", "/api/signals/{signal_id}/explanation", "model_engine"),
    ("GET", "/api/models", "model_engine"),
    ("GET", "/api/positions", "exec_core"),
    ("GET", "/api/orders", "exec_core"),
    ("GET", "/api/portfolio", "exec_core"),
    ("GET", "/api/risk", "exec_core"),
    ("POST", "/api/kill", "exec_core"),
    ("GET", "/api/approvals", "exec_core"),
    ("GET", "/api/approvals/{approval_id}", "exec_core"),
    ("POST", "/api/approvals/{approval_id}", "exec_core"),
}
TOKENS = ApiTokens(SecretStr("read-token"), SecretStr("operator-token"))


def _app(dashboard_dir: Path | None = None) -> FastAPI:
    settings = GatewaySettings(
        dashboard_dir=dashboard_dir,
        read_token=SecretStr("read-token"),
        operator_token=SecretStr("operator-token"),
        bus_token=SecretStr("bus-token"),
    )
    return create_app(settings, TOKENS, relay=Relay.from_settings(settings, TOKENS))


def _client(app: FastAPI) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gateway")


def test_the_table_holds_exactly_the_forwarded_api() -> None:
    assert {(r.method, r.path, r.service) for r in ROUTES} == EXPECTED
    assert len(ROUTES) == len(EXPECTED)


def test_reads_need_the_read_token_and_actions_the_operator_token() -> None:
    assert {r.path for r in ROUTES if r.level == "operator"} == {
        "/api/kill",
        "/api/approvals/{approval_id}",
    }
    assert all(r.level == "read" for r in ROUTES if r.method == "GET")


def test_openapi_lists_every_route_with_its_security_and_parameters() -> None:
    spec: dict[str, Any] = _app().openapi()
    for route in ROUTES:
        operation = spec["paths"][route.path][route.method.lower()]
        assert operation["security"] == [{"NtxToken": []}]
        assert operation["operationId"] == route.operation_id
        assert "401" in operation["responses"]
        assert "503" in operation["responses"]
        assert ("403" in operation["responses"]) == (route.level == "operator")
        declared = {p["name"] for p in operation.get("parameters", []) if p["in"] == "path"}
        assert declared == {part[1:-1] for part in route.path.split("/") if part.startswith("{")}
    explain = spec["paths"]["/api/signals/{signal_id}/explanation"]["get"]
    method = next(p for p in explain["parameters"] if p["name"] == "method")
    assert method["schema"]["enum"] == ["shap", "lime"]
    detail = next(p for p in explain["parameters"] if p["name"] == "detail")
    assert detail["schema"]["enum"] == ["steps"]
    signals = {p["name"]: p["schema"] for p in spec["paths"]["/api/signals"]["get"]["parameters"]}
    assert signals["start_ms"] == signals["end_ms"] == {
        "type": "integer", "minimum": -(2**63), "maximum": 2**63 - 1,
    }  # fmt: skip
    assert (signals["limit"]["minimum"], signals["limit"]["maximum"]) == (1, 1_000)
    decide = spec["paths"]["/api/approvals/{approval_id}"]["post"]
    assert decide["parameters"][0]["schema"]["maxLength"] == 128
    body = decide["requestBody"]["content"]["application/json"]["schema"]
    assert (body["required"], body["additionalProperties"]) == (["approved"], False)
    assert "security" not in spec["paths"]["/api/health"]["get"]
    assert spec["components"]["securitySchemes"]["NtxToken"]["scheme"] == "bearer"
    assert (
        len({op["operationId"] for p in spec["paths"].values() for op in p.values()})
        == len(ROUTES) + 1
    )


async def test_without_a_dashboard_the_root_is_the_live_page() -> None:
    async with _client(_app()) as http:
        page = await http.get("/")
    assert page.status_code == 200
    assert "NeuroTradeX — live" in page.text
    assert "/api/health" in page.text
    assert "/openapi.json" in page.text
    assert "/ws`" in page.text  # follows the relay on the same origin
    assert 'op: "subscribe", topics: ["*"], token' in page.text  # token in the first message
    assert "?token" not in page.text


@pytest.mark.parametrize("missing", [True, False])
async def test_the_dashboard_is_served_below_the_api(tmp_path: Path, missing: bool) -> None:
    export = tmp_path / "out"
    if not missing:
        export.mkdir()
        (export / "index.html").write_text("<h1>dashboard</h1>")
    async with _client(_app(export)) as http:
        root = await http.get("/")
        spec = await http.get("/openapi.json")
        unauthorised = await http.get("/api/signals")
    assert ("NeuroTradeX — live" in root.text) == missing
    assert ("<h1>dashboard</h1>" in root.text) != missing
    assert spec.json()["info"]["title"] == "NeuroTradeX gateway"
    assert unauthorised.status_code == 401
