"""The tenacity building blocks every retry loop shares (ARCHITECTURE §7).

Only `TemporaryError` is retried. A temporary failure may say how long the other side asked
us to wait (``retry_after_secs``, from an HTTP ``Retry-After``): `wait_retry_after` waits at
least that, and at least its backoff. Backoff is exponential with a cap and multiplicative
jitter (`wait_jittered`). `log_retry` logs each retry once, before its sleep.

Loops that do not sleep themselves (an outbox that reschedules a row) ask a wait strategy
for one delay with `delay_of`.
"""

from __future__ import annotations

import email.utils
import logging
import random
import time
from collections.abc import Callable

from tenacity import RetryCallState, retry_if_exception_type
from tenacity.wait import wait_base, wait_exponential

from signal_bus.errors import TemporaryError

__all__ = [
    "delay_of",
    "log_retry",
    "retry_after_secs",
    "retry_delay",
    "retry_if_temporary",
    "wait_backoff",
    "wait_jittered",
    "wait_retry_after",
]

retry_if_temporary = retry_if_exception_type(TemporaryError)
"""Retry a failure only when it is a `TemporaryError` (the only kind that is retried)."""


def retry_after_secs(value: str | None, *, now: float | None = None) -> float | None:
    """Return the wait a ``Retry-After`` header asks for (seconds or an HTTP date), or None.

    Examples
    --------
    >>> retry_after_secs("2.5")
    2.5
    >>> retry_after_secs("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412470.0)
    10.0
    """
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def _failure(retry_state: RetryCallState) -> BaseException | None:
    outcome = retry_state.outcome
    return outcome.exception() if outcome is not None and outcome.failed else None


def _asked_secs(error: BaseException | None) -> float | None:
    return error.retry_after_secs if isinstance(error, TemporaryError) else None


class wait_jittered(wait_base):  # lower case, as tenacity names its waits
    """Multiply another wait by a random factor in ``[low, high]`` (jitter).

    Parameters
    ----------
    wait
        The wait to jitter.
    low, high
        The factor's range: ``(0.5, 1.0)`` is "equal jitter", ``(1.0, 1.1)`` adds up to 10 %.
    rng
        The source of randomness (injectable for tests).
    """

    def __init__(
        self, wait: wait_base, low: float, high: float, rng: random.Random | None = None
    ) -> None:
        self.wait = wait
        self.low = low
        self.high = high
        self.rng = rng if rng is not None else random.Random()  # noqa: S311 (jitter only)

    def __call__(self, retry_state: RetryCallState) -> float:
        """Return the jittered wait before the next attempt."""
        return float(self.wait(retry_state)) * self.rng.uniform(self.low, self.high)


def wait_backoff(
    initial_secs: float,
    max_secs: float,
    *,
    factor: float = 2.0,
    jitter: tuple[float, float] = (0.5, 1.0),
    rng: random.Random | None = None,
) -> wait_jittered:
    """Return ``min(max_secs, initial_secs * factor**(n-1))`` after the n-th failure, jittered."""
    exponential = wait_exponential(multiplier=initial_secs, max=max_secs, exp_base=factor)
    return wait_jittered(exponential, jitter[0], jitter[1], rng)


class wait_retry_after(wait_base):  # lower case, as tenacity names its waits
    """Wait at least what the failure asked for (``retry_after_secs``), and at least `backoff`.

    Parameters
    ----------
    backoff
        The wait when the failure asked for nothing, and the least wait when it did.
    jitter
        Added to an asked wait (so that clients told the same time do not all come back at
        once); None adds nothing.
    floor
        The least wait for a given failure (a ban that asked for less); None for no floor.
    """

    def __init__(
        self,
        backoff: wait_base,
        *,
        jitter: wait_base | None = None,
        floor: Callable[[BaseException | None], float] | None = None,
    ) -> None:
        self.backoff = backoff
        self.jitter = jitter
        self.floor = floor

    def __call__(self, retry_state: RetryCallState) -> float:
        """Return the wait before the next attempt."""
        error = _failure(retry_state)
        wait = float(self.backoff(retry_state))
        asked = _asked_secs(error)
        if asked is not None:
            spread = 0.0 if self.jitter is None else float(self.jitter(retry_state))
            wait = max(wait, asked + spread)
        if self.floor is not None:
            wait = max(wait, self.floor(error))
        return wait


def _failed_state(error: BaseException, attempt: int) -> RetryCallState:
    state = RetryCallState(None, None, (), {})  # type: ignore[arg-type]  # no Retrying needed
    state.attempt_number = attempt
    state.set_exception((type(error), error, error.__traceback__))
    return state


def delay_of(wait: Callable[[RetryCallState], float], error: BaseException, attempt: int) -> float:
    """Return what `wait` says to wait after the `attempt`-th failed try (1-based) with `error`.

    For loops that schedule the next try themselves instead of sleeping in tenacity.
    """
    return float(wait(_failed_state(error, attempt)))


def retry_delay(
    error: BaseException,
    attempt: int,
    *,
    wait: Callable[[RetryCallState], float],
    stop: Callable[[RetryCallState], bool],
    retry: Callable[[RetryCallState], bool] = retry_if_temporary,
) -> float | None:
    """Return the wait before retrying after the `attempt`-th failed try with `error`.

    None when tenacity would not retry: `retry` refuses the error (by default, anything but
    a `TemporaryError`) or `stop` says the attempts are spent. For loops that schedule the
    next try themselves (an outbox) rather than sleep in tenacity.
    """
    state = _failed_state(error, attempt)
    if not retry(state) or stop(state):
        return None
    return float(wait(state))


def log_retry(
    logger: logging.Logger,
    what: str,
    *,
    level: int | Callable[[RetryCallState], int] = logging.WARNING,
) -> Callable[[RetryCallState], None]:
    """Return a tenacity ``before_sleep`` that logs each retry once.

    The line reads ``<what> failed (<error>); retry <n> in <secs> s``.

    Parameters
    ----------
    logger
        Where to log.
    what
        Names the call.
    level
        The level, or a function of the retry's state that returns it (quieter after the
        first retry of an outage).
    """

    def before_sleep(retry_state: RetryCallState) -> None:
        wait = retry_state.next_action.sleep if retry_state.next_action is not None else 0.0
        chosen = level(retry_state) if callable(level) else level
        logger.log(
            chosen,
            "%s failed (%s); retry %d in %.2f s",
            what,
            _failure(retry_state),
            retry_state.attempt_number,
            wait,
        )

    return before_sleep
