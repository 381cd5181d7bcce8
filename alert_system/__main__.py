"""Start alert_system (``python -m alert_system``): the only place its objects are built.

Exit status: 0 after SIGTERM/SIGINT, 2 on an operational error (settings, port in use),
1 on a crash. See `service_runtime.run`.
"""

from __future__ import annotations

import logging
import sys

from alert_system import NAME
from alert_system.build import build_service
from alert_system.settings import AlertSystemSettings
from service_runtime import ServiceHost, configure_logging, run_service

QUIET_LOGGERS = ("httpx", "httpcore")
"""Kept at WARNING: the delivery log and alert.delivered already record each outcome."""


def build() -> ServiceHost:
    """Build alert_system from the environment: settings, logging, service, host."""
    settings = AlertSystemSettings.load()
    configure_logging(NAME, settings.log, secrets=settings.secrets())
    for name in QUIET_LOGGERS:  # httpx logs every request at INFO: a stdout line per alert
        logging.getLogger(name).setLevel(logging.WARNING)
    return ServiceHost.from_settings(build_service(settings), settings)


def main() -> int:
    """Run alert_system until SIGTERM or SIGINT; return the process exit status."""
    return run_service(NAME, build)


if __name__ == "__main__":
    sys.exit(main())
