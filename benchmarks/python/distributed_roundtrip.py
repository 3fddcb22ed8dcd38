"""Dask distributed side of 'dist-roundtrip': 200 sequential submit -> result round trips."""
from distributed import Client, LocalCluster

N = 200


def inc(x):
    return x + 1


def setup():
    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    client = Client(cluster)
    client.submit(inc, -1, pure=False).result()
    return {"cluster": cluster, "client": client}


def run(ctx):
    client = ctx["client"]
    for i in range(N):
        assert client.submit(inc, i, pure=False).result() == i + 1


def teardown(ctx):
    ctx["client"].close()
    ctx["cluster"].close()
