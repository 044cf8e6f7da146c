"""Benchmarks: each prints what it measured beside a baseline run in the same process."""
