"""Settings of the ledger: where it lives, its quote currency, where daily trade logs go."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field


class LedgerSection(BaseModel):
    """``EXEC_CORE__LEDGER__<KEY>``: the ledger database and its trade logs.

    Attributes
    ----------
    url
        SQLAlchemy URL (``postgresql+psycopg://user@host/db``); empty means the SQLite file
        ``<NTX_HOME>/exec_core/ledger.sqlite`` (WAL mode).
    quote_currency
        The currency every journal amount is kept in (cash, cost, fees, PnL).
    trade_log
        Write a daily JSON-lines trade log under ``<NTX_HOME>/exec_core/trades/``.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    url: str = ""
    quote_currency: str = Field(default="USDT", min_length=1, max_length=20)
    trade_log: bool = True

    def database_url(self, home: Path) -> str:
        """Return the URL to open: `url`, else the SQLite file under `home`."""
        if self.url:
            return self.url
        return f"sqlite:///{home / 'exec_core' / 'ledger.sqlite'}"

    def trade_log_dir(self, home: Path) -> Path | None:
        """Return the folder of the daily trade logs, None when they are off."""
        return home / "exec_core" / "trades" if self.trade_log else None
