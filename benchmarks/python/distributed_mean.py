"""Dask distributed side of 'dist-random-mean': the seed's
da.random.random((10000, 10000), chunks=(1000, 1000)).mean() on 2 worker processes."""
import dask.array as da
from distributed import Client, LocalCluster


def setup():
    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    client = Client(cluster)
    return {"cluster": cluster, "client": client}


def run(_ctx):
    m = da.random.random((10000, 10000), chunks=(1000, 1000)).mean().compute()
    assert abs(m - 0.5) < 1e-3


def teardown(ctx):
    ctx["client"].close()
    ctx["cluster"].close()
