"""Dask DataFrame peers of the dataframe engine workloads (benchmarks/src/workloads/dataframe-engine.ts).

Sizes come from PDASK_BENCH_ENGINE_ROWS, set by the TypeScript side.
"""
import json
import os
import tempfile

import dask
import dask.dataframe as dd
import numpy as np
import pandas as pd

SIZES = json.loads(os.environ.get("PDASK_BENCH_ENGINE_ROWS", '{"a": 100000000, "bLeft": 20000000, "bRight": 2000000, "c": 20000000, "files": 20, "keys": 100}'))


def setup_parquet():
    return os.path.join(tempfile.gettempdir(), "pdask-bench-engine-%d" % SIZES["a"])


def run_parquet(d):
    df = dd.read_parquet(os.path.join(d, "*.parquet"))
    r = df[df.x > 0.5].groupby("key").y.mean().compute(scheduler="threads")
    assert len(r) == SIZES["keys"]


def setup_merge():
    rng = np.random.default_rng(12345)
    n, m = SIZES["bLeft"], SIZES["bRight"]
    left = pd.DataFrame({"k": rng.integers(0, m, n, dtype=np.int32), "v": rng.random(n)})
    right = pd.DataFrame({"k": np.arange(m, dtype=np.int32), "g": (np.arange(m) % SIZES["keys"]).astype(np.int32)})
    return left, right


def run_merge(d):
    left, right = d
    l = dd.from_pandas(left, npartitions=20)
    r = dd.from_pandas(right, npartitions=2)
    out = l.merge(r, on="k").groupby("g").v.mean().compute(scheduler="threads")
    assert len(out) == SIZES["keys"]


def setup_set_index():
    rng = np.random.default_rng(777)
    n = SIZES["c"]
    return pd.DataFrame({"k": rng.random(n), "v": rng.random(n)})


def run_set_index(df):
    with dask.config.set(scheduler="threads"):
        s = dd.from_pandas(df, npartitions=20).set_index("k").persist()
    assert s.npartitions >= 1
