"""The forwarded API: one table of route -> owning service, declared so OpenAPI lists it."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import quote

from fastapi import Depends, FastAPI, Request, Response
from fastapi.responses import JSONResponse

from neurotradex.gateway.auth import FORBIDDEN, UNAUTHORIZED, Authorizer
from neurotradex.gateway.proxy import Proxy
from neurotradex.gateway.settings import ServiceName
from neurotradex.gateway.tokens import AccessLevel

Method = Literal["GET", "POST"]
_PATH_PARAM = re.compile(r"{(\w+)}")
_DOT_SEGMENTS = frozenset({".", ".."})


ID_SCHEMA: dict[str, Any] = {
    "type": "string",
    "minLength": 1,
    "maxLength": 128,
    "pattern": r"^[A-Za-z0-9_.:\-]+$",
}
"""A signal or approval id, as the owning service validates it (else 422)."""

INT64_SCHEMA: dict[str, Any] = {"type": "integer", "minimum": -(2**63), "maximum": 2**63 - 1}
"""A time in ms since the epoch: the services store int64 (outside it: 422)."""

SYMBOL_SCHEMA: dict[str, Any] = {"type": "string", "minLength": 1, "maxLength": 64}


def _limit(default: int, most: int) -> dict[str, Any]:
    return {"type": "integer", "minimum": 1, "maximum": most, "default": default}


def _body(properties: dict[str, Any], required: tuple[str, ...]) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": properties,
        "required": list(required),
        "additionalProperties": False,
    }


_REASON: dict[str, Any] = {"type": "string", "maxLength": 2_000}


@dataclass(frozen=True, slots=True)
class QueryParam:
    """A query parameter documented in OpenAPI (the whole query string is forwarded).

    `schema` states what the owning service accepts; anything else it answers with 422.
    """

    name: str
    description: str
    choices: tuple[str, ...] = ()
    schema: Mapping[str, Any] = field(default_factory=lambda: {"type": "string"})
    required: bool = False


@dataclass(frozen=True, slots=True)
class ForwardedRoute:
    """One gateway route that forwards to the same path on the owning service."""

    method: Method
    path: str
    service: ServiceName
    summary: str
    query: tuple[QueryParam, ...] = ()
    body: Mapping[str, Any] | None = None

    @property
    def level(self) -> AccessLevel:
        """Reads need the read token; every state-changing call needs the operator token."""
        return "read" if self.method == "GET" else "operator"

    @property
    def operation_id(self) -> str:
        """A stable OpenAPI operation id, e.g. `get_signals_signal_id_explanation`."""
        words = [part.strip("{}") for part in self.path.split("/")[2:]]
        return "_".join([self.method.lower(), *words])


ROUTES: tuple[ForwardedRoute, ...] = (
    ForwardedRoute(
        "GET",
        "/api/bars",
        "data_core",
        "Stored OHLCV bars",
        (
            QueryParam(
                "symbol", "unified symbol, e.g. BTC/USDT", schema=SYMBOL_SCHEMA, required=True
            ),
            QueryParam("limit", "the newest bars to return", schema=_limit(500, 5_000)),
        ),
    ),
    ForwardedRoute(
        "GET",
        "/api/signals",
        "model_engine",
        "Recent signals",
        (
            QueryParam("symbol", "only this symbol", schema=SYMBOL_SCHEMA),
            QueryParam("start_ms", "at or after (ms since the epoch, UTC)", schema=INT64_SCHEMA),
            QueryParam("end_ms", "before (ms since the epoch, UTC)", schema=INT64_SCHEMA),
            QueryParam("limit", "the newest signals to return", schema=_limit(100, 1_000)),
        ),
    ),
    ForwardedRoute("GET", "/api/signals/{signal_id}", "model_engine", "One signal"),
    ForwardedRoute(
        "GET",
        "/api/signals/{signal_id}/explanation",
        "model_engine",
        "Explain one signal",
        (
            QueryParam("method", "attribution method", ("shap", "lime")),
            QueryParam("detail", "steps: Shapley values per time step, computed now", ("steps",)),
        ),
    ),
    ForwardedRoute("GET", "/api/models", "model_engine", "Served models and their manifests"),
    ForwardedRoute("GET", "/api/positions", "exec_core", "Open positions"),
    ForwardedRoute("GET", "/api/orders", "exec_core", "Orders"),
    ForwardedRoute("GET", "/api/portfolio", "exec_core", "Portfolio value and cash"),
    ForwardedRoute("GET", "/api/risk", "exec_core", "Risk limits and their state"),
    ForwardedRoute(
        "POST",
        "/api/kill",
        "exec_core",
        "Set the kill switch",
        body=_body({"engaged": {"type": "boolean"}, "reason": _REASON}, ("engaged",)),
    ),
    ForwardedRoute("GET", "/api/approvals", "exec_core", "Pending approvals"),
    ForwardedRoute("GET", "/api/approvals/{approval_id}", "exec_core", "One approval in any state"),
    ForwardedRoute(
        "POST",
        "/api/approvals/{approval_id}",
        "exec_core",
        "Decide an approval (recorded as the operator, via api)",
        body=_body(
            {"approved": {"type": "boolean"}, "reason": {"anyOf": [_REASON, {"type": "null"}]}},
            ("approved",),
        ),
    ),
)
"""Every forwarded route; adding a row adds the route, its auth and its OpenAPI entry."""

_UNAVAILABLE: dict[int | str, dict[str, Any]] = {
    503: {"description": "The owning service is down"},
    504: {"description": "The owning service did not answer in time"},
}


def add_forwarded_routes(app: FastAPI, proxy: Proxy, authorizer: Authorizer) -> None:
    """Declare every route of `ROUTES` on `app`, each behind its access level."""
    for route in ROUTES:
        responses = {**UNAUTHORIZED, **_UNAVAILABLE}
        if route.level == "operator":
            responses.update(FORBIDDEN)
        app.add_api_route(
            route.path,
            _endpoint(route, proxy),
            methods=[route.method],
            summary=route.summary,
            description=f"Forwarded to `{route.service}`; its status and body are passed back.",
            tags=[route.service],
            operation_id=route.operation_id,
            dependencies=[Depends(authorizer.dependency(route.level))],
            responses=responses,
            openapi_extra=_openapi_extra(route),
        )


def _endpoint(route: ForwardedRoute, proxy: Proxy) -> Callable[[Request], Awaitable[Response]]:
    async def forward(request: Request) -> Response:
        values = request.path_params
        if any(values[name] in _DOT_SEGMENTS for name in values):
            return JSONResponse({"detail": "Not Found"}, status_code=404)
        path = route.path.format_map({k: quote(v, safe="") for k, v in values.items()})
        return await proxy.forward(route.service, path, request)

    forward.__name__ = route.operation_id
    return forward


def _openapi_extra(route: ForwardedRoute) -> dict[str, Any]:
    parameters: list[dict[str, Any]] = [
        {"name": name, "in": "path", "required": True, "schema": dict(ID_SCHEMA)}
        for name in _PATH_PARAM.findall(route.path)
    ]
    for param in route.query:
        schema: dict[str, Any] = dict(param.schema)
        if param.choices:
            schema["enum"] = list(param.choices)
        parameters.append(
            {
                "name": param.name,
                "in": "query",
                "required": param.required,
                "schema": schema,
                "description": param.description,
            }
        )
    extra: dict[str, Any] = {"parameters": parameters} if parameters else {}
    if route.method == "POST":
        body = dict(route.body) if route.body is not None else {"type": "object"}
        extra["requestBody"] = {
            "required": route.body is not None,
            "content": {"application/json": {"schema": body}},
        }
    return extra
