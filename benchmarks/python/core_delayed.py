"""Dask side of benchmarks/src/workloads/core.ts: the same graphs, built the same way."""
from dask import delayed

from trees import inc, tree_reduction, tree_sum

LEAVES = 100_000
EXPECTED = tree_sum(LEAVES)


def setup_tree():
    return tree_reduction(LEAVES)


def run_tree_sync(root):
    assert root.compute(scheduler="sync") == EXPECTED


def run_tree_threads(root):
    assert root.compute(scheduler="threads") == EXPECTED


def run_chain_build(_ctx):
    d = delayed(inc)(0)
    for _ in range(1, 10_000):
        d = delayed(inc)(d)
    return d
