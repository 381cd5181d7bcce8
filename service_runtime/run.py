"""Run a service process: signals, event loop, and the exit code a supervisor acts on.

Exit codes: ``0`` clean shutdown (SIGTERM or SIGINT); ``2`` operational error, which a
restart will not fix (bad or missing settings, port in use, token refused); ``1`` crash
(an unexpected exception, logged with its traceback; a restart may help).
"""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Callable

import signal_bus
from service_runtime.host import ServiceHost
from service_runtime.logging import configure_logging, is_configured
from service_runtime.sections import LogSection

log = logging.getLogger(__name__)

EXIT_OK = 0
EXIT_CRASHED = 1
EXIT_OPERATIONAL = 2
STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)

LoopFactory = Callable[[], asyncio.AbstractEventLoop]


def run_service(service: str, build: Callable[[], ServiceHost], *, use_uvloop: bool = True) -> int:
    """Build a host with `build`, run it until SIGTERM or SIGINT, and return the exit code.

    Parameters
    ----------
    service
        The service's name, for the log lines written if `build` fails before logging is set.
    build
        The ``__main__``'s builder: settings, logging, service, host, in that order.
    use_uvloop
        Run on uvloop when it is installed.

    Returns
    -------
    int
        `EXIT_OK`, `EXIT_OPERATIONAL` or `EXIT_CRASHED`.
    """
    try:
        host = build()
        with asyncio.Runner(loop_factory=_loop_factory(use_uvloop)) as runner:
            runner.run(_serve(host))
    except signal_bus.OperationalError as exc:  # the runtime's OperationalError included
        _ensure_logging(service)
        log.critical("%s cannot run: %s", service, exc, extra={"event": "failed"})
        return EXIT_OPERATIONAL
    except (Exception, asyncio.CancelledError):
        _ensure_logging(service)
        log.critical("%s crashed", service, exc_info=True, extra={"event": "crashed"})
        return EXIT_CRASHED
    return EXIT_OK


async def _serve(host: ServiceHost) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    main = asyncio.current_task()

    def on_signal(signum: int) -> None:
        name = signal.Signals(signum).name
        if stop.is_set() and main is not None:
            log.warning("second %s while stopping: forcing exit", name)
            main.cancel()
            return
        log.info("received %s, stopping", name, extra={"event": "signal"})
        stop.set()

    for signum in STOP_SIGNALS:
        loop.add_signal_handler(signum, on_signal, signum)
    try:
        await host.run(stop)
    finally:
        for signum in STOP_SIGNALS:
            loop.remove_signal_handler(signum)


def _loop_factory(use_uvloop: bool) -> LoopFactory | None:
    if not use_uvloop:
        return None
    try:
        import uvloop
    except ImportError:
        return None
    return uvloop.new_event_loop


def _ensure_logging(service: str) -> None:
    if not is_configured():
        configure_logging(service, LogSection())
