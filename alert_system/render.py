"""Render alerts with jinja2, per message type and channel, escaping right for each target.

Lookup: ``<channel>/<Kind>.<fmt>.j2`` then ``<channel>/_default.<fmt>.j2``, first in the
override folder (``ALERT_SYSTEM__DELIVERY__TEMPLATES_DIR``), then in the package. ``html``
templates autoescape (Telegram HTML); ``md2`` escapes every ``{{ }}`` for MarkdownV2;
``json`` templates must build values with ``|tojson``. Any template error is logged and the
alert is rendered plainly instead: it is never lost.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from jinja2 import (
    BaseLoader,
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PackageLoader,
    StrictUndefined,
)
from telegram.helpers import escape_markdown

from alert_system.alerts import Alert, top_attributions
from alert_system.channels.base import Channel

log = logging.getLogger(__name__)

COLOURS = {"up": 0x2ECC71, "down": 0xE74C3C, "flat": 0x95A5A6}


def _md2(value: Any) -> Any:
    return escape_markdown(str(value), version=2) if value is not None else ""


def _signed(value: Any, digits: int = 4) -> str:
    return f"{float(value):+.{digits}f}"


def _pct(value: Any) -> str:
    return f"{float(value) * 100:.1f}%"


def _environment(loader: BaseLoader, fmt: str) -> Environment:
    finalize: Callable[[Any], Any] | None = _md2 if fmt == "md2" else None
    env = Environment(
        loader=loader,
        autoescape=fmt == "html",  # noqa: S701 - md2 escapes in finalize, json uses tojson
        undefined=StrictUndefined,
        finalize=finalize,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(signed=_signed, pct=_pct)
    env.globals.update(colours=COLOURS)
    return env


def plain_text(alert: Alert) -> str:
    """Return a template-free rendering: kind, symbol and the message as compact JSON."""
    head = " ".join(p for p in (alert.kind, alert.symbol, alert.direction) if p)
    body = json.dumps(alert.context, separators=(",", ":"), sort_keys=True)
    return f"{head} [{alert.alert_id}]\n{body}"


class Renderer:
    """Render alerts for channels.

    Parameters
    ----------
    override_dir
        Folder whose templates take precedence over the packaged ones (optional).
    """

    def __init__(self, override_dir: Path | None = None) -> None:
        loaders: list[BaseLoader] = [PackageLoader("alert_system", "templates")]
        if override_dir is not None:
            loaders.insert(0, FileSystemLoader(override_dir))
        loader = ChoiceLoader(loaders)
        self._envs = {fmt: _environment(loader, fmt) for fmt in ("html", "md2", "json")}
        self.errors = 0

    def render(self, alert: Alert, channel: Channel) -> str:
        """Return the body `channel` sends for `alert` (a plain rendering on template error)."""
        fmt = channel.template_format
        names = [f"{channel.name}/{alert.kind}.{fmt}.j2", f"{channel.name}/_default.{fmt}.j2"]
        try:
            template = self._envs[fmt].select_template(names)
            rendered = template.render(
                alert=alert, m=alert.context, top=top_attributions(alert.context), **alert.extra
            )
            body = channel.package(alert, rendered)
            channel.check(body)
        except Exception as exc:  # a broken template must never lose the alert
            self.errors += 1
            log.error(
                "template for %s on %s failed, sending plain text: %s: %s",
                alert.kind,
                channel.name,
                type(exc).__name__,
                exc,
                extra={"event": "template_error", "alert_id": alert.alert_id},
            )
            return channel.fallback(alert, plain_text(alert))
        return body
