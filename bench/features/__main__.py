"""Run the benchmark without the CLI: `python -m bench.features [STREAMS]`.

Prints the result as one JSON line on stdout.
"""

import json
import sys

from bench.features.run import run_features_bench

if __name__ == "__main__":
    result = run_features_bench(*(int(arg) for arg in sys.argv[1:2]))
    sys.stdout.write(json.dumps(result) + "\n")
