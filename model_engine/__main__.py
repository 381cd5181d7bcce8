"""Start model_engine (``python -m model_engine``): the only place its objects are built.

Exit status: 0 after SIGTERM/SIGINT, 2 on an operational error (settings, port in use),
1 on a crash. See `service_runtime.run`.
"""

from __future__ import annotations

import gc
import os
import sys

from model_engine import NAME
from model_engine.build import build_service
from model_engine.settings import ModelEngineSettings
from service_runtime import ServiceHost, configure_logging, run_service


def build() -> ServiceHost:
    """Build model_engine from the environment: settings, logging, service, host."""
    os.environ.setdefault("OMP_NUM_THREADS", "1")  # one thread per worker (field notes)
    settings = ModelEngineSettings.load()
    configure_logging(NAME, settings.log, secrets=(settings.bus_token,))
    host = ServiceHost.from_settings(build_service(settings), settings)
    gc.collect()
    gc.freeze()  # loaded sessions and references leave the collector's scans (bench: p99 /10)
    return host


def main() -> int:
    """Run model_engine until SIGTERM or SIGINT; return the process exit status."""
    return run_service(NAME, build)


if __name__ == "__main__":
    sys.exit(main())
