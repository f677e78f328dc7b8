"""How `belnlp extract` computes its results: spaCy in this process, a pool of --n-process
worker processes, or a Dask cluster, any of them optionally behind the incremental cache.

Setup problems (a bad rules file, a missing model, an unknown engine, an unreachable
scheduler) are reported before any output is opened. In this process the model is loaded at
start, or, with the cache, only when some document is not cached; workers load their own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from belnlp.ingest.articles import Article, InputError, only_articles
from belnlp.rules import RuleError, default_rule_paths, load_rules
from belnlp.run.cache import ResultCache, fingerprint, incremental, model_identity
from belnlp.run.faults import Failure
from belnlp.run.result import Result
from belnlp.run.workers import PipelineSpec, settle, stream_results

if TYPE_CHECKING:
    from spacy.language import Language

ENGINES = ("local", "dask")
DEFAULT_CACHE = Path("outputs") / ".cache"

OnError = Callable[[InputError], None] | None
Process = Callable[[Iterable[Article]], Iterator[Result | Failure]]


class SetupError(Exception):
    """The run cannot start; the message says why."""


@dataclass(frozen=True, slots=True)
class Engine:
    """The settings of `belnlp extract` that decide how results are computed."""

    model: str
    rule_files: tuple[str, ...] = ()
    default_rules: bool = True
    aliases: str | None = None  # an alias table instead of the packaged one
    n_process: int = 1
    batch_size: int = 32
    kind: str = "local"  # "local" or "dask"; a scheduler address implies "dask"
    scheduler: str | None = None
    incremental: bool = False
    cache_dir: str | None = None  # default: .cache beside the output
    output: str = "-"

    def cache_folder(self) -> Path:
        if self.cache_dir:
            return Path(self.cache_dir)
        return DEFAULT_CACHE if self.output == "-" else Path(self.output).parent / ".cache"

    def workdir(self) -> Path | None:
        """Where temporary partitions go: beside the output, else the system's temp folder."""
        return None if self.output == "-" else Path(self.output).parent


def start(engine: Engine, build: Callable[[], Language]
          ) -> Callable[[Iterable[Article | InputError], OnError], Iterator[Result | Failure]]:
    """Set the engine up and return the function that turns inputs into ordered results.

    `build` builds the pipeline locally (the CLI's build, which reports its own errors).
    """
    kind = "dask" if engine.scheduler else engine.kind
    if kind not in ENGINES:
        raise SetupError(f"--engine must be one of {', '.join(ENGINES)}, not {kind!r}")
    closers: list[Callable[[], None]] = []
    cache = _open_cache(engine) if engine.incremental else None
    if cache is not None:
        closers.append(cache.close)
    if kind == "dask":
        process = _dask(engine, closers)
    elif engine.n_process > 1:
        process = _pool(engine, build, eager=cache is None)
    else:
        process = _local(engine, build, eager=cache is None)

    def produce(items: Iterable[Article | InputError], on_error: OnError = None
                ) -> Iterator[Result | Failure]:
        try:
            if cache is None:
                yield from process(only_articles(items, on_error))
            else:
                yield from incremental(items, cache, process, on_error)
        finally:
            for close in closers:
                close()

    return produce


def _open_cache(engine: Engine) -> ResultCache:
    try:
        key = fingerprint(engine.model, engine.rule_files, default_rules=engine.default_rules,
                          aliases=engine.aliases)
        return ResultCache(engine.cache_folder(), key)
    except (RuleError, OSError) as exc:
        raise SetupError(str(exc)) from None


def _local(engine: Engine, build: Callable[[], Language], *, eager: bool) -> Process:
    built = [settle(build())] if eager else []

    def process(articles: Iterable[Article]) -> Iterator[Result | Failure]:
        if not built:
            built.append(settle(build()))
        return stream_results(articles, built[0], engine.batch_size)

    return process


def _pool(engine: Engine, build: Callable[[], Language], *, eager: bool) -> Process:
    """Worker processes, started now when `eager` (before any thread, so that they can be
    forked from the pipeline built here), else at the first document to process."""
    from belnlp.run.parallel import WorkerPool

    spec = _worker_spec(engine)
    if model_identity(engine.model)["version"] is None:
        build()  # reports the missing model here, as a run in this process would
    started = [WorkerPool(spec, engine.n_process, build)] if eager else []

    def process(articles: Iterable[Article]) -> Iterator[Result | Failure]:
        if not started:
            started.append(WorkerPool(spec, engine.n_process, build))
        return started[0].results(articles, batch_size=engine.batch_size)

    return process


def _dask(engine: Engine, closers: list[Callable[[], None]]) -> Process:
    from belnlp.run.distributed import connect, dask_results

    spec = _worker_spec(engine)
    try:
        client = connect(engine.scheduler, engine.n_process)
    except ImportError:
        raise SetupError("the dask engine needs Dask: pip install 'belnlp[dask]'") from None
    except (OSError, TimeoutError) as exc:
        raise SetupError(str(exc)) from None
    closers.append(client.close)

    def process(articles: Iterable[Article]) -> Iterator[Result | Failure]:
        return dask_results(articles, spec, client, batch_size=engine.batch_size,
                            workdir=engine.workdir())

    return process


def _worker_spec(engine: Engine) -> PipelineSpec:
    """The spec workers build from, after checking the rules here (spaCy checks the patterns
    again when a worker builds them)."""
    try:
        load_rules([*(default_rule_paths() if engine.default_rules else []),
                    *engine.rule_files])
        return PipelineSpec.from_files(engine.model, engine.rule_files, engine.default_rules,
                                       engine.aliases)
    except (RuleError, OSError) as exc:
        raise SetupError(str(exc)) from None

