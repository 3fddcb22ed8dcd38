"""scikit-learn (and Dask-ML) side of benchmarks/src/workloads/ml.ts: the same shapes, models and
settings; data of the same distribution drawn with NumPy."""
import numpy as np

N = 1_000_000
BLOCKS = 4


def _blobs(n, d, k):
    rng = np.random.default_rng(11)
    centers = rng.uniform(-2, 2, size=(k, d))
    return centers[np.arange(n) % k] + rng.uniform(-2, 2, size=(n, d))


def _logistic(n, d):
    rng = np.random.default_rng(7)
    X = rng.uniform(-1, 1, size=(n, d))
    w = np.array([(1 if t % 2 == 0 else -1) * (1 + t / 10) for t in range(d)])
    p = 1 / (1 + np.exp(-(X @ w - 0.5)))
    y = (rng.random(n) < p).astype(np.float64)
    return X, y


def setup_kmeans():
    return _blobs(N, 10, 8)


def run_sklearn_kmeans(X):
    from sklearn.cluster import KMeans

    m = KMeans(n_clusters=8, init="k-means++", n_init=1, max_iter=10, tol=0.0, algorithm="lloyd", random_state=0).fit(X)
    assert m.n_iter_ == 10 and 0 < m.inertia_ < N * 10 * 8 / 3, (m.n_iter_, m.inertia_)


def setup_kmeans_dask():
    import dask.array as da

    return da.from_array(_blobs(N, 10, 8), chunks=(N // BLOCKS, 10)).persist()


def run_daskml_kmeans(X):
    from dask_ml.cluster import KMeans

    KMeans(n_clusters=8, max_iter=10, tol=0.0, random_state=0).fit(X)


def setup_logistic():
    return _logistic(N, 20)


def _check(m):
    assert abs(m.coef_[0][0] - 1) < 0.05 and abs(m.intercept_[0] + 0.5) < 0.05, (m.coef_, m.intercept_)


def run_sklearn_lbfgs(ctx):
    from sklearn.linear_model import LogisticRegression

    X, y = ctx
    _check(LogisticRegression(C=1.0).fit(X, y))


def run_sklearn_newton(ctx):
    from sklearn.linear_model import LogisticRegression

    X, y = ctx
    _check(LogisticRegression(C=1.0, solver="newton-cg").fit(X, y))


def setup_logistic_dask():
    import dask.array as da

    X, y = _logistic(N, 20)
    return da.from_array(X, chunks=(N // BLOCKS, 20)).persist(), da.from_array(y, chunks=N // BLOCKS).persist()


def run_daskml_logistic(ctx):
    from dask_ml.linear_model import LogisticRegression

    X, y = ctx
    LogisticRegression(C=1.0, solver="newton").fit(X, y)
