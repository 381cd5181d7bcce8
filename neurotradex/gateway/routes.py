"""The forwarded API: one table of route -> owning service, declared so OpenAPI lists it."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
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


@dataclass(frozen=True, slots=True)
class QueryParam:
    """A query parameter documented in OpenAPI (the whole query string is forwarded)."""

    name: str
    description: str
    choices: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ForwardedRoute:
    """One gateway route that forwards to the same path on the owning service."""

    method: Method
    path: str
    service: ServiceName
    summary: str
    query: tuple[QueryParam, ...] = ()

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
    ForwardedRoute("GET", "/api/bars", "data_core", "Stored OHLCV bars"),
    ForwardedRoute("GET", "/api/signals", "model_engine", "Recent signals"),
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
    ForwardedRoute("POST", "/api/kill", "exec_core", "Set the kill switch"),
    ForwardedRoute("GET", "/api/approvals", "exec_core", "Pending approvals"),
    ForwardedRoute("POST", "/api/approvals/{approval_id}", "exec_core", "Decide an approval"),
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
        {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
        for name in _PATH_PARAM.findall(route.path)
    ]
    for param in route.query:
        schema: dict[str, Any] = {"type": "string"}
        if param.choices:
            schema["enum"] = list(param.choices)
        parameters.append(
            {
                "name": param.name,
                "in": "query",
                "required": False,
                "schema": schema,
                "description": param.description,
            }
        )
    extra: dict[str, Any] = {"parameters": parameters} if parameters else {}
    if route.method == "POST":
        extra["requestBody"] = {
            "required": False,
            "content": {"application/json": {"schema": {"type": "object"}}},
        }
    return extra
