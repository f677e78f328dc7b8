"""Incremental runs: each document's result cached under a key of everything that decides it.

A key digests the article (id, source, text, encoding, metadata) together with a fingerprint
of the pipeline: the model's name and version (read from its meta.json, so the model is not
loaded), the spaCy version, the rules hash that provenance records, digests of belnlp's own
code and data files and of an alias table given instead of the packaged one, and the current
year (undated articles are judged against today). A re-run therefore skips exactly the
documents whose output cannot have changed, and builds the pipeline only when some document
misses. Entries live in one SQLite file.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import sqlite3
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date
from importlib import metadata
from pathlib import Path
from typing import Any

import belnlp
from belnlp.ingest.articles import Article, InputError, only_articles
from belnlp.rules import default_rule_paths, load_rules, rules_hash
from belnlp.run.faults import Failure
from belnlp.run.result import Result, decode, encode

CACHE_FILE = "results.sqlite"
COMMIT_EVERY = 64


def fingerprint(model: str, rule_files: Sequence[str | Path] = (), *,
                default_rules: bool = True, aliases: str | Path | None = None) -> str:
    """Digest of what decides a document's output besides the document itself.

    Raises RuleError for a rules file that cannot be used, as building the pipeline would,
    and OSError for an alias table that cannot be read.
    """
    paths = [*(default_rule_paths() if default_rules else []), *rule_files]
    parts = {
        "belnlp": package_digest(),
        "model": model_identity(model),
        "spacy": metadata.version("spacy"),
        "rules": rules_hash(load_rules(paths)),
        "aliases": hashlib.sha256(Path(aliases).read_bytes()).hexdigest() if aliases else None,
        "year": date.today().year,
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def model_identity(model: str) -> dict[str, Any]:
    """Name, language and version from the model's meta.json (version None when not found)."""
    meta_file = _meta_file(model)
    meta = json.loads(meta_file.read_text(encoding="utf-8")) if meta_file else {}
    return {"model": model, "lang": meta.get("lang"), "name": meta.get("name"),
            "version": meta.get("version")}


def _meta_file(model: str) -> Path | None:
    path = Path(model)
    if not path.is_dir():
        try:
            spec = importlib.util.find_spec(model)
        except (ImportError, ValueError):
            spec = None
        if spec is None or spec.origin is None:
            return None
        path = Path(spec.origin).parent
    meta_file = path / "meta.json"
    return meta_file if meta_file.is_file() else None


def package_digest() -> str:
    """Digest of every file of the belnlp package (code, rules, alias and pattern tables)."""
    root = Path(belnlp.__file__).parent
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(root).as_posix().encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


class ResultCache:
    """Results by key in `folder`/results.sqlite; commits every COMMIT_EVERY puts and on close."""

    def __init__(self, folder: str | Path, fingerprint: str) -> None:
        Path(folder).mkdir(parents=True, exist_ok=True)
        self.fingerprint = fingerprint.encode()
        self.db = sqlite3.connect(Path(folder) / CACHE_FILE, timeout=60)
        self.db.execute("CREATE TABLE IF NOT EXISTS results (key TEXT PRIMARY KEY, value TEXT)")
        self.unsaved = 0

    def key(self, article: Article) -> str:
        digest = hashlib.sha256(self.fingerprint + b"\0")
        digest.update(json.dumps(_article_fields(article), sort_keys=True,
                                 ensure_ascii=False).encode("utf-8", "surrogatepass"))
        return digest.hexdigest()

    def __contains__(self, key: str) -> bool:
        return self.db.execute("SELECT 1 FROM results WHERE key = ?", (key,)).fetchone() is not None

    def get(self, key: str, article: Article) -> Result | None:
        row = self.db.execute("SELECT value FROM results WHERE key = ?", (key,)).fetchone()
        return decode(json.loads(row[0]), article) if row else None

    def put(self, key: str, result: Result) -> None:
        value = json.dumps(encode(result, with_article=False), ensure_ascii=False)
        self.db.execute("INSERT OR REPLACE INTO results VALUES (?, ?)", (key, value))
        self.unsaved += 1
        if self.unsaved >= COMMIT_EVERY:
            self.db.commit()
            self.unsaved = 0

    def close(self) -> None:
        self.db.commit()
        self.db.close()


def _article_fields(article: Article) -> list[Any]:
    return [article.doc_id, article.source, article.text, article.encoding, article.meta]


def incremental(
    items: Iterable[Article | InputError],
    cache: ResultCache,
    process: Callable[[Iterable[Article]], Iterator[Result | Failure]],
    on_error: Callable[[InputError], None] | None = None,
) -> Iterator[Result | Failure]:
    """Results in input order: hits read from the cache, misses run through `process`.

    A Failure is passed on and never cached, so the next run retries its document.

    `process` (which builds the pipeline) is called only at the first miss; from then on a hit
    waits in a queue until the misses before it have come back, so the order never changes.
    """
    source = only_articles(items, on_error)
    first = None
    for item in source:
        key = cache.key(item)
        cached = cache.get(key, item)
        if cached is None:
            first = (key, item)
            break
        yield cached
    if first is None:
        return
    waiting: deque[tuple[str, Article, bool]] = deque([(*first, False)])

    def misses() -> Iterator[Article]:
        yield first[1]
        for item in source:
            key = cache.key(item)
            hit = key in cache
            waiting.append((key, item, hit))
            if not hit:
                yield item

    for result in process(misses()):
        key, _, _ = waiting.popleft()
        if not isinstance(result, Failure):
            cache.put(key, result)
        yield result
        while waiting and waiting[0][2]:
            key, article, _ = waiting.popleft()
            yield cache.get(key, article)
    for key, article, _ in waiting:
        yield cache.get(key, article)
