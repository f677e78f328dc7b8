"""Extraction on a Dask cluster: batches of articles go to the workers, results come back in order.

Each task is one batch of articles, processed by workers.process_batch, which builds the
pipeline once per worker process. The client writes each finished batch to its own JSONL
partition as soon as it arrives, in whatever order the workers finish, and merges the
partitions in input order, so the records are those of a local run. At most
WINDOW_PER_WORKER batches per worker are in flight or waiting to be merged, which bounds the
client's memory and the number of partition files.
"""

from __future__ import annotations

import json
import logging
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING

from belnlp.ingest.articles import Article
from belnlp.run.faults import Failure, decode_failure, encode_failure
from belnlp.run.result import Result, decode, encode
from belnlp.run.workers import PipelineSpec, process_batch

if TYPE_CHECKING:
    from distributed import Client

WINDOW_PER_WORKER = 2


def connect(scheduler: str | None, n_workers: int) -> Client:
    """A client of the cluster at `scheduler`, or of a new local cluster of n_workers processes
    (closed with the client)."""
    from distributed import Client

    if scheduler:
        return Client(scheduler)
    return Client(n_workers=n_workers, threads_per_worker=1, processes=True,
                  dashboard_address="127.0.0.1:0", silence_logs=logging.ERROR)


def dask_results(items: Iterable[Article], spec: PipelineSpec, client: Client, *,
                 batch_size: int = 32, workdir: str | Path | None = None
                 ) -> Iterator[Result | Failure]:
    """Results of `items` in input order, computed on the cluster; partitions go to a
    temporary folder in `workdir` that is removed at the end."""
    folder = Path(tempfile.mkdtemp(prefix=".belnlp-partitions-", dir=workdir))
    try:
        yield from _merged(items, spec, client, batch_size, folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _merged(items: Iterable[Article], spec: PipelineSpec, client: Client, batch_size: int,
            folder: Path) -> Iterator[Result | Failure]:
    from distributed import as_completed

    source = iter(items)
    workers = len(client.scheduler_info().get("workers", {}))
    window = WINDOW_PER_WORKER * max(1, workers)
    finished = as_completed()
    index_of: dict[str, int] = {}
    submitted = merged = 0
    while True:
        while submitted - merged < window:
            batch = list(islice(source, batch_size))
            if not batch:
                break
            future = client.submit(process_batch, batch, spec, pure=False)
            index_of[future.key] = submitted
            finished.add(future)
            submitted += 1
        if merged == submitted:
            return
        partition = folder / f"part-{merged:06d}.jsonl"
        while not partition.exists():
            future = next(finished)
            _write_partition(folder / f"part-{index_of.pop(future.key):06d}.jsonl",
                             future.result())
            future.release()
        with partition.open(encoding="utf-8") as lines:
            for line in lines:
                payload = json.loads(line)
                yield decode_failure(payload) if "failure" in payload else decode(payload)
        partition.unlink()
        merged += 1


def _write_partition(path: Path, results: list[Result | Failure]) -> None:
    with path.open("w", encoding="utf-8") as out:
        for result in results:
            payload = encode_failure(result) if isinstance(result, Failure) else encode(result)
            out.write(json.dumps(payload, ensure_ascii=False) + "\n")
