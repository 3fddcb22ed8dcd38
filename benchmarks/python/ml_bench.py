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


# --- issue 14's workloads ---------------------------------------------------------------------

MULTI_CLASSES = 10


def _multiclass(n, d, k):
    """X uniform in [-1, 1); class = argmax of X @ W + noise, W fixed from a seeded generator."""
    rng = np.random.default_rng(5)
    W = rng.normal(size=(d, k))
    X = rng.uniform(-1, 1, size=(n, d))
    y = np.argmax(X @ W + 0.5 * rng.normal(size=(n, k)), axis=1).astype(np.float64)
    return X, y


def setup_multinomial():
    return _multiclass(N, 20, MULTI_CLASSES)


def run_sklearn_multinomial(ctx):
    from sklearn.linear_model import LogisticRegression

    X, y = ctx
    m = LogisticRegression(C=1.0, multi_class="multinomial", max_iter=100).fit(X, y)
    assert m.coef_.shape == (MULTI_CLASSES, 20)
    assert m.score(X[:10000], y[:10000]) > 0.5


GRID_N = 200_000
GRID_C = [0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0, 30.0, 100.0, 300.0]


def setup_grid():
    X, y = _logistic(GRID_N, 20)
    return X, y


def run_sklearn_grid(ctx):
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GridSearchCV, KFold
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import StandardScaler

    X, y = ctx
    pipe = Pipeline([("scale", StandardScaler()), ("clf", LogisticRegression())])
    search = GridSearchCV(pipe, {"clf__C": GRID_C}, cv=KFold(3)).fit(X, y)
    assert search.best_score_ > 0.6


MB_N = 10_000_000
MB_BLOCK = 100_000


def setup_minibatch():
    return _blobs(MB_N, 10, 8)


def run_sklearn_minibatch(X):
    from sklearn.cluster import MiniBatchKMeans

    m = MiniBatchKMeans(n_clusters=8, random_state=0, n_init=1, batch_size=1024)
    for start in range(0, MB_N, MB_BLOCK):
        m.partial_fit(X[start : start + MB_BLOCK])
    assert m.cluster_centers_.shape == (8, 10)


PCA_N = 1_000_000


def setup_pca():
    rng = np.random.default_rng(3)
    # Rank-10 signal plus noise, so the leading components are well separated.
    return rng.normal(size=(PCA_N, 10)) @ rng.normal(size=(10, 100)) + 0.1 * rng.normal(size=(PCA_N, 100))


def run_sklearn_pca(X):
    from sklearn.decomposition import PCA

    m = PCA(n_components=10, svd_solver="randomized", random_state=0).fit(X)
    assert m.explained_variance_ratio_.sum() > 0.95
