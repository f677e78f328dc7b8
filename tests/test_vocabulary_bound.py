"""Memory stays bounded over long runs: spaCy's string store and vocabulary return to their
size after every memory zone (in this process and in worker processes, failures included),
and the caches belnlp keeps across documents have a bound."""

from itertools import islice

import pytest

import belnlp.run.process
import belnlp.run.workers
from belnlp.ingest.articles import Article
from belnlp.nlp.components.actors import ISO_CACHE_SIZE, iso_country
from belnlp.run.faults import Failure
from belnlp.run.workers import PipelineSpec, process_batch, stream_results


def unique_articles(prefix: str, n: int) -> list[Article]:
    return [Article(f"{prefix}{k}", "-", f"Belarus signed the Qv{prefix}{k}zor accord with "
                    f"Vrex{prefix}{k}stan in {1990 + k}.\n") for k in range(n)]


@pytest.fixture
def worker(nlp, monkeypatch):
    """process_batch on the test pipeline; the zone it keeps open is closed afterwards."""
    monkeypatch.setattr(belnlp.run.workers, "worker_pipeline", lambda spec: nlp)
    yield lambda articles: process_batch(articles, PipelineSpec("unused"))
    belnlp.run.workers._WORKER_ZONE.close()


def test_a_worker_zone_spans_batches_and_leaves_no_new_words_behind(nlp, worker,
                                                                    monkeypatch):
    monkeypatch.setattr(belnlp.run.workers, "ZONE_DOCUMENTS", 12)
    strings = len(nlp.vocab.strings)
    for batch in range(4):
        results = worker(unique_articles(f"b{batch}x", 6))
        assert f"Qvb{batch}x5zor" in results[5].claims[0].text
        kept = batch % 2 == 0  # the zone closes after every second batch of 6
        assert (f"Qvb{batch}x5zor" in nlp.vocab) == kept
        assert (len(nlp.vocab.strings) == strings) == (not kept)


def test_failures_inside_a_zone_leave_no_new_words_behind(nlp, monkeypatch):
    monkeypatch.setattr(belnlp.run.workers, "ZONE_DOCUMENTS", 4)
    real = belnlp.run.process.build_claims

    def failing(doc, **settings):
        if "Qvf3zor" in doc.text or "Qvf9zor" in doc.text:
            raise ValueError("injected")
        return real(doc, **settings)

    monkeypatch.setattr(belnlp.run.process, "build_claims", failing)
    strings = len(nlp.vocab.strings)
    results = list(stream_results(unique_articles("f", 14), nlp, 3))
    assert [k for k, r in enumerate(results) if isinstance(r, Failure)] == [3, 9]
    assert [r.article.doc_id for r in results] == [f"f{k}" for k in range(14)]
    assert len(nlp.vocab.strings) == strings
    assert not any(f"Qvf{k}zor" in nlp.vocab for k in range(14))
    lemmas = nlp.get_pipe("lemmatizer_table")  # its caches, and spaCy's, grow without bound
    assert lemmas.source.cache == {} and not lemmas._lemmas


def test_a_long_stream_is_processed_in_zones_as_it_comes(nlp, monkeypatch):
    monkeypatch.setattr(belnlp.run.workers, "ZONE_DOCUMENTS", 5)
    strings = len(nlp.vocab.strings)
    seen = []

    def endless():
        k = 0
        while True:
            seen.append(k)
            yield unique_articles(f"s{k}x", 1)[0]
            k += 1

    for result in islice(stream_results(endless(), nlp, 2), 12):
        assert result.claims
        if len(seen) > 5:  # a zone has closed: the earlier documents' words are gone
            assert "Qvs0x0zor" not in nlp.vocab.strings
    assert len(nlp.vocab.strings) <= strings + 200  # at most one open zone's words


def test_iso_country_lookups_are_a_bounded_cache():
    for k in range(ISO_CACHE_SIZE + 50):
        iso_country(f"Nowhereland {k}")
    assert iso_country.cache_info().currsize <= ISO_CACHE_SIZE
    assert iso_country("Belarus").actor == "BLR"
