"""Import the shared candle files into a `CandleStore`: bad rows are reported, never fatal."""

from __future__ import annotations

import csv
import gzip
import io
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from market_store.candles import MarketKey
from market_store.store.csvfile import HEADER, SUFFIX, RowError, RowParser, key_of
from market_store.store.rows import Row
from market_store.store.sqlite import CandleStore

CHUNK_ROWS = 20_000
"""Rows written per transaction: a crash loses at most the chunk being written."""

MAX_KEPT_REJECTS = 1_000
"""Rejected rows kept with their reasons per import; all of them are counted."""

Progress = Callable[[Path, int], None]
"""Called with a file and the compressed bytes of it read so far."""

_READ_ERRORS = (OSError, EOFError, zlib.error, UnicodeDecodeError, csv.Error)


@dataclass(frozen=True, slots=True)
class Rejected:
    """A row that was skipped: where it is and why."""

    path: Path
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.reason}"


@dataclass(slots=True)
class FileReport:
    """What importing one file did; ``error`` says why it stopped early, if it did."""

    path: Path
    key: MarketKey | None = None
    rows: int = 0
    written: int = 0
    rejected: int = 0
    error: str | None = None


@dataclass(slots=True)
class ImportReport:
    """What an import did, file by file, with the first `MAX_KEPT_REJECTS` rejected rows."""

    files: list[FileReport] = field(default_factory=list)
    rejects: list[Rejected] = field(default_factory=list)
    skipped_files: list[Path] = field(default_factory=list)

    @property
    def rows(self) -> int:
        """Return the data rows read."""
        return sum(f.rows for f in self.files)

    @property
    def written(self) -> int:
        """Return the candles that were new or changed."""
        return sum(f.written for f in self.files)

    @property
    def rejected(self) -> int:
        """Return the rows skipped as malformed or unsound."""
        return sum(f.rejected for f in self.files)

    @property
    def failed(self) -> list[FileReport]:
        """Return the files that could not be read to the end."""
        return [f for f in self.files if f.error is not None]


def candle_files(path: Path) -> tuple[list[Path], list[Path]]:
    """Return the candle files at ``path`` (a file, or a folder searched recursively).

    Returns
    -------
    tuple[list[Path], list[Path]]
        The candle files, sorted, and the other ``*.csv.gz`` files of a folder (news, ...).
    """
    if not path.is_dir():
        return [path], []
    found, other = [], []
    for candidate in sorted(path.rglob(f"*{SUFFIX}")):
        try:
            key_of(candidate)
        except ValueError:
            other.append(candidate)
        else:
            found.append(candidate)
    return found, other


def import_path(
    store: CandleStore, path: Path, *, progress: Progress | None = None
) -> ImportReport:
    """Import one candle file, or every candle file under a folder, into ``store``.

    Re-importing is idempotent. Each file is written in transactions of `CHUNK_ROWS` rows; a
    row that is malformed or unsound is skipped and reported with its file and line, and a
    file that cannot be read to the end keeps the rows committed before the fault.

    Parameters
    ----------
    store
        Where the candles go.
    path
        A ``<BASE>_<QUOTE>-<tf>.csv.gz`` file inside a folder named after its venue, or a
        folder holding such files at any depth.
    progress
        Called after each chunk with the file and the compressed bytes read so far.
    """
    report = ImportReport()
    files, report.skipped_files = candle_files(Path(path))
    for file in files:
        report.files.append(import_file(store, file, report.rejects, progress=progress))
    return report


def import_file(
    store: CandleStore,
    path: Path,
    rejects: list[Rejected] | None = None,
    *,
    progress: Progress | None = None,
) -> FileReport:
    """Import one candle file; see `import_path`. Rejected rows are appended to ``rejects``."""
    result = FileReport(path)
    kept = rejects if rejects is not None else []
    pending: list[Row] = []
    try:
        result.key = key = key_of(path)
        with path.open("rb") as raw:
            for row in _rows(raw, path, key.timeframe, result, kept):
                pending.append(row)
                if len(pending) >= CHUNK_ROWS:
                    result.written += store.upsert_rows(key, pending)
                    pending = []
                    if progress is not None:
                        progress(path, raw.tell())
    except ValueError as exc:
        result.error = str(exc)
    except _READ_ERRORS as exc:
        line = result.rows + result.rejected + 2  # the header, the rows read, then this one
        result.error = f"{path}:{line}: unreadable: {exc}"
    if result.key is not None and pending:  # the last chunk, or the rows before a fault
        result.written += store.upsert_rows(result.key, pending)
    if progress is not None and path.is_file():
        progress(path, path.stat().st_size)
    return result


def _rows(
    raw: BinaryIO, path: Path, timeframe: str, result: FileReport, rejects: list[Rejected]
) -> Iterator[Row]:
    """Yield the sound rows of a file, counting them and the rejected ones in ``result``."""
    with io.TextIOWrapper(gzip.GzipFile(fileobj=raw), encoding="utf-8", newline="") as text:
        reader = csv.reader(text)
        header = next(reader, None)
        if header is None or tuple(header) != HEADER:
            raise ValueError(f"{path}:1: header {header} is not {','.join(HEADER)}")
        parse_row = RowParser(timeframe)
        seen: dict[int, int] = {}
        for fields in reader:
            try:
                row = parse_row(fields)
                if row[0] in seen:
                    raise RowError(f"duplicate timestamp {row[0]} (first on line {seen[row[0]]})")
            except RowError as exc:
                result.rejected += 1
                if len(rejects) < MAX_KEPT_REJECTS:
                    rejects.append(Rejected(path, reader.line_num, str(exc)))
                continue
            seen[row[0]] = reader.line_num
            result.rows += 1
            yield row
