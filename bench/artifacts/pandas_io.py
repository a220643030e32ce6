"""The pandas side of the artifact benchmark: the same table as
bench/artifacts/run.mjs makes, written and read with to_csv/read_csv,
to_parquet/read_parquet (pyarrow) and to_json/read_json (lines).

    python pandas_io.py ROWS FOLDER

Reads one request per line on stdin, "FORMAT write" or "FORMAT read", runs it
once and answers one JSON line {"seconds": ..., "cpu": ..., "bytes": ...} (cpu:
the process's processor time, every thread); run.mjs sends a
request right after timing the same operation of dagcells, so that both sides
of a comparison run at the same moment of a machine whose load varies.
"""
import json
import os
import sys
import time

import numpy as np
import pandas as pd


def table(n):
    i = np.arange(n, dtype=np.int64)
    return pd.DataFrame({
        "id": i,
        "value": (i * 7919 % 1000003) / 997,
        "name": np.char.add("name-", (i % 5000).astype(str)).astype(object),
        "flag": i % 3 == 0,
        "when": pd.to_datetime(1_600_000_000_000 + i * 1000, unit="ms", utc=True),
    })


def main():
    n, folder = int(sys.argv[1]), sys.argv[2]
    df = table(n)
    path = {f: os.path.join(folder, f"pandas.{f}") for f in ("csv", "parquet", "ndjson")}
    ops = {
        ("csv", "write"): lambda: df.to_csv(path["csv"], index=False),
        ("csv", "read"): lambda: pd.read_csv(path["csv"], parse_dates=["when"]),
        ("parquet", "write"): lambda: df.to_parquet(path["parquet"], engine="pyarrow", index=False),
        ("parquet", "read"): lambda: pd.read_parquet(path["parquet"], engine="pyarrow"),
        ("ndjson", "write"): lambda: df.to_json(path["ndjson"], orient="records", lines=True, date_format="iso"),
        ("ndjson", "read"): lambda: pd.read_json(path["ndjson"], lines=True),
    }
    print(json.dumps({"pandas": pd.__version__, "pyarrow": __import__("pyarrow").__version__}), flush=True)
    for line in sys.stdin:
        fmt, op = line.split()
        start, cpu = time.perf_counter(), time.process_time()
        ops[(fmt, op)]()
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        print(json.dumps({"seconds": seconds, "cpu": cpu, "bytes": os.path.getsize(path[fmt])}), flush=True)


main()
