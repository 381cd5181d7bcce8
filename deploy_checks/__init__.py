"""Offline checks of the deployment files (`make check-deploy`).

Each module checks one kind of file and returns `Finding`s; nothing here needs a Docker engine,
a cluster or the network. `python -m deploy_checks` runs them all.
"""

from deploy_checks.findings import Finding, errors

__all__ = ["Finding", "errors"]
