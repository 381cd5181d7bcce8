"""`python -m neurotradex` is the `ntx` command."""

from neurotradex.cli import main

main()
