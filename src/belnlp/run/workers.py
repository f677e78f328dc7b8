"""Running the pipeline on a stream or a batch of articles, here or in a worker process.

`stream_results` serves this process; `process_batch` serves the local process pool
(parallel.py) and Dask workers (distributed.py), which build the pipeline once per process
from a spec of plain values and keep it, unless they were forked from a process that keeps
it already. Documents are processed inside spaCy memory zones,
so the strings they add to the vocabulary are dropped afterwards and a long stream of new
words does not grow memory. A zone spans ZONE_DOCUMENTS documents, of a stream or of a
worker's batches: every zone re-adds the words it needs, so short zones cost time. spaCy's
rule lemmatizer and belnlp's array versions of the model's rule components keep caches keyed
by those strings; they are cleared with each zone.
"""

from __future__ import annotations

import atexit
import gc
import tempfile
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING

from belnlp.ingest.articles import Article
from belnlp.run.faults import Failure
from belnlp.run.result import Result

if TYPE_CHECKING:
    from spacy.language import Language

ZONE_DOCUMENTS = 1000
_LOCK = threading.Lock()  # one pipeline per process; threads of a Dask worker take turns


@dataclass(frozen=True, slots=True)
class PipelineSpec:
    """What a worker needs to build the pipeline; rules and aliases travel as text, since a
    worker need not see the client's files."""

    model: str
    rules: tuple[tuple[str, str], ...] = ()  # (file name, JSONL text) of each extra rules file
    default_rules: bool = True
    aliases: tuple[str, str] | None = None  # (file name, JSONL text) of an alias table

    @classmethod
    def from_files(cls, model: str, rule_files: Sequence[str | Path],
                   default_rules: bool = True, aliases: str | Path | None = None
                   ) -> PipelineSpec:
        rules = tuple(_named_text(path) for path in rule_files)
        return cls(model, rules, default_rules, _named_text(aliases) if aliases else None)


def _named_text(path: str | Path) -> tuple[str, str]:
    return Path(path).name, Path(path).read_text(encoding="utf-8")


def stream_results(articles: Iterable[Article], nlp: Language, batch_size: int
                   ) -> Iterator[Result | Failure]:
    """Results (or failures) of a stream of articles, in order, as they come."""
    from belnlp.run.process import process_articles

    source = iter(articles)
    while True:
        count = 0
        with zone(nlp):
            for result in process_articles(islice(source, ZONE_DOCUMENTS), nlp,
                                           batch_size=batch_size, isolate=True):
                count += 1
                yield result
        if count < ZONE_DOCUMENTS:
            return


def process_batch(articles: list[Article], spec: PipelineSpec) -> list[Result | Failure]:
    """Runs in a worker process: the results (or failures) of `articles`, in their order.

    The worker's memory zone spans batches until it has held ZONE_DOCUMENTS documents, as a
    stream's does: a zone per batch of 32 made every batch re-add its words, 10-15% of the
    work. Results are plain Python values, so they outlive the zone's strings."""
    from belnlp.run.process import process_articles

    with _LOCK:
        nlp = _KEPT[spec] if spec in _KEPT else worker_pipeline(spec)
        _WORKER_ZONE.enter(nlp)
        try:
            return list(process_articles(articles, nlp, batch_size=max(1, len(articles)),
                                         isolate=True))
        finally:
            _WORKER_ZONE.count(len(articles))


class _OpenZone:
    """The memory zone a worker keeps open across batches, closed after ZONE_DOCUMENTS."""

    def __init__(self) -> None:
        self.nlp: Language | None = None
        self.stack = ExitStack()
        self.documents = 0

    def enter(self, nlp: Language) -> None:
        if self.nlp is not nlp:
            self.close()
            self.stack.enter_context(zone(nlp))
            self.nlp = nlp

    def count(self, documents: int) -> None:
        self.documents += documents
        if self.documents >= ZONE_DOCUMENTS:
            self.close()

    def close(self) -> None:
        self.stack.close()
        self.nlp, self.documents = None, 0


_WORKER_ZONE = _OpenZone()
atexit.register(_WORKER_ZONE.close)  # while the modules it needs are still there


@contextmanager
def zone(nlp: Language) -> Iterator[None]:
    """A memory zone; the caches keyed by the zone's strings go with it."""
    from spacy.pipeline import Lemmatizer

    try:
        with nlp.memory_zone():
            yield
    finally:
        for _, pipe in nlp.pipeline:
            if isinstance(pipe, Lemmatizer):
                pipe.cache.clear()
            elif hasattr(pipe, "clear_cache"):
                pipe.clear_cache()


def settle(nlp: Language) -> Language:
    """Take the built pipeline, and all else alive now, out of the garbage collector's sight.

    Its hundred thousand objects live as long as the process, yet every full collection
    walked them: 0.7 s of CPU in a 20 s run of 120 articles, against 0.06 s once frozen.
    Frozen before a fork, they also stay shared with the workers instead of being copied
    when the collector touches them."""
    gc.collect()
    gc.freeze()
    return nlp


_KEPT: dict[PipelineSpec, Language] = {}


def keep_pipeline(spec: PipelineSpec, nlp: Language) -> None:
    """Make `nlp`, built here, the pipeline of `spec` in this process and in the workers
    forked from it."""
    _KEPT[spec] = nlp


@lru_cache(maxsize=4)
def worker_pipeline(spec: PipelineSpec) -> Language:
    """The pipeline of `spec`, built once per worker process."""
    from belnlp.nlp.pipeline import build_nlp

    with tempfile.TemporaryDirectory(prefix="belnlp-spec-") as folder:
        files = [*spec.rules, *([spec.aliases] if spec.aliases else [])]
        paths = []
        for index, (name, text) in enumerate(files):
            path = Path(folder) / f"{index}-{name}"
            path.write_text(text, encoding="utf-8")
            paths.append(str(path))
        aliases = paths.pop() if spec.aliases else None
        return settle(build_nlp(spec.model, rule_files=paths, default_rules=spec.default_rules,
                                aliases=aliases))
