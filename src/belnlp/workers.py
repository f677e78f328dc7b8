"""The work of one worker: a batch of articles in, their results out, in batch order.

Used in this process (`batched_results`), by the local process pool (parallel.py) and by Dask
workers (distributed.py). A worker process builds the pipeline once, from a spec of plain
values, and keeps it. Each batch runs in a spaCy memory zone: the strings its documents add to
the vocabulary are dropped afterwards, so a long stream of new words does not grow memory.
"""

from __future__ import annotations

import tempfile
import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING

from belnlp.articles import Article
from belnlp.result import Result

if TYPE_CHECKING:
    from spacy.language import Language

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


def batched_results(articles: Iterable[Article], nlp: Language, batch_size: int
                    ) -> Iterator[Result]:
    """Results of a stream of articles, computed batch by batch."""
    source = iter(articles)
    while batch := list(islice(source, batch_size)):
        yield from run_batch(batch, nlp)


def process_batch(articles: list[Article], spec: PipelineSpec) -> list[Result]:
    """Runs in a worker process: the results of `articles`, in their order."""
    with _LOCK:
        return run_batch(articles, worker_pipeline(spec))


def run_batch(articles: list[Article], nlp: Language) -> list[Result]:
    """The results of one batch; its Docs do not outlive the memory zone they are made in."""
    from belnlp.process import process_articles

    with nlp.memory_zone():
        return list(process_articles(articles, nlp, batch_size=max(1, len(articles))))


@lru_cache(maxsize=4)
def worker_pipeline(spec: PipelineSpec) -> Language:
    """The pipeline of `spec`, built once per worker process."""
    from belnlp.pipeline import build_nlp

    with tempfile.TemporaryDirectory(prefix="belnlp-spec-") as folder:
        files = [*spec.rules, *([spec.aliases] if spec.aliases else [])]
        paths = []
        for index, (name, text) in enumerate(files):
            path = Path(folder) / f"{index}-{name}"
            path.write_text(text, encoding="utf-8")
            paths.append(str(path))
        aliases = paths.pop() if spec.aliases else None
        return build_nlp(spec.model, rule_files=paths, default_rules=spec.default_rules,
                         aliases=aliases)
