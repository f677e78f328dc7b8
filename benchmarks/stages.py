"""Where one `belnlp extract` run spends its time: each pipeline component and each stage after it.

Instrumentation is generic, so that components and layers added later are timed without
changes here:
- every component of the built pipeline, and the tokenizer, is wrapped in a timing proxy
  (its pipe() generator is timed at each step);
- after parsing, every belnlp function that one module of ingest/, nlp/extract/, run/,
  records.py or jsonl.py calls in another (each cross-module import), every public function
  of those modules, and the public methods of their classes are wrapped the same way.
Times are exclusive: a stage's time excludes the stages it calls (a component's excludes the
components upstream of it), so the stages add up to the run. Whatever no stage holds (the CLI,
the progress bar, spaCy's batching) is reported as "other".

    python benchmarks/stages.py INPUT.jsonl OUTPUT.jsonl   # prints the table as JSON
"""

from __future__ import annotations

import functools
import importlib
import inspect
import json
import pkgutil
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from typing import Any

POST_PARSE = ("belnlp.ingest", "belnlp.nlp.extract", "belnlp.run", "belnlp.records",
              "belnlp.jsonl")
SETUP = "setup: build_nlp (model, components, rules)"
OTHER = "other (CLI, imports, batching)"


class StageTimer:
    """Exclusive wall time per stage name, over nested calls and generator steps."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)
        self._children: list[float] = []

    def call(self, name: str, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        self._children.append(0.0)
        try:
            result = fn(*args, **kwargs)
        finally:
            self._close(name, start)
        if inspect.isgenerator(result):
            return self.iterate(name, result)
        return result

    def iterate(self, name: str, items: Iterator[Any]) -> Iterator[Any]:
        """Yield from `items`, timing each step under `name`."""
        while True:
            start = time.perf_counter()
            self._children.append(0.0)
            try:
                item = next(items)
            except StopIteration:
                return
            finally:
                self._close(name, start)
            yield item

    def wrap(self, name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(fn)
        def timed(*args: Any, **kwargs: Any) -> Any:
            return self.call(name, fn, *args, **kwargs)

        timed.__belnlp_timed__ = True
        return timed

    def _close(self, name: str, start: float) -> None:
        elapsed = time.perf_counter() - start
        self.seconds[name] += elapsed - self._children.pop()
        self.calls[name] += 1
        if self._children:
            self._children[-1] += elapsed


class TimedComponent:
    """A pipeline component whose __call__ and pipe() are timed; all else is the component's."""

    def __init__(self, timer: StageTimer, name: str, proc: Any) -> None:
        self._timer, self._name, self._proc = timer, name, proc

    def __call__(self, doc: Any) -> Any:
        return self._timer.call(self._name, self._proc, doc)

    def pipe(self, docs: Any, **kwargs: Any) -> Iterator[Any]:
        if hasattr(self._proc, "pipe"):
            return self._timer.iterate(self._name, self._proc.pipe(docs, **kwargs))
        return (self(doc) for doc in docs)

    def __getattr__(self, attr: str) -> Any:
        return getattr(self._proc, attr)


def instrument_pipeline(nlp: Any, timer: StageTimer) -> Any:
    """Time the tokenizer and every component of `nlp`, in place."""
    nlp.tokenizer = TimedComponent(timer, "tokenizer", nlp.tokenizer)
    components = nlp._components  # Language.pipe reads its pipeline from this list
    for index, (name, proc) in enumerate(components):
        components[index] = (name, TimedComponent(timer, f"component {name}", proc))
    return nlp


def post_parse_modules() -> list[Any]:
    """The modules of the post-parse stages, imported (one a missing extra needs is left out)."""
    import belnlp

    modules = []
    for info in pkgutil.walk_packages(belnlp.__path__, "belnlp."):
        if info.name.startswith(POST_PARSE):
            try:
                modules.append(importlib.import_module(info.name))
            except ImportError:
                continue
    return modules


def _stage_name(fn: Callable[..., Any]) -> str:
    return f"{fn.__module__.removeprefix('belnlp.')}.{fn.__qualname__}"


def instrument_stages(timer: StageTimer) -> None:
    """Wrap the post-parse stages' functions where they are called from."""
    for module in post_parse_modules():
        for attr, value in list(vars(module).items()):
            if inspect.isclass(value) and value.__module__ == module.__name__:
                for method, fn in list(vars(value).items()):
                    if inspect.isfunction(fn) and not method.startswith("_"):
                        setattr(value, method, timer.wrap(_stage_name(fn), fn))
                continue
            if not inspect.isfunction(value) or getattr(value, "__belnlp_timed__", False):
                continue
            if not value.__module__.startswith("belnlp."):
                continue
            if value.__module__ != module.__name__ or not attr.startswith("_"):
                setattr(module, attr, timer.wrap(_stage_name(value), value))


def instrumented_extract(inputs: str, output: str) -> dict[str, Any]:
    """Run `belnlp extract INPUTS -o OUTPUT` in this process with every stage timed."""
    import belnlp.nlp.pipeline as pipeline
    from belnlp.cli import app

    timer = StageTimer()
    build = pipeline.build_nlp
    order: list[str] = []

    def build_timed(*args: Any, **kwargs: Any) -> Any:
        nlp = timer.call(SETUP, build, *args, **kwargs)
        order.extend(["tokenizer", *(f"component {name}" for name in nlp.pipe_names)])
        return instrument_pipeline(nlp, timer)

    pipeline.build_nlp = build_timed
    instrument_stages(timer)
    start = time.perf_counter()
    try:
        app(["extract", inputs, "-o", output, "-q"], standalone_mode=False)
    finally:
        pipeline.build_nlp = build
    total = time.perf_counter() - start
    seconds = dict(timer.seconds)
    seconds[OTHER] = total - sum(seconds.values())
    return {"total": total, "seconds": seconds, "calls": dict(timer.calls), "pipeline": order}


if __name__ == "__main__":
    print(json.dumps(instrumented_extract(sys.argv[1], sys.argv[2])))
