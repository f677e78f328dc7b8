"""Articles → parsed Docs → claims, as a stream: one article in memory at a time per batch.

Long articles are cut at paragraph boundaries into chunks below nlp.max_length; each chunk
is parsed on its own and its offsets are shifted back into the article's text. With
`isolate`, an exception while processing one article becomes that article's Failure: the
batch it was in is finished one article at a time, so only the culprit fails.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice

from spacy.language import Language
from spacy.tokens import Doc

from belnlp import __version__
from belnlp.ingest.articles import Article, InputError, only_articles
from belnlp.ingest.structure import Structure, analyse
from belnlp.nlp.components.claim_tagger import register_extensions
from belnlp.nlp.extract.claims import build_claims
from belnlp.nlp.pipeline import model_info
from belnlp.run.faults import Failure, failure
from belnlp.run.result import Result

CHUNK_BREAKS = ("\n\n", "\n", ". ", " ")


@dataclass(frozen=True, slots=True)
class _Chunk:
    article: Article
    structure: Structure
    offset: int
    last: bool


def provenance(nlp: Language) -> dict[str, str]:
    tagger = nlp.get_pipe("belnlp_claim_tagger") if "belnlp_claim_tagger" in nlp.pipe_names \
        else None
    from belnlp.rules import rules_hash

    digest = rules_hash(tagger.rules.values()) if tagger is not None else "none"
    return {"belnlp": __version__, **model_info(nlp), "rules_hash": digest}


def process_articles(
    items: Iterable[Article | InputError],
    nlp: Language,
    *,
    batch_size: int = 32,
    n_process: int = 1,
    on_error: Callable[[InputError], None] | None = None,
    isolate: bool = False,
) -> Iterator[Result | Failure]:
    """Parse articles with nlp.pipe and yield each article's claims in input order.

    Without `isolate` an exception ends the stream; with it (in one process) the article
    that raised yields a Failure instead and the others their usual results.
    """
    register_extensions()
    prov = provenance(nlp)
    articles = only_articles(items, on_error)
    if not isolate or n_process > 1:
        yield from _results(articles, nlp, prov, batch_size, n_process)
        return
    while batch := list(islice(articles, batch_size)):
        done = 0
        try:
            for result in _results(batch, nlp, prov, batch_size, 1):
                done += 1
                yield result
        except Exception:  # the culprit is among the rest: redo them one by one
            for article in batch[done:]:
                yield _alone(article, nlp, prov)


def _alone(article: Article, nlp: Language, prov: dict[str, str]) -> Result | Failure:
    try:
        return next(_results([article], nlp, prov, 1, 1))
    except Exception as exc:
        return failure(article, exc)


def _results(articles: Iterable[Article], nlp: Language, prov: dict[str, str],
             batch_size: int, n_process: int) -> Iterator[Result]:
    current: Result | None = None
    for doc, chunk in nlp.pipe(_chunks(articles, nlp), as_tuples=True, batch_size=batch_size,
                               n_process=n_process):
        if current is None:
            current = Result(chunk.article, chunk.structure, [])
        article = chunk.article
        current.claims.extend(
            build_claims(doc, doc_id=article.doc_id, source=article.source,
                         title=chunk.structure.title, structure=chunk.structure,
                         provenance=prov, offset=chunk.offset)
        )
        if chunk.last:
            yield current
            current = None


def _chunks(articles: Iterable[Article], nlp: Language) -> Iterator[tuple[Doc, _Chunk]]:
    for item in articles:
        structure = analyse(item.text, item.meta)
        pieces = list(split_text(item.text, nlp.max_length))
        for index, (offset, piece) in enumerate(pieces):
            doc = nlp.make_doc(piece)
            doc._.belnlp_ref_date = structure.date
            yield doc, _Chunk(item, structure, offset, index == len(pieces) - 1)


def split_text(text: str, limit: int) -> Iterator[tuple[int, str]]:
    """(offset, piece) pairs covering text, each shorter than limit, cut at paragraph breaks."""
    start = 0
    while len(text) - start > limit:
        window = text[start:start + limit]
        cut = -1
        for mark in CHUNK_BREAKS:
            cut = window.rfind(mark)
            if cut > limit // 4:
                cut += len(mark)
                break
        if cut <= limit // 4:
            cut = limit
        yield start, text[start:start + cut]
        start += cut
    yield start, text[start:]
