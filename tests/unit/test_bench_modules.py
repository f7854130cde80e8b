"""The benchmarks are not run by `make test` (their figures live in the README), so a change to the
test support they build on must at least leave every one of them importable, with its main()."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"


@pytest.mark.parametrize("name", sorted(p.stem for p in BENCH.glob("*.py") if not p.stem.startswith("_")))
def test_each_bench_imports_and_has_a_main(name):
    module = importlib.import_module(f"bench.{name}")
    if name != "blank_app":
        assert callable(getattr(module, "main", None)), f"bench.{name} has no main()"
