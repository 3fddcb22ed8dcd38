"""pandas and Dask side of benchmarks/src/workloads/dataframe-csv.ts: read 5 CSV files of 2e6 rows
(written by the JS side, which runs first, under the same temp path), group by the string key,
describe()."""
import glob
import os
import tempfile

import dask
import dask.dataframe as dd
import pandas as pd

FILES = 5
ROWS = 2_000_000
KEYS = 100
GLOB = os.path.join(tempfile.gettempdir(), f"pdask-bench-csv-{FILES}x{ROWS}-v1", "part-*.csv")


def _check(means, desc):
    assert len(means) == KEYS and abs(means.mean() - 500) < 5, means
    assert desc.loc["count", "id"] == FILES * ROWS, desc
    assert abs(desc.loc["mean", "x"] - 500) < 5, desc


def setup():
    files = sorted(glob.glob(GLOB))
    assert len(files) == FILES, f"{GLOB}: run the JS side first (it writes the files)"
    return files


def run_pandas(files):
    df = pd.concat([pd.read_csv(f, parse_dates=["when"]) for f in files], ignore_index=True)
    _check(df.groupby("name").x.mean(), df.describe())


def _dask(files, scheduler):
    ddf = dd.read_csv(files, parse_dates=["when"])
    means, desc = dask.compute(ddf.groupby("name").x.mean(), ddf.describe(), scheduler=scheduler)
    _check(means, desc)


def run_dask_threads(files):
    _dask(files, "threads")
