"""Start data_core (``python -m data_core``): the only place its objects are built.

Exit status: 0 after SIGTERM/SIGINT, 2 on an operational error (settings, port in use),
1 on a crash. See `service_runtime.run`.
"""

from __future__ import annotations

import os
import sys

from data_core import NAME
from data_core.build import build_service
from data_core.settings import DataCoreSettings
from service_runtime import ServiceHost, configure_logging, run_service


def build() -> ServiceHost:
    """Build data_core from the environment: settings, logging, market loop, service, host."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # the embedding model ships in a package
    os.environ.setdefault("OMP_NUM_THREADS", "1")  # one thread per worker (field notes)
    settings = DataCoreSettings.load()
    configure_logging(NAME, settings.log, secrets=(settings.bus_token,))
    return ServiceHost.from_settings(build_service(settings), settings)


def main() -> int:
    """Run data_core until SIGTERM or SIGINT; return the process exit status."""
    return run_service(NAME, build)


if __name__ == "__main__":
    sys.exit(main())
