"""model_engine: Features in; explained signals out on its bus.

Skeleton for now: it publishes heartbeats and serves health on its bus and HTTP ports.
Start it with ``python -m model_engine``.
"""

NAME = "model_engine"
