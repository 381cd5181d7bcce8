"""Try the benchmark without the CLI: `python -m bench.bus [CLIENTS [REPETITIONS]]`.

Prints every run on stderr and the summary as one JSON line on stdout.
"""

import json
import sys

from bench.bus.run import run_bus_bench

if __name__ == "__main__":
    result = run_bus_bench(*(int(arg) for arg in sys.argv[1:3]))
    for name, series in (
        ("with stalled", result.with_stalled),
        ("without stalled", result.without_stalled),
        ("baseline", result.baseline),
    ):
        for run in series:
            sys.stderr.write(f"{name:16} {run}\n")
    sys.stdout.write(json.dumps(result.summary()) + "\n")
