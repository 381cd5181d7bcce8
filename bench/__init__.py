"""The repository's benchmarks: one sub-package per measured component (not installed).

`ntx bench <name>` runs them from a checkout (an editable install, or the repository as the
working directory); ``python -m bench.<name>`` does from the repository root. Figures and
commands: ``bench/RESULTS.md``. Nothing installed imports this package (an import-linter
contract); the harnesses import the installed packages like any client.
"""
