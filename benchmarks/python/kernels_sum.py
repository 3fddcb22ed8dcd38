"""NumPy side of the kernels benchmarks: sum of 100,000,000 float64 and the 800 MB bandwidth reference."""
import numpy as np

N = 100_000_000


def setup():
    return {"a": np.random.default_rng(1).random(N), "dst": np.empty(N)}


def run_sum(ctx):
    return ctx["a"].sum()


def run_copy(ctx):
    np.copyto(ctx["dst"], ctx["a"])


def setup_small_pages():
    """The same array on 4 KiB pages: NumPy madvises huge pages for large arrays unless told not to."""
    np.core.multiarray._set_madvise_hugepage(False)
    try:
        return {"a": np.random.default_rng(1).random(N)}
    finally:
        np.core.multiarray._set_madvise_hugepage(True)
