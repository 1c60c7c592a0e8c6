"""Benchmarks run by hand (not part of the test suite); results go to docs/benchmarks.md."""
