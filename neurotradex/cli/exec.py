"""`ntx kill on|off` and `ntx approve <id> [--reject]`: operator actions through the gateway."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import httpx
import typer

TOKEN_FILE = "tokens.json"  # noqa: S105 - a file name, not a secret


def _operator_token() -> str:
    token = os.environ.get("NTX_OPERATOR_TOKEN")
    if token:
        return token
    home = Path(os.environ.get("NTX_HOME", "~/.neurotradex")).expanduser()
    try:
        return str(json.loads((home / TOKEN_FILE).read_text())["operator"])
    except (OSError, ValueError, KeyError) as exc:
        raise typer.BadParameter("set NTX_OPERATOR_TOKEN or run `ntx up` once") from exc


def _post(path: str, body: dict[str, Any], url: str) -> None:
    headers = {"Authorization": f"Bearer {_operator_token()}"}
    try:
        response = httpx.post(f"{url.rstrip('/')}{path}", json=body, headers=headers, timeout=10)
    except httpx.HTTPError as exc:
        typer.echo(f"cannot reach {url}: {exc}", err=True)
        raise typer.Exit(1) from exc
    if response.status_code >= 400:
        typer.echo(f"refused ({response.status_code}): {response.text}", err=True)
        raise typer.Exit(1)
    print(response.text)


_URL = typer.Option("http://127.0.0.1:8700", envvar="NTX_GATEWAY_URL", help="gateway URL")


def kill(
    state: str = typer.Argument(..., help="on (halt new entries) or off"),
    reason: str = typer.Option("operator request", help="why, for the audit"),
    url: str = _URL,
) -> None:
    """Engage (`on`) or release (`off`) the kill switch."""
    if state not in {"on", "off"}:
        raise typer.BadParameter("state must be on or off")
    _post("/api/kill", {"engaged": state == "on", "reason": reason}, url)


def approve(
    approval_id: str = typer.Argument(..., help="the approval's id"),
    reject: bool = typer.Option(False, "--reject", help="reject instead of approving"),
    reason: str | None = typer.Option(None, help="why, for the audit"),
    url: str = _URL,
) -> None:
    """Approve (or reject) a pending trade."""
    body = {"approved": not reject, "reason": reason}
    _post(f"/api/approvals/{approval_id}", body, url)
