"""The tree reduction of the core and distributed workloads, built as benchmarks/src/workloads/trees.ts
builds it: leaves inc(i), then pairwise add."""
from dask import delayed


def inc(i):
    return i + 1


def add(a, b):
    return a + b


def tree_reduction(leaves):
    level = [delayed(inc)(i) for i in range(leaves)]
    while len(level) > 1:
        nxt = []
        for i in range(0, len(level), 2):
            nxt.append(delayed(add)(level[i], level[i + 1]) if i + 1 < len(level) else level[i])
        level = nxt
    return level[0]


def tree_sum(leaves):
    return leaves * (leaves + 1) // 2
