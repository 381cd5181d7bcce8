"""Start alert_system (``python -m alert_system``): the only place its objects are built.

Exit status: 0 after SIGTERM/SIGINT, 2 on an operational error (settings, port in use),
1 on a crash. See `service_runtime.run`.
"""

from __future__ import annotations

import sys

from alert_system import NAME
from alert_system.service import AlertSystemService
from alert_system.settings import AlertSystemSettings
from service_runtime import ServiceHost, configure_logging, run_service


def build() -> ServiceHost:
    """Build alert_system from the environment: settings, logging, service, host."""
    settings = AlertSystemSettings.load()
    configure_logging(NAME, settings.log, secrets=settings.secrets())
    return ServiceHost.from_settings(AlertSystemService(settings), settings)


def main() -> int:
    """Run alert_system until SIGTERM or SIGINT; return the process exit status."""
    return run_service(NAME, build)


if __name__ == "__main__":
    sys.exit(main())
