"""pandas side of the kernels benchmarks: group-by mean of 10,000,000 rows (10 or 1,000,000 groups)."""
import numpy as np
import pandas as pd

N = 10_000_000


def _frame(groups):
    rng = np.random.default_rng(2)
    return pd.DataFrame({"k": rng.integers(0, groups, size=N, dtype=np.int32), "v": rng.random(N)})


def setup_10():
    return _frame(10)


def setup_1m():
    return _frame(1_000_000)


def run_mean(df):
    return df.groupby("k")["v"].mean()
