"""`ReplayPosition`: how far a replay has published, kept in NTX_HOME so a restart resumes there.

One small JSON file (``NTX_HOME/data_core/replay.json``), replaced atomically (written to a
temporary file and renamed over it; fsynced at most once a second) after each bar is
published: about 4 ms a bar on ext4. It names the replay it belongs to (source, timeframe,
symbols and the start the settings gave); a file of another replay is ignored, and the file
is removed when the recording has been played to its end, so the next run starts over.
Delete it to restart a replay from its beginning.
"""

from __future__ import annotations

import json
import logging
import math
import os
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

FORMAT = 1
SYNC_SECS = 1.0
"""The file's data reaches the disk (fsync) at most this often."""


def position_path(home: Path) -> Path:
    """Return where data_core keeps its replay position under NTX_HOME."""
    return home / "data_core" / "replay.json"


class ReplayPosition:
    """The close time of the last bar published per symbol, for one replay.

    Parameters
    ----------
    path
        The state file.
    identity
        What names this replay (source, timeframe, symbols, origin).
    closes
        Last published close per symbol (epoch ms).
    """

    def __init__(
        self,
        path: Path,
        identity: Mapping[str, Any],
        closes: Mapping[str, int],
        *,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.path = path
        self.identity = dict(identity)
        self.closes = dict(closes)
        self._monotonic = monotonic
        self._synced_at = -math.inf

    @classmethod
    def load(
        cls,
        path: Path,
        *,
        source: str,
        timeframe: str,
        symbols: Sequence[str],
        origin_ms: int,
    ) -> ReplayPosition:
        """Return the position stored for this replay, or a fresh one (the file is another's)."""
        names = sorted(symbols)
        identity: dict[str, Any] = {
            "format": FORMAT,
            "source": source,
            "timeframe": timeframe,
            "symbols": names,
            "origin_ms": origin_ms,
        }
        closes: dict[str, int] = {}
        try:
            stored = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            stored = None
        except (OSError, ValueError) as error:
            log.warning("%s unreadable (%s): the replay starts from its beginning", path, error)
            stored = None
        if isinstance(stored, dict) and stored.get("replay") == identity:
            raw = stored.get("closes")
            if isinstance(raw, dict):
                closes = {s: v for s, v in raw.items() if s in names and type(v) is int}
        elif stored is not None:
            log.info("%s belongs to another replay: this one starts from its beginning", path)
        return cls(path, identity, closes)

    @property
    def origin_ms(self) -> int:
        """Return the start the settings gave."""
        value: int = self.identity["origin_ms"]
        return value

    def resume_ms(self) -> int:
        """Return the simulated time to start the clock at: after the least advanced symbol.

        Symbols on one clock are at most one close apart; those ahead skip the bars they
        published already (see `last_close_ms`).
        """
        if not self.closes:
            return self.origin_ms
        return min(self.closes.get(s, self.origin_ms) for s in self.identity["symbols"])

    def last_close_ms(self, symbol: str) -> int | None:
        """Return the close time of `symbol`'s last published bar, None if none."""
        return self.closes.get(symbol)

    def published(self, symbol: str, close_ms: int) -> None:
        """Record that `symbol`'s bar closing at `close_ms` is published; write the file."""
        self.closes[symbol] = close_ms
        self._write({"replay": self.identity, "closes": self.closes})

    def finished(self) -> None:
        """Forget the position: the recording has been played to its end."""
        self.path.unlink(missing_ok=True)

    def _write(self, state: dict[str, Any]) -> None:
        """Replace the file atomically (a SIGKILL leaves the old or the new one, never half).

        The data is fsynced at most once a second (`SYNC_SECS`): a power cut may lose the last
        second's bars, which are then published again, never skipped.
        """
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(f".{self.path.name}.tmp")
        now = self._monotonic()
        sync = now - self._synced_at >= SYNC_SECS
        with tmp.open("w", encoding="utf-8") as out:
            json.dump(state, out, sort_keys=True)
            if sync:
                out.flush()
                os.fsync(out.fileno())
                self._synced_at = now
        os.replace(tmp, self.path)


__all__ = ["ReplayPosition", "position_path"]
