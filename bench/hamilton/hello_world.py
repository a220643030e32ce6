"""Runs Hamilton's hello-world dataflow on the inputs the dagcells port is tested with,
and writes what Hamilton computes, so the port's test compares with real Hamilton output.

    bench/.venv/bin/python bench/hamilton/hello_world.py
"""
import json
import math
import pathlib
import sys

import pandas as pd
from hamilton import driver

sys.path.insert(0, str(pathlib.Path(__file__).parent))
import hello_world_functions  # noqa: E402

FIXTURES = pathlib.Path(__file__).parents[2] / "kernel-helpers" / "test" / "fixtures"
OUTPUTS = [
    "spend",
    "signups",
    "avg_3wk_spend",
    "spend_per_signup",
    "spend_mean",
    "spend_zero_mean",
    "spend_std_dev",
    "spend_zero_mean_unit_variance",
]


def plain(value):
    """JSON-safe: series to lists; NaN as the string "NaN", as the dagcells CLI writes it."""
    if isinstance(value, pd.Series):
        return [plain(v) for v in value.tolist()]
    value = float(value)
    return "NaN" if math.isnan(value) else value


def main():
    inputs = json.loads((FIXTURES / "hello_world.inputs.json").read_text())
    dr = driver.Builder().with_modules(hello_world_functions).build()
    result = dr.execute(
        OUTPUTS,
        inputs={name: pd.Series(values, dtype="float64") for name, values in inputs.items()},
    )
    out = {name: plain(result[name]) for name in OUTPUTS}
    target = FIXTURES / "hello_world.hamilton.json"
    target.write_text(json.dumps(out, indent=2) + "\n")
    print(f"wrote {target.relative_to(pathlib.Path.cwd()) if target.is_relative_to(pathlib.Path.cwd()) else target}")


if __name__ == "__main__":
    main()
