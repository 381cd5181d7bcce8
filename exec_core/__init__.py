"""exec_core: Signals in; risk decisions, approvals and orders out on its bus.

Skeleton for now: it publishes heartbeats and serves health on its bus and HTTP ports.
Start it with ``python -m exec_core``.
"""

NAME = "exec_core"
