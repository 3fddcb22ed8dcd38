"""Dask/NumPy side of benchmarks/src/workloads/stats.ts (issue 13): the same sizes and chunks."""
import numpy as np
import dask.array as da

N = 100_000_000
CHUNK = N // 4


def setup_floats():
    x = np.random.default_rng(1).random(N)
    return {"x": x, "dx": da.from_array(x, chunks=CHUNK)}


def run_dask_percentile(ctx):
    # Dask's percentile of a 1-d array: per-chunk percentiles merged approximately.
    return da.percentile(ctx["dx"], [25, 50, 75]).compute(scheduler="threads")


def run_numpy_percentile(ctx):
    return np.percentile(ctx["x"], [25, 50, 75])


def setup_ints():
    x = np.random.default_rng(2).integers(0, 1000, N)
    return {"x": x, "dx": da.from_array(x, chunks=CHUNK)}


def run_dask_unique(ctx):
    u = da.unique(ctx["dx"]).compute(scheduler="threads")
    assert len(u) == 1000
    return u


def run_numpy_unique(ctx):
    return np.unique(ctx["x"])


def run_dask_histogram(ctx):
    h, _ = da.histogram(ctx["dx"], bins=100, range=(0, 1))
    return h.compute(scheduler="threads")


def run_numpy_histogram(ctx):
    return np.histogram(ctx["x"], bins=100, range=(0, 1))


def setup_einsum():
    rng = np.random.default_rng(3)
    a = rng.random((4000, 4000))
    b = rng.random((4000, 4000))
    return {"a": a, "b": b, "da": da.from_array(a, chunks=1000), "db": da.from_array(b, chunks=1000)}


def run_dask_einsum(ctx):
    return da.einsum("ij,jk->ik", ctx["da"], ctx["db"]).compute(scheduler="threads")


def run_numpy_einsum(ctx):
    return np.einsum("ij,jk->ik", ctx["a"], ctx["b"])
