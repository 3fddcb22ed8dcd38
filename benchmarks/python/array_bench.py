"""Dask/NumPy side of benchmarks/src/workloads/array.ts: the same arrays, chunks and reductions."""
import numpy as np
import dask
import dask.array as da

N = 100_000_000
CHUNK = N // 4


def setup_sum():
    x = np.random.default_rng(1).random(N)
    return {"x": x, "dx": da.from_array(x, chunks=CHUNK)}


def run_dask_sum(ctx):
    return ctx["dx"].sum().compute(scheduler="threads")


def run_numpy_sum(ctx):
    return ctx["x"].sum()


def setup_add_sum():
    rng = np.random.default_rng(2)
    x = rng.random(N)
    y = rng.random(N)
    return {"x": x, "y": y, "dx": da.from_array(x, chunks=CHUNK), "dy": da.from_array(y, chunks=CHUNK)}


def run_dask_add_sum(ctx):
    return (ctx["dx"] + ctx["dy"]).sum().compute(scheduler="threads")


def run_numpy_add_sum(ctx):
    return (ctx["x"] + ctx["y"]).sum()


def run_dask_random_mean_4000(_ctx):
    x = da.random.random((4000, 4000), chunks=(1000, 1000))
    m = x.mean().compute(scheduler="threads")
    assert abs(m - 0.5) < 2e-3
    return m


def run_dask_random_mean(_ctx):
    x = da.random.random((10000, 10000), chunks=(1000, 1000))
    m = x.mean().compute(scheduler="threads")
    assert abs(m - 0.5) < 1e-3
    return m


def setup_persisted():
    x = da.random.random((10000, 10000), chunks=(1000, 1000)).persist(scheduler="threads")
    return {"x": x}


def run_dask_persisted(ctx):
    x = ctx["x"]
    m = ((x - 0.5) * (x - 0.5)).mean().compute(scheduler="threads")
    assert abs(m - 1 / 12) < 1e-3
    return m


def setup_seed():
    rng = np.random.default_rng(3)
    return {"x": rng.random(10000), "y": rng.random(10000)}


def run_dask_seed(ctx):
    """The seed tutorial end to end: from_array, (dx + dy).sum(), compute (default scheduler: threads)."""
    x, y = ctx["x"], ctx["y"]
    dx = da.from_array(x, chunks=len(x) // 4)
    dy = da.from_array(y, chunks=len(y) // 4)
    return (dx + dy).sum().compute()


def run_numpy_seed(ctx):
    return (ctx["x"] + ctx["y"]).sum()


QR_ROWS, QR_COLS, QR_BLOCK = 2_000_000, 10, 250_000


def setup_qr():
    i = np.arange(QR_ROWS * QR_COLS, dtype=np.float64).reshape(QR_ROWS, QR_COLS)
    x = np.sin(i * 0.001) + (i % 7)
    return {"dx": da.from_array(x, chunks=(QR_BLOCK, QR_COLS))}


def run_dask_qr(ctx):
    q, r = da.linalg.qr(ctx["dx"])
    rr = r.compute(scheduler="threads")
    assert rr.shape == (QR_COLS, QR_COLS)
    return float(abs(rr[0, 0]))
