"""alert_system: Signals, orders and risk events in; alerts out to Telegram, Discord and webhooks.

Skeleton for now: it publishes heartbeats and serves health on its bus and HTTP ports.
Start it with ``python -m alert_system``.
"""

NAME = "alert_system"
