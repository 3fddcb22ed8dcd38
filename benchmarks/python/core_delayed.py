"""Dask side of benchmarks/src/workloads/core.ts: the same graphs, built the same way."""
import dask
from dask import delayed

LEAVES = 100_000
EXPECTED = LEAVES * (LEAVES + 1) // 2


def inc(i):
    return i + 1


def add(a, b):
    return a + b


def setup_tree():
    level = [delayed(inc)(i) for i in range(LEAVES)]
    while len(level) > 1:
        nxt = []
        for i in range(0, len(level), 2):
            nxt.append(delayed(add)(level[i], level[i + 1]) if i + 1 < len(level) else level[i])
        level = nxt
    return level[0]


def run_tree_sync(root):
    assert root.compute(scheduler="sync") == EXPECTED


def run_tree_threads(root):
    assert root.compute(scheduler="threads") == EXPECTED


def run_chain_build(_ctx):
    d = delayed(inc)(0)
    for _ in range(1, 10_000):
        d = delayed(inc)(d)
    return d
