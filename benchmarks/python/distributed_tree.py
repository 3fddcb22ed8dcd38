"""Dask distributed side of the 'dist-tree' workload: a 100,000-task tree of tiny tasks on a
LocalCluster of 2 worker processes (1 thread each)."""
from distributed import Client, LocalCluster

from trees import tree_reduction, tree_sum

LEAVES = 50_000
EXPECTED = tree_sum(LEAVES)


def setup():
    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    client = Client(cluster)
    return {"cluster": cluster, "client": client, "root": tree_reduction(LEAVES)}


def run(ctx):
    assert ctx["root"].compute() == EXPECTED


def teardown(ctx):
    ctx["client"].close()
    ctx["cluster"].close()
