"""Dask distributed side of 'dist-startup': LocalCluster(2 processes) up, a client connected,
then closed."""
from distributed import Client, LocalCluster


def run(_ctx):
    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    client = Client(cluster)
    client.wait_for_workers(2)
    client.close()
    cluster.close()
