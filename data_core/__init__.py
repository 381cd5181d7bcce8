"""data_core: Market data and news in; bars and features out on its bus.

Skeleton for now: it publishes heartbeats and serves health on its bus and HTTP ports.
Start it with ``python -m data_core``.
"""

NAME = "data_core"
