"""Dask side of benchmarks/src/workloads/bag.ts: the seed tutorial's bag examples, built the same way."""
import random

import dask.bag as db

N = 1_000_000
PARTS = 8
EVEN_SQUARES = sum(x * x for x in range(0, N, 2))


def _map_filter_sum(scheduler):
    b = db.from_sequence(range(N), npartitions=PARTS)
    total = b.map(lambda x: x**2).filter(lambda x: x % 2 == 0).sum().compute(scheduler=scheduler)
    assert total == EVEN_SQUARES, total


def run_map_filter_sum_sync(_ctx):
    _map_filter_sum("sync")


def run_map_filter_sum_processes(_ctx):
    _map_filter_sum("processes")


def random_walk(n):
    x = 0
    for _ in range(n):
        x += random.choice([-1, 1])
    return x


def _random_walk_mean(scheduler):
    m = db.from_sequence(range(1000), npartitions=4).map(random_walk).mean().compute(scheduler=scheduler)
    assert abs(m) < 100, m


def run_random_walk_sync(_ctx):
    _random_walk_mean("sync")


def run_random_walk_processes(_ctx):
    _random_walk_mean("processes")
