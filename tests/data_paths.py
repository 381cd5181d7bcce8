"""Where the shared real data lies: ``NTX_DATA_DIR``, else ``../shared/data`` beside the repo."""

from __future__ import annotations

import os
from pathlib import Path

_REPO = Path(__file__).resolve().parents[1]


def data_dir() -> Path:
    """Return the data folder holding ``ohlcv/``, ``news/`` and ``orderflow/``.

    A relative ``NTX_DATA_DIR`` is taken from the repository root.

    Raises
    ------
    FileNotFoundError
        The folder has no ``ohlcv/``: the message says where it looked and how to fix it.
    """
    raw = os.environ.get("NTX_DATA_DIR")
    folder = _REPO / Path(raw).expanduser() if raw else _REPO.parent / "shared" / "data"
    if not (folder / "ohlcv").is_dir():
        source = f"NTX_DATA_DIR={raw}" if raw else "the default ../shared/data"
        raise FileNotFoundError(
            f"no real market data at {folder} ({source}): point NTX_DATA_DIR at a folder with "
            "ohlcv/binance/*.csv.gz, or rebuild one with `ntx data download` + `ntx data export`"
        )
    return folder


def candle_file(base: str, timeframe: str, venue: str = "binance") -> Path:
    """Return the real candle file of ``<base>/USDT`` at ``timeframe``."""
    return data_dir() / "ohlcv" / venue / f"{base}_USDT-{timeframe}.csv.gz"
