"""Benchmarks: `make bench` (or `python -m bench NAME...`) runs them and writes docs/PERFORMANCE.md."""
