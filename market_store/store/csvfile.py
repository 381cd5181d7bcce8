"""The shared candle file format: ``ohlcv/<venue>/<BASE>_<QUOTE>-<tf>.csv.gz``.

Columns ``timestamp,open,high,low,close,volume``; ``timestamp`` is the UTC epoch milliseconds of
the candle open and the others are decimal text.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

from market_store.candles import Candle, MarketKey, candle_error, grid, parse_timeframe
from market_store.store.rows import Row

HEADER = ("timestamp", "open", "high", "low", "close", "volume")
SUFFIX = ".csv.gz"
_NAME_RE = re.compile(r"([A-Z0-9]{1,20})_([A-Z0-9]{1,20})-([0-9]+[a-zA-Z])", re.ASCII)
_VENUE_RE = re.compile(r"[a-z0-9_]{1,40}", re.ASCII)
_DECIMAL_RE = re.compile(r"-?\d+(\.\d+)?", re.ASCII)
_DECIMALS_RE = re.compile(r"(?:-?\d+(?:\.\d+)?,){4}-?\d+(?:\.\d+)?", re.ASCII)
_INTEGER_RE = re.compile(r"-?\d{1,18}", re.ASCII)


class RowError(ValueError):
    """A row that cannot be a candle; the message says why."""


def key_of(path: Path) -> MarketKey:
    """Return the series a candle file holds, from its name and its folder.

    Parameters
    ----------
    path
        E.g. ``.../ohlcv/binance/BTC_USDT-1h.csv.gz``: venue ``binance``, symbol ``BTC/USDT``,
        timeframe ``1h``.

    Raises
    ------
    ValueError
        The name or the folder does not follow the format.
    """
    name = path.name
    stem = name[: -len(SUFFIX)] if name.endswith(SUFFIX) else None
    match = _NAME_RE.fullmatch(stem) if stem is not None else None
    if match is None:
        raise ValueError(f"{path}: not a candle file name like BTC_USDT-1h{SUFFIX}")
    base, quote, timeframe = match.groups()
    parse_timeframe(timeframe)
    venue = path.parent.name
    if _VENUE_RE.fullmatch(venue) is None:
        raise ValueError(f"{path}: folder {venue!r} is not a venue id like 'binance'")
    return MarketKey(venue, f"{base}/{quote}", timeframe)


def relative_path(key: MarketKey) -> Path:
    """Return where a series' file lies under a data folder: ``ohlcv/<venue>/<name>``.

    Raises
    ------
    ValueError
        The key cannot be named in the format (a symbol other than ``BASE/QUOTE``).
    """
    stem = f"{key.symbol.replace('/', '_')}-{key.timeframe}"
    if _NAME_RE.fullmatch(stem) is None or _VENUE_RE.fullmatch(key.venue) is None:
        raise ValueError(f"{key}: no candle file name for it (symbols must be like BTC/USDT)")
    return Path("ohlcv", key.venue, f"{stem}{SUFFIX}")


class RowParser:
    """Check the data rows of one timeframe's file and return them as stored rows.

    Parameters
    ----------
    timeframe
        The file's timeframe: every timestamp must be a candle open on its grid.
    """

    def __init__(self, timeframe: str) -> None:
        self.timeframe = timeframe
        self._step, self._offset = grid(timeframe)

    def __call__(self, fields: list[str]) -> Row:
        """Return one row as stored (decimal text kept as written).

        Raises
        ------
        RowError
            The row has the wrong number of fields, a field that is not a number, a timestamp
            off the timeframe's grid, or values no candle can have.
        """
        if len(fields) != len(HEADER):
            raise RowError(f"expected {len(HEADER)} fields, got {len(fields)}")
        stamp, o, h, low, c, v = fields
        if _INTEGER_RE.fullmatch(stamp) is None:
            raise RowError(f"timestamp {stamp!r} is not an integer of epoch milliseconds")
        ts_open_ms = int(stamp)
        if ts_open_ms < 0 or (ts_open_ms - self._offset) % self._step:
            raise RowError(f"timestamp {ts_open_ms} is not a {self.timeframe} candle open (ms)")
        if _DECIMALS_RE.fullmatch(f"{o},{h},{low},{c},{v}") is None:
            for name, value in zip(HEADER[1:], fields[1:], strict=True):
                if _DECIMAL_RE.fullmatch(value) is None:
                    raise RowError(f"{name} {value!r} is not a decimal number")
        candle = Candle(ts_open_ms, Decimal(o), Decimal(h), Decimal(low), Decimal(c), Decimal(v))
        problem = candle_error(candle)
        if problem is not None:
            raise RowError(problem)
        return (ts_open_ms, o, h, low, c, v)


def format_row(row: Row) -> str:
    """Return a stored row as one line of the file, newline included."""
    return ",".join(str(field) for field in row) + "\n"
