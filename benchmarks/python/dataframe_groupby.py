"""pandas and Dask side of benchmarks/src/workloads/dataframe.ts: the seed's groupby('x').y.mean()."""
import dask
import dask.dataframe as dd
import numpy as np
import pandas as pd

N = 10_000_000
SEED_N = 10_000
PARTS = 4


def _frame(n):
    rng = np.random.default_rng(3)
    return pd.DataFrame({"x": rng.integers(0, 10, size=n, dtype=np.int32), "y": rng.random(n)})


def _check(result):
    assert len(result) == 10 and abs(result.mean() - 0.5) < 0.05, result


def setup():
    return _frame(N)


def setup_seed():
    return _frame(SEED_N)


def run_pandas(df):
    _check(df.groupby("x").y.mean())


def _dask(df, scheduler):
    ddf = dd.from_pandas(df, npartitions=PARTS)
    _check(ddf.groupby("x").y.mean().compute(scheduler=scheduler))


def run_dask_threads(df):
    _dask(df, "threads")


def run_dask_sync(df):
    _dask(df, "sync")
