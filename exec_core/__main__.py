"""Start exec_core (``python -m exec_core``): the only place its objects are built.

Exit status: 0 after SIGTERM/SIGINT, 2 on an operational error (settings, port in use),
1 on a crash. See `service_runtime.run`.
"""

from __future__ import annotations

import sys

from exec_core import NAME
from exec_core.build import build_service
from exec_core.settings import ExecCoreSettings
from service_runtime import ServiceHost, configure_logging, run_service


def build() -> ServiceHost:
    """Build exec_core from the environment: settings, logging, service, host."""
    settings = ExecCoreSettings.load()
    configure_logging(
        NAME,
        settings.log,
        secrets=(settings.bus_token, settings.live.api_key, settings.live.api_secret),
    )
    service = build_service(settings)
    # No command topics on exec_core's own bus: holding the bus token is not an operator's
    # authority. Commands come over the HTTP API (the gateway checks the operator token) and
    # from alert_system's bus (its Telegram allow-list), see `build.INPUT_TOPICS`.
    return ServiceHost.from_settings(service, settings)


def main() -> int:
    """Run exec_core until SIGTERM or SIGINT; return the process exit status."""
    return run_service(NAME, build)


if __name__ == "__main__":
    sys.exit(main())
