"""Plain, JSON-ready summaries of coverage and imports, for the CLI and HTTP routes."""

from __future__ import annotations

from typing import Any

from market_store.store.coverage import Coverage, Gap
from market_store.store.importer import FileReport, ImportReport
from market_store.times import iso_utc


def gap_summary(gap: Gap) -> dict[str, Any]:
    """Return a gap with its bounds in ms and as UTC text."""
    return {
        "prev_open_ms": gap.prev_open_ms,
        "next_open_ms": gap.next_open_ms,
        "first_missing_open": iso_utc(gap.first_missing_open_ms),
        "last_missing_open": iso_utc(gap.last_missing_open_ms),
        "missing": gap.missing,
    }


def coverage_summary(coverage: Coverage, gaps: list[Gap] | None = None) -> dict[str, Any]:
    """Return one series' coverage, with its gaps listed when given."""
    key = coverage.key
    summary: dict[str, Any] = {
        "venue": key.venue,
        "symbol": key.symbol,
        "timeframe": key.timeframe,
        "first_open_ms": coverage.first_open_ms,
        "last_open_ms": coverage.last_open_ms,
        "first_open": iso_utc(coverage.first_open_ms),
        "last_open": iso_utc(coverage.last_open_ms),
        "rows": coverage.rows,
        "gaps": coverage.gaps,
        "missing": coverage.missing,
    }
    if gaps is not None:
        summary["gap_list"] = [gap_summary(gap) for gap in gaps]
    return summary


def file_summary(report: FileReport) -> dict[str, Any]:
    """Return what importing one file did."""
    return {
        "path": str(report.path),
        "key": None if report.key is None else str(report.key),
        "rows": report.rows,
        "written": report.written,
        "rejected": report.rejected,
        "error": report.error,
    }


def import_summary(report: ImportReport) -> dict[str, Any]:
    """Return the totals, the files and the kept rejected rows of an import."""
    return {
        "files": len(report.files),
        "failed_files": len(report.failed),
        "rows": report.rows,
        "written": report.written,
        "unchanged": report.rows - report.written,
        "rejected": report.rejected,
        "skipped_files": [str(path) for path in report.skipped_files],
        "file_reports": [file_summary(f) for f in report.files],
        "rejects": [
            {"path": str(r.path), "line": r.line, "reason": r.reason} for r in report.rejects
        ],
    }
