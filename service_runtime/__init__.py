"""What every NeuroTradeX service shares: settings sections, logging, heartbeat, lifecycle.

One concern per module; services build these objects in their `__main__` only.
"""

from service_runtime.errors import (
    InvalidMessageError,
    OperationalError,
    ServiceError,
    SettingsError,
    TemporaryError,
)
from service_runtime.heartbeat import HeartbeatPublisher, HeartbeatStatus
from service_runtime.host import ServiceHost
from service_runtime.logging import configure_logging, correlation, current_correlation_id
from service_runtime.metrics import ServiceMetrics
from service_runtime.run import EXIT_CRASHED, EXIT_OK, EXIT_OPERATIONAL, run_service
from service_runtime.sections import (
    BusSection,
    BusUrl,
    HeartbeatSection,
    HttpSection,
    LogSection,
    UpstreamSection,
    bus_server_settings,
    upstream_client_settings,
)
from service_runtime.service import Service, Worker, info_router, package_version
from service_runtime.settings import ExpandedPath, ServiceSettings, env_names
from service_runtime.tasks import BackgroundTasks
from service_runtime.upstreams import UpstreamWatch

__all__ = [
    "EXIT_CRASHED",
    "EXIT_OK",
    "EXIT_OPERATIONAL",
    "BackgroundTasks",
    "BusSection",
    "BusUrl",
    "ExpandedPath",
    "HeartbeatPublisher",
    "HeartbeatSection",
    "HeartbeatStatus",
    "HttpSection",
    "InvalidMessageError",
    "LogSection",
    "OperationalError",
    "Service",
    "ServiceError",
    "ServiceHost",
    "ServiceMetrics",
    "ServiceSettings",
    "SettingsError",
    "TemporaryError",
    "UpstreamSection",
    "UpstreamWatch",
    "Worker",
    "bus_server_settings",
    "configure_logging",
    "correlation",
    "current_correlation_id",
    "env_names",
    "info_router",
    "package_version",
    "run_service",
    "upstream_client_settings",
]
