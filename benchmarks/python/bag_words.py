"""Dask side of the bag-frequencies workload: the word files written by benchmarks/src/workloads/bag.ts."""
import json
import os
import tempfile

import dask.bag as db

WORDS_DIR = os.path.join(tempfile.gettempdir(), "pdask-bench-bag-words")


def setup():
    manifest = os.path.join(WORDS_DIR, "manifest.json")
    if not os.path.exists(manifest):
        raise RuntimeError(f"{manifest} is missing: the JS systems of bag-frequencies write the word files first")
    with open(manifest) as f:
        return json.load(f)


def _frequencies(info, scheduler):
    pairs = db.read_text(os.path.join(WORDS_DIR, "words-*.txt")).str.split().flatten().frequencies().compute(scheduler=scheduler)
    assert sum(c for _, c in pairs) == info["words"]
    assert len(pairs) == info["distinct"]


def run_frequencies_sync(info):
    _frequencies(info, "sync")


def run_frequencies_processes(info):
    _frequencies(info, "processes")
