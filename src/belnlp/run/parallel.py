"""`--n-process N`: batches of articles processed by N worker processes, results in input order.

Each worker runs the whole chain for its batch (parse, rules, claims) and sends back only the
results. spaCy's own nlp.pipe(n_process=N) would instead ship every parsed Doc back to this
process (Doc.to_bytes and from_bytes both ways, about a fifth of the parsing time) and build
the claims here.

Where the system can fork and this process runs no other thread, this process builds the
pipeline once and forks the workers from it: they share its pages copy-on-write and start in
milliseconds, where a spawned worker spends 2-3 s of CPU importing spaCy and building its own
pipeline (on 2 cores, the second worker's start-up was most of what 2 processes lost against
1). Otherwise (no fork on the system, or a thread such as a progress bar's is running, which
a fork could copy mid-lock) workers are spawned and build the pipeline themselves from the
spec. Workers ignore Ctrl-C, which this process handles; a worker whose parent is gone (a
SIGKILLed run) exits within ORPHAN_CHECK_SECONDS instead of holding its memory.

A batch goes to the workers in PIECES_PER_BATCH pieces: a worker that finishes early takes
the next piece, so at the end of a run the workers finish within a piece of each other, not
within a whole batch (about a second of idle core per run of 500 short documents). The
model's speed does not depend on the batch size here (nlp.pipe over 120 articles: 15.2-15.5 s
in batches of 32, 15.3-15.4 s in batches of 8). At most WINDOW_PER_PROCESS batches per worker
are queued or unread.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from itertools import islice
from typing import TYPE_CHECKING

from belnlp.ingest.articles import Article
from belnlp.run.faults import Failure, WorkerDied
from belnlp.run.result import Result
from belnlp.run.workers import PipelineSpec, keep_pipeline, process_batch, settle

if TYPE_CHECKING:
    from spacy.language import Language

WINDOW_PER_PROCESS = 2
PIECES_PER_BATCH = 4
ORPHAN_CHECK_SECONDS = 1.0


def start_method() -> str:
    """"fork" where the system has it and this process runs no other thread, else "spawn"."""
    forks = "fork" in multiprocessing.get_all_start_methods()
    return "fork" if forks and threading.active_count() == 1 else "spawn"


class WorkerPool:
    """`processes` workers for the pipeline of `spec`, started now.

    `build` builds the pipeline in this process (the CLI's build, which reports its own
    errors); it is called only when the workers are forked."""

    def __init__(self, spec: PipelineSpec, processes: int, build: Callable[[], Language]
                 ) -> None:
        self.spec, self.processes = spec, processes
        self.start_method = start_method()
        if self.start_method == "fork":
            keep_pipeline(spec, settle(build()))
            sys.stdout.flush()  # a worker flushes the standard streams it inherits on exit
            sys.stderr.flush()
        self.executor = ProcessPoolExecutor(
            processes, mp_context=multiprocessing.get_context(self.start_method),
            initializer=_start_worker, initargs=(os.getpid(),))
        if self.start_method == "fork":
            self.executor.submit(os.getpid).result()  # forks every worker now, before threads

    def results(self, articles: Iterable[Article], *, batch_size: int = 32
                ) -> Iterator[Result | Failure]:
        """Results (or failures) of `articles` in input order."""
        source = iter(articles)
        piece = -(-batch_size // PIECES_PER_BATCH)
        pending: deque[Future[list[Result | Failure]]] = deque()
        try:
            while True:
                while len(pending) < WINDOW_PER_PROCESS * PIECES_PER_BATCH * self.processes:
                    batch = list(islice(source, piece))
                    if not batch:
                        break
                    pending.append(self.executor.submit(process_batch, batch, self.spec))
                if not pending:
                    return
                try:
                    results = pending.popleft().result()
                except BrokenProcessPool:
                    raise WorkerDied("a worker process died (killed, out of memory or a "
                                     "crash); run the same command with --resume to "
                                     "continue") from None
                yield from results
        finally:
            self.close()

    def close(self) -> None:
        """Stop the workers; queued batches are dropped."""
        self.executor.shutdown(wait=True, cancel_futures=True)


def _start_worker(parent: int) -> None:
    """In each worker: leave Ctrl-C to the parent, and exit when the parent is gone."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_when_orphaned, args=(parent,), daemon=True).start()


def _exit_when_orphaned(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(ORPHAN_CHECK_SECONDS)
    os._exit(1)
