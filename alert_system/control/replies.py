"""Send the bot's replies (command answers, button answers) with the alerts' retry policy.

A reply that meets Telegram's flood control (429) waits the ``retry_after`` it was given and
is sent again; timeouts and network errors back off with jitter; a refusal (400, 403) is
logged and dropped. The strategies are the outbox's (`alert_system.delivery.RetryPolicy`,
built from `signal_bus.retry`); a reply is not stored, so tenacity's loop does the waiting.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Awaitable, Callable

from telegram.error import TelegramError
from tenacity import AsyncRetrying, stop_after_attempt

from alert_system.channels.base import DeliveryError
from alert_system.channels.telegram import delivery_error
from alert_system.delivery import RetryPolicy
from signal_bus.retry import log_retry, retry_if_temporary

log = logging.getLogger(__name__)


class Replier:
    """Send one reply at a time through `policy`'s retries.

    Parameters
    ----------
    policy
        The alerts' retry policy (attempts, backoff, Retry-After).
    rng
        Jitter's randomness (injectable for tests).
    """

    def __init__(self, policy: RetryPolicy, rng: random.Random | None = None) -> None:
        self.policy = policy
        self._rng = rng if rng is not None else random.Random()  # noqa: S311 - jitter only
        self.failed = 0

    async def send(self, what: str, call: Callable[[], Awaitable[object]]) -> bool:
        """Make the Bot API `call` until it succeeds or is refused; return whether it was sent."""
        retrying = AsyncRetrying(
            retry=retry_if_temporary,
            wait=self.policy.wait(self._rng),
            stop=stop_after_attempt(self.policy.max_attempts),
            before_sleep=log_retry(log, f"telegram {what}"),
            reraise=True,
        )
        try:
            async for attempt in retrying:
                with attempt:
                    try:
                        await call()
                    except TelegramError as exc:
                        raise delivery_error(exc) from None
        except DeliveryError as exc:
            self.failed += 1
            log.warning(
                "telegram %s not sent: %s",
                what,
                exc.reason,
                extra={"event": "reply_failed", "reason": exc.reason},
            )
            return False
        return True
