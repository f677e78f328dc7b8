"""`--n-process N`: batches of articles processed by N worker processes, results in input order.

Each worker runs the whole chain for its batch (parse, rules, claims) and sends back only the
results. spaCy's own nlp.pipe(n_process=N) would instead ship every parsed Doc back to this
process (Doc.to_bytes and from_bytes both ways, about a fifth of the parsing time) and build
the claims here. Workers are spawned, build the pipeline once each, and ignore Ctrl-C, which
this process handles; a worker whose parent is gone (a SIGKILLed run) exits within
ORPHAN_CHECK_SECONDS instead of holding its memory. At most WINDOW_PER_PROCESS batches per
worker are queued or unread.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from itertools import islice

from belnlp.ingest.articles import Article
from belnlp.run.faults import Failure, WorkerDied
from belnlp.run.result import Result
from belnlp.run.workers import PipelineSpec, process_batch

WINDOW_PER_PROCESS = 2
ORPHAN_CHECK_SECONDS = 1.0


def pool_results(articles: Iterable[Article], spec: PipelineSpec, processes: int, *,
                 batch_size: int = 32) -> Iterator[Result | Failure]:
    """Results (or failures) of `articles` in input order, computed by `processes` workers."""
    source = iter(articles)
    pool = ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context("spawn"),
                               initializer=_start_worker, initargs=(os.getpid(),))
    pending: deque[Future[list[Result | Failure]]] = deque()
    try:
        while True:
            while len(pending) < WINDOW_PER_PROCESS * processes:
                batch = list(islice(source, batch_size))
                if not batch:
                    break
                pending.append(pool.submit(process_batch, batch, spec))
            if not pending:
                return
            try:
                results = pending.popleft().result()
            except BrokenProcessPool:
                raise WorkerDied("a worker process died (killed, out of memory or a crash); "
                                 "run the same command with --resume to continue") from None
            yield from results
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _start_worker(parent: int) -> None:
    """In each worker: leave Ctrl-C to the parent, and exit when the parent is gone."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_when_orphaned, args=(parent,), daemon=True).start()


def _exit_when_orphaned(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(ORPHAN_CHECK_SECONDS)
    os._exit(1)
