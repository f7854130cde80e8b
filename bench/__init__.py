"""Benchmarks against the real production build: python -m bench (or make bench)."""
