"""REST and websocket base URLs of any ccxt exchange move to new hosts (testnets, proxies)."""

from __future__ import annotations

import pytest

from venue_adapter.urls import rebase, rebase_urls

BYBIT_LIKE = {
    "spot": "https://api.{hostname}",
    "public": "https://api.{hostname}",
    "ws": {
        "public": {"spot": "wss://stream.{hostname}/v5/public/spot"},
        "private": {"contract": "wss://stream.{hostname}/v5/private"},
    },
    "other": 42,
}


def test_rest_and_ws_urls_move_keeping_their_paths() -> None:
    moved = rebase_urls(BYBIT_LIKE, rest_url="http://127.0.0.1:8080", ws_url="ws://127.0.0.1:9090")
    assert moved == {
        "spot": "http://127.0.0.1:8080",
        "public": "http://127.0.0.1:8080",
        "ws": {
            "public": {"spot": "ws://127.0.0.1:9090/v5/public/spot"},
            "private": {"contract": "ws://127.0.0.1:9090/v5/private"},
        },
        "other": 42,
    }
    assert BYBIT_LIKE["spot"] == "https://api.{hostname}"  # the original is untouched


def test_a_base_path_goes_before_each_endpoint_and_none_leaves_urls_alone() -> None:
    assert rebase("https://api.binance.com/api/v3", "https://proxy.example/binance/") == (
        "https://proxy.example/binance/api/v3"
    )
    assert rebase_urls({"ws": "wss://x/ws"}, rest_url="http://h", ws_url=None) == {
        "ws": "wss://x/ws"
    }


@pytest.mark.parametrize(
    ("rest_url", "ws_url"),
    [("ws://h", None), ("127.0.0.1:80", None), (None, "https://h"), (None, "ws://")],
)
def test_bases_of_the_wrong_kind_are_refused(rest_url: str | None, ws_url: str | None) -> None:
    with pytest.raises(ValueError, match="must be an absolute"):
        rebase_urls({}, rest_url=rest_url, ws_url=ws_url)
