"""`ntx backtest` on real candles: counts, books, files, no look-ahead, the JSON line."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from data_core.features import FeatureStream
from exec_core.ledger import Ledger, check_books, pnl
from market_store.candles import MarketKey
from market_store.paths import candle_db_path
from market_store.store import CandleStore
from neurotradex.cli.app import app
from tests.data_paths import data_dir

SYMBOLS = ("BTC/USDT", "ETH/USDT")
SINCE = datetime(2022, 11, 1, tzinfo=UTC)
UNTIL = datetime(2022, 11, 4, tzinfo=UTC)
KEYS = (
    "bars", "signals", "orders", "fills", "return_pct", "sharpe", "max_drawdown_pct",
    "fees_paid", "ledger_balanced", "bars_per_s",
)  # fmt: skip


@dataclass
class Run:
    report: dict[str, Any]
    home: Path
    out: Path
    fed_max_ms: int
    warm_up_max_ms: int


def _ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    """One short real backtest (a tiny model trained on data before since), via the CLI."""
    home = tmp_path_factory.mktemp("ntx_home")
    out = home / "run"
    seen = {"fed": -1, "warm": -1}
    on_candle, warm_up = FeatureStream.on_candle, FeatureStream.warm_up

    def spy_candle(self: FeatureStream, candle: Any, news: Any = None) -> Any:
        seen["fed"] = max(seen["fed"], candle.ts_open_ms)
        return on_candle(self, candle, news)

    def spy_warm(self: FeatureStream, ohlcv: Any, news: Any = None) -> None:
        if len(ohlcv):
            seen["warm"] = max(seen["warm"], int(ohlcv.ts_open_ms[-1]))
        warm_up(self, ohlcv, news)

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("NTX_HOME", str(home))
        mp.setenv("NTX_DATA_DIR", str(data_dir()))
        mp.setattr(FeatureStream, "on_candle", spy_candle)
        mp.setattr(FeatureStream, "warm_up", spy_warm)
        result = CliRunner().invoke(
            app,
            [
                "backtest", "--symbols", ",".join(SYMBOLS), "--timeframe", "1h",
                "--since", "2022-11-01", "--until", "2022-11-04", "--train-days", "60",
                "--min-confidence", "0.4", "--home", str(out), "--json",
            ],
        )  # fmt: skip
    assert result.exit_code == 0, result.output
    report = json.loads(result.output.strip().splitlines()[-1])
    return Run(report, home, out, seen["fed"], seen["warm"])


def test_the_json_line_has_the_keys(run: Run) -> None:
    assert set(KEYS) <= set(run.report)
    assert run.report["bars_per_s"] > 0


def test_every_bar_in_the_interval_yields_one_signal(run: Run) -> None:
    with CandleStore(candle_db_path(run.home)) as store:
        candles = sum(
            len(store.read(MarketKey("binance", s, "1h"), _ms(SINCE), _ms(UNTIL))) for s in SYMBOLS
        )
    assert candles == 2 * 72
    assert run.report["bars"] == run.report["signals"] == candles
    assert run.report["decisions"] == candles


def test_the_persisted_books_balance_and_fills_follow_orders(run: Run) -> None:
    assert run.report["ledger_balanced"] is True
    assert run.report["fills"] <= run.report["orders"]
    ledger = Ledger.open(f"sqlite:///{run.out / 'exec_core' / 'ledger.sqlite'}")
    try:
        assert check_books(ledger) == []
        with CandleStore(candle_db_path(run.home)) as store:
            marks = {
                s: store.read(MarketKey("binance", s, "1h"), end_ms=_ms(UNTIL), last=1)[0].close
                for s in SYMBOLS
            }
        equity = pnl(ledger, marks).equity
    finally:
        ledger.close()
    with (run.out / "equity.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 72
    assert Decimal(rows[-1]["equity"]) == equity
    assert Decimal(run.report["final_equity"]) == equity


def test_it_writes_the_trade_list_the_curve_and_the_plot(run: Run) -> None:
    for name in ("trades.csv", "equity.csv", "equity.png", "report.json"):
        assert (run.out / name).stat().st_size > 0, name
    assert (run.out / "equity.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    with (run.out / "trades.csv").open(encoding="utf-8") as handle:
        assert len(list(csv.DictReader(handle))) == run.report["fills"]


def test_no_candle_at_or_after_until_reaches_the_features(run: Run) -> None:
    assert run.fed_max_ms == _ms(UNTIL) - 3_600_000
    assert run.warm_up_max_ms < _ms(SINCE)
    assert run.report["last_candle_fed"] == "2022-11-03T23:00:00+00:00"


def test_the_model_was_trained_only_before_since(run: Run) -> None:
    manifest = json.loads((Path(run.report["model"]) / "manifest.json").read_text())
    assert manifest["training"]["until_ms"] <= _ms(SINCE)
