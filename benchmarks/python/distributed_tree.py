"""Dask distributed side of the 'dist-tree' workload: a 100,000-leaf tree of tiny tasks on a
LocalCluster of 2 worker processes (1 thread each)."""
from dask import delayed
from distributed import Client, LocalCluster

LEAVES = 50_000
EXPECTED = LEAVES * (LEAVES + 1) // 2


def inc(i):
    return i + 1


def add(a, b):
    return a + b


def setup():
    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    client = Client(cluster)
    level = [delayed(inc)(i) for i in range(LEAVES)]
    while len(level) > 1:
        nxt = []
        for i in range(0, len(level), 2):
            nxt.append(delayed(add)(level[i], level[i + 1]) if i + 1 < len(level) else level[i])
        level = nxt
    return {"cluster": cluster, "client": client, "root": level[0]}


def run(ctx):
    assert ctx["root"].compute() == EXPECTED


def teardown(ctx):
    ctx["client"].close()
    ctx["cluster"].close()
