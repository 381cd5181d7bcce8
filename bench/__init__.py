"""Benchmarks run by `ntx bench`; each sub-package measures one component."""
