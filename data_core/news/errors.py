"""Errors of the news ingestion."""

from __future__ import annotations

from data_core.errors import InvalidMessageError


class FeedError(InvalidMessageError):
    """A feed could not be fetched or parsed; it is reported and skipped, never fatal.

    ``reason`` is the counter label (``bad_xml``, ``unsafe_xml``, ``not_a_feed``, ``bad_json``,
    ``http_status``, ``network``, ``too_large``); ``detail`` goes to the log.
    """
