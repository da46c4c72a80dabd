"""Shared helpers of the NumPy references: instance loading and timing.

Every workload module exposes run(args) -> dict; server.py times the call (wall: perf_counter, CPU:
process_time) and reports the dict's numbers so the harness can check that both sides computed the same thing.
Matrices arrive from the TypeScript side as {"rows": r, "cols": c, "data": [row-major floats]} (JSON keeps
float64 exactly), so both sides start from bitwise identical instances.
"""
import json

import numpy as np

_cache = {}


def load_instance(path):
    """The instance JSON at `path` (parsed once per server process)."""
    if path not in _cache:
        with open(path, encoding="utf8") as f:
            _cache[path] = json.load(f)
    return _cache[path]


def matrix(spec):
    """A float64 C-ordered ndarray from {"rows", "cols", "data"}."""
    return np.array(spec["data"], dtype=np.float64).reshape(spec["rows"], spec["cols"])
