"""Benchmarks of Saring: `python -m bench` runs them all (bench/__main__.py, bench/README.md)."""
