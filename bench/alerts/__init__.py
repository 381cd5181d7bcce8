"""`ntx bench alerts`: signals through the real bus, alert_system and the webhook channel."""

from bench.alerts.run import run_alerts_bench

__all__ = ["run_alerts_bench"]
