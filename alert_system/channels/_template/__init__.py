"""Template of a channel: copy this folder, rename, fill in, register in ``CHANNELS``.

Checklist: a settings section (secret as SecretStr, filters via ``ChannelFilter``), a
``.env.example`` line per setting, templates under ``templates/<name>/``, and a test
against a local server speaking the real protocol.
"""

from __future__ import annotations

import json

from alert_system.alerts import Alert
from alert_system.channels.base import DeliveryError
from alert_system.settings import ChannelFilter
from signal_schema.system import AlertChannel


class TemplateChannel:
    """Deliver alerts to <service>."""

    name: AlertChannel = "webhook"  # add the new kind to signal_schema's AlertChannel
    target = "example"
    template_format = "json"
    idempotent = False  # True only if the service drops a repeated alert id (sent with it)

    def __init__(self, settings: ChannelFilter) -> None:
        self.filter = settings

    def package(self, alert: Alert, rendered: str) -> str:
        """Return the rendered JSON as is."""
        return rendered

    def fallback(self, alert: Alert, text: str) -> str:
        """Return a body built from the plain rendering."""
        return json.dumps({"text": text})

    def check(self, body: str) -> None:
        """Raise ValueError when `body` breaks the service's limits."""
        json.loads(body)

    async def send(self, body: str, alert_id: str) -> None:
        """Send `body`; raise DeliveryError(permanent=...) or with retry_after."""
        raise DeliveryError("not implemented", permanent=True)

    async def aclose(self) -> None:
        """Release connections."""
