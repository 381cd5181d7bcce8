"""What a check reports: one problem (or a warning) in one deployment file."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Finding:
    """One problem found in ``where`` (a file, optionally with the object inside it)."""

    where: str
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        return f"{self.severity}: {self.where}: {self.message}"


def errors(findings: Iterable[Finding]) -> list[Finding]:
    """Return the findings that fail the check (warnings excluded)."""
    return [finding for finding in findings if finding.severity == "error"]
