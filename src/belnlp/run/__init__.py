"""Run layer: how extract computes results (local, processes, Dask, cached, resumable)."""
