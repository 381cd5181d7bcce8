"""The gateway: HTTP API, auth and the browser relay in front of the services."""

from neurotradex.gateway.app import create_app
from neurotradex.gateway.errors import GatewayError, OperationalError
from neurotradex.gateway.relay import Relay
from neurotradex.gateway.routes import ROUTES, ForwardedRoute
from neurotradex.gateway.server import build_gateway, serve_gateway
from neurotradex.gateway.settings import SERVICES, GatewaySettings, ServiceName
from neurotradex.gateway.tokens import TOKEN_FILE_NAME, ApiTokens, ResolvedTokens, resolve_tokens

__all__ = [
    "ROUTES",
    "SERVICES",
    "TOKEN_FILE_NAME",
    "ApiTokens",
    "ForwardedRoute",
    "GatewayError",
    "GatewaySettings",
    "OperationalError",
    "Relay",
    "ResolvedTokens",
    "ServiceName",
    "build_gateway",
    "create_app",
    "resolve_tokens",
    "serve_gateway",
]
