"""Where NeuroTradeX keeps its files: ``NTX_HOME``, ``NTX_DATA_DIR`` and the candle database.

The one place these two variables are resolved; settings classes use `DEFAULT_HOME` as their
default and commands call `ntx_home` / `data_dir`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

HOME_ENV = "NTX_HOME"
DATA_DIR_ENV = "NTX_DATA_DIR"
DEFAULT_HOME = Path("~/.neurotradex")
"""NTX_HOME when the variable is unset or empty."""


def ntx_home(env: Mapping[str, str] = os.environ) -> Path:
    """Return NTX_HOME (default ``~/.neurotradex``), with ``~`` expanded."""
    return Path(env.get(HOME_ENV) or DEFAULT_HOME).expanduser()


def data_dir(env: Mapping[str, str] = os.environ) -> Path | None:
    """Return NTX_DATA_DIR, the folder of recorded market data, or None when it is not set.

    A relative path is taken from the working directory.
    """
    raw = env.get(DATA_DIR_ENV)
    return Path(raw).expanduser().absolute() if raw else None


def candle_db_path(home: Path) -> Path:
    """Return where the candle database lies under NTX_HOME: ``<home>/data/candles.sqlite``."""
    return home.expanduser() / "data" / "candles.sqlite"
