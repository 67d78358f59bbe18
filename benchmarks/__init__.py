"""Benchmarks for planner on large generated plans (not part of the package; run `python -m benchmarks`)."""
