"""Run the benchmark without the CLI: `python -m bench.candle_store [DATA_DIR] [--json]`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from bench.candle_store.run import run_candle_store_bench
from market_store.paths import data_dir

if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    folder = Path(args[0]) if args else data_dir()
    if folder is None:
        sys.exit("give the data folder (ohlcv/binance/*.csv.gz) as DATA_DIR or NTX_DATA_DIR")
    report = run_candle_store_bench(folder.resolve())
    if "--json" not in sys.argv:
        for engine in ("sqlite", "duckdb"):
            print(engine, report[engine])
    print(json.dumps(report))
