"""Dask distributed side of 'dist-map-gather': client.map(inc, range(100000)) then gather (a flat graph)."""
from distributed import Client, LocalCluster

N = 100_000


def inc(x):
    return x + 1


def setup():
    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    client = Client(cluster)
    client.submit(inc, -1, pure=False).result()
    return {"cluster": cluster, "client": client}


def run(ctx):
    client = ctx["client"]
    futures = client.map(inc, range(N), pure=False)
    results = client.gather(futures)
    # sum of i + 1 for i < N
    assert sum(results) == N * (N + 1) // 2
    del futures


def teardown(ctx):
    ctx["client"].close()
    ctx["cluster"].close()
