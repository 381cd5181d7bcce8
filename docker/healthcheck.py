"""Container health probe: GET http://127.0.0.1:<port><path>, exit 0 on HTTP 200.

Usage: ``python healthcheck.py PORT_ENV DEFAULT_PORT [PATH]`` — the port is read from the
environment variable PORT_ENV (the service's ``<SERVICE>__HTTP__PORT``) so the probe follows
the same setting the service listens on. Standard library only: it runs in every image.
"""

from __future__ import annotations

import os
import sys
import urllib.request


def main(argv: list[str]) -> int:
    """Return 0 when the endpoint answers 200 within three seconds, else 1."""
    if len(argv) < 2:
        return 2
    port = os.environ.get(argv[0]) or argv[1]
    path = argv[2] if len(argv) > 2 else "/healthz"
    url = f"http://127.0.0.1:{int(port)}{path}"
    try:
        with urllib.request.urlopen(url, timeout=3) as response:
            return 0 if response.status == 200 else 1
    except OSError:
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
