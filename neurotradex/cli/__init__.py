"""The `ntx` command."""

from neurotradex.cli.app import app, main

__all__ = ["app", "main"]
