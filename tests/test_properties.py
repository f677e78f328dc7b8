"""Property tests: whatever the Unicode, extraction raises nothing, every record is valid
against its packaged JSON Schema, and every offset indexes the document's text.

CI runs 500 examples per property (about 40 s). A soak runs more: 20,000 per property
took 31 minutes on two cores and about 1.1 GB of memory:

    BELNLP_SOAK=20000 /work/venv/bin/python -m pytest tests/test_properties.py -q
"""

import io
import json
import os

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from belnlp.ingest.articles import Article, InputError, content_id, read_articles
from belnlp.records import document_record, dumps, schema
from belnlp.run.process import process_articles

EXAMPLES = int(os.environ.get("BELNLP_SOAK", "500"))
PROPERTY = settings(max_examples=EXAMPLES, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

SENTENCES = [
    "Belarus relies heavily on Russian oil and gas.",
    "Russia is Belarus’s largest trading partner.",
    "In 1999, Belarus and Russia signed a treaty to form a Union State.",
    "Belarus was accused of orchestrating a migrant crisis.",
    "NATO should not station troops near the Suwałki gap.",
    "The Kremlin will never let Minsk leave the CSTO.",
    "Lukashenko, in power since 1994, could lose the EAEU's common market.",
    "Did Poland's fortifications cost 2.5 billion euros?",
    "The Zapad exercises rehearsed a nuclear strike on Lithuania — or so Vilnius claims.",
    "Belarus’ potash exports fell by 40% after sanctions.",
]
ODD_CHARACTERS = [
    "\x00", "\x07", "\x1b", "\x7f", "\x85", "\u200b", "\u200c", "\u200d", "\u200e", "\u200f",
    "\u202a", "\u202e", "\u2066", "\u2069", "\u2028", "\u2029", "\ufeff", "\ufffd", "\u0301",
    "\u0336", "\u20dd", "👩\u200d👩\u200d👧", "🇧🇾", "🙂", "𝔅", "ﷺ", "\U0010ffff",
    "’s", "'", "\"", "«", "»", "„", "…", ".", "?", "!", "-", "–", "(", ")", "*", "#", "•",
]
SEPARATORS = ["", " ", "  ", "\t", "\n", "\n\n", "\r\n", "\r\n\r\n", "\r", "\u2028", "\x0c",
              "\u00a0", "\u3000"]
ANY_CHARACTER = st.characters(exclude_categories=("Cs",))  # files cannot hold lone surrogates
NO_SPACE = st.characters(exclude_categories=("Cs", "Zs", "Zl", "Zp", "Cc"))

# Real sentences (so that claims, entities, evidence and relations occur), mixed with any
# characters, odd marks, punctuation and symbols, runs of up to 100,000 characters without
# whitespace, and sentences with a mark inserted anywhere.
pieces = st.one_of(
    st.sampled_from(SENTENCES),
    st.sampled_from(SENTENCES),
    st.text(ANY_CHARACTER, max_size=60),
    st.lists(st.sampled_from(ODD_CHARACTERS), min_size=1, max_size=20).map("".join),
    st.text(st.characters(categories=("P", "S")), min_size=1, max_size=80),
    st.builds(lambda word, size: (word * size)[:size], st.text(NO_SPACE, min_size=1, max_size=4),
              st.integers(1, 100_000)),
    st.builds(lambda sentence, mark, at: sentence[:at] + mark + sentence[at:],
              st.sampled_from(SENTENCES), st.sampled_from(ODD_CHARACTERS), st.integers(0, 60)),
)
texts = st.lists(st.tuples(pieces, st.sampled_from(SEPARATORS)), max_size=10).map(
    lambda parts: "".join(piece + separator for piece, separator in parts))

CLAIM = Draft202012Validator(schema("claim"))
DOCUMENT = Draft202012Validator(schema("document"))


def check_offsets(records: list[dict], text: str) -> None:
    for claim in records:
        assert text[claim["start"]:claim["end"]] == claim["text"]
        for entity in claim["entities"]:
            assert text[entity["start"]:entity["end"]] == entity["text"]
        for item in claim["evidence"]:
            assert text[item["start"]:item["end"]] == item["match"]
        for relation in claim["relations"]:
            for argument in (relation["subject"], relation["object"]):
                if argument is not None:
                    assert text[argument["start"]:argument["end"]] == argument["text"]


@PROPERTY
@given(text=texts)
@example(text="···········õ1⼲Russia is Belarus’s largest trading partner.")  # bullets trimmed
@example(text="Belarus relies on gas \u2028 " + "🙂" * 100_000 + " from Russia.")
def test_any_text_gives_valid_records_whose_offsets_index_it(nlp, text):
    article = Article(content_id(text), "<property>", text)
    [result] = process_articles([article], nlp)
    records = [claim.to_record() for claim in result.claims]
    for record in records:
        CLAIM.validate(record)
        dumps(record).encode("utf-8")
    check_offsets(records, text)
    provenance = records[0]["provenance"] if records else {}
    document = document_record(article, result.structure, len(records), provenance)
    DOCUMENT.validate(document)
    for item in document["furniture"]:
        assert 0 <= item["start"] <= item["end"] <= len(text)


@PROPERTY
@given(text=texts)
def test_texts_cut_into_chunks_keep_their_offsets(nlp, text):
    article = Article(content_id(text), "<property>", text)
    before, nlp.max_length = nlp.max_length, 300
    try:
        [result] = process_articles([article], nlp)
    finally:
        nlp.max_length = before
    check_offsets([claim.to_record() for claim in result.claims], text)


@PROPERTY
@given(data=st.binary(max_size=4096) | texts.map(lambda t: t.encode("utf-8")))
def test_any_bytes_are_an_article_or_an_error(data):
    [item] = read_articles(["-"], stdin=io.BytesIO(data))
    assert isinstance(item, Article | InputError)
    if isinstance(item, Article):
        item.text.encode("utf-8")
        assert item.text.strip()


@pytest.fixture(scope="module")
def jsonl(tmp_path_factory):
    return tmp_path_factory.mktemp("property") / "in.jsonl"


@PROPERTY
@given(lines=st.lists(st.one_of(
    st.text(ANY_CHARACTER, max_size=80),
    st.dictionaries(st.sampled_from(["id", "text", "title", "url", "date", "path"]),
                    st.one_of(st.none(), st.integers(), st.text(max_size=40),
                              st.lists(st.integers(), max_size=2)), max_size=5)
    .map(json.dumps),
    st.builds(lambda a, b: f'{{"text": "{a}\\ud{b:03x}"}}', st.sampled_from(SENTENCES),
              st.integers(0x800, 0xfff)),
), max_size=8))
def test_any_jsonl_gives_articles_or_errors_with_line_numbers(jsonl, lines):
    content = "\n".join(lines)
    jsonl.write_bytes(content.encode("utf-8"))
    for item in read_articles([str(jsonl)]):
        if isinstance(item, InputError):
            assert item.line is None or 1 <= item.line <= content.count("\n") + 1
        else:
            dumps({"text": item.text, "source": item.source, **item.meta}).encode("utf-8")
