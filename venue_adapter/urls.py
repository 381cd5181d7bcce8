"""Point a ccxt exchange at other hosts: testnets, proxies, regional hosts, local test servers."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

_REST = ("http://", "https://")
_WS = ("ws://", "wss://")


def rebase(url: str, base: str) -> str:
    """Return `url` with its scheme and host taken from `base`, and `base`'s path put before it.

    ``{hostname}`` placeholders in the host (Bybit, OKX) go with it.

    Examples
    --------
    >>> rebase("https://api.binance.com/api/v3", "http://127.0.0.1:8080")
    'http://127.0.0.1:8080/api/v3'
    >>> rebase("wss://stream.{hostname}/v5/public/spot", "wss://proxy.example/bybit")
    'wss://proxy.example/bybit/v5/public/spot'
    """
    scheme_end = url.index("://") + 3
    path_start = url.find("/", scheme_end)
    path = "" if path_start < 0 else url[path_start:]
    return base.rstrip("/") + path


def rebase_urls(api: Any, *, rest_url: str | None, ws_url: str | None) -> Any:
    """Return a copy of ccxt's ``urls['api']`` with REST and websocket URLs moved to new bases.

    Parameters
    ----------
    api
        ``exchange.urls['api']``: a URL, or dicts of them nested to any depth.
    rest_url
        Base for every ``http(s)://`` URL; None leaves them.
    ws_url
        Base for every ``ws(s)://`` URL; None leaves them.

    Raises
    ------
    ValueError
        A base is not an absolute URL of the right kind.
    """
    check_bases(rest_url=rest_url, ws_url=ws_url)
    if isinstance(api, dict):
        return {
            key: rebase_urls(value, rest_url=rest_url, ws_url=ws_url) for key, value in api.items()
        }
    if isinstance(api, str):
        if rest_url is not None and api.startswith(_REST):
            return rebase(api, rest_url)
        if ws_url is not None and api.startswith(_WS):
            return rebase(api, ws_url)
    return api


def check_bases(*, rest_url: str | None, ws_url: str | None) -> None:
    """Refuse base URLs that are not absolute ``http(s)://`` / ``ws(s)://`` URLs (ValueError)."""
    _check(rest_url, _REST, "rest_url")
    _check(ws_url, _WS, "ws_url")


def _check(base: str | None, schemes: tuple[str, ...], name: str) -> None:
    if base is None:
        return
    if not base.startswith(schemes) or not urlsplit(base).netloc:
        raise ValueError(f"{name} must be an absolute {' or '.join(schemes)} URL, got {base!r}")
