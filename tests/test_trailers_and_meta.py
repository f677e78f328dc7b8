"""Trailers, author bios and the document's talk about itself are never claims."""

import pytest

from belnlp import extract_claims
from belnlp.ingest.structure import analyse
from belnlp.nlp.extract.meta import MetaError, is_meta, load_meta_cues

BODY = (
    "Grid politics in the Baltic\n\n"
    "By Anna Kowalska and Piotr Nowak\n\n"
    "Belarus has raised transit fees twice this year, and Lithuania has answered with new "
    "rail links to Poland.\n\n"
    "Minsk depends on Russian credit to keep its refineries running through the winter.\n\n"
    "The rail corridor carries most of the potash that once went through Klaipeda.\n\n"
    "Energy security in the region now depends on decisions made in Warsaw and Vilnius.\n\n"
)


def furniture_kinds(text):
    structure = analyse(text)
    return {text[s:e]: kind for s, e, kind in structure.furniture}, structure


@pytest.mark.parametrize("line, kind", [
    ("Please support our journalism with a monthly donation.", "appeal"),
    ("Donate today and keep independent reporting alive.", "appeal"),
    ("If you value our analysis, become a supporter for the price of a coffee.", "appeal"),
    ("Correction: an earlier version misstated the date of the vote.", "correction"),
    ("An earlier version of this article gave the wrong figure for exports.", "correction"),
    ("Follow our live updates on Telegram and X.", "follow"),
    ("Follow us on Facebook for more analysis.", "share"),  # the older share cue
    ("Subscribe to our weekly briefing on the region.", "follow"),
    ("Media enquiries: press office, Mon–Fri.", "contact"),
    ("Tel: +48 22 555 01 02", "contact"),
])
def test_reader_facing_lines_at_the_end_are_furniture(line, kind):
    text = BODY + line + "\n"
    kinds, structure = furniture_kinds(text)
    assert kinds.get(line) == kind
    assert not any(text[s:e] == line for s, e in structure.body)


def test_a_correction_notice_is_furniture_even_at_the_top():
    text = ("Grid politics\n\nBy Anna Kowalska\n\n"
            "Correction: this piece has been updated to fix a date.\n\n") + BODY.split("\n\n", 2)[2]
    kinds, _ = furniture_kinds(text)
    assert kinds.get("Correction: this piece has been updated to fix a date.") == "correction"


def test_a_closing_bio_paragraph_of_a_byline_author_is_furniture(nlp):
    bio = ("Piotr Nowak is a Research Fellow in the security programme at a Warsaw institute, "
           "working on energy and transport in Eastern Europe. He previously advised two "
           "ministries on sanctions. Piotr also teaches at a university.")
    text = BODY + bio + "\n"
    kinds, _ = furniture_kinds(text)
    assert text[text.index(bio):text.index(bio) + len(bio)] in kinds
    claims = extract_claims(text, nlp=nlp)
    assert claims and not any("ministries" in claim.text for claim in claims)


def test_a_closing_bio_of_a_senior_fellow_is_furniture_without_a_byline(nlp):
    bio = ("Marta Lis is a senior fellow at the Centre for Eastern Studies. She writes on "
           "Belarusian politics and the Union State. Her latest book covers the 2020 protests.")
    text = BODY.replace("By Anna Kowalska and Piotr Nowak\n\n", "") + bio + "\n"
    claims = extract_claims(text, nlp=nlp)
    assert claims and not any("Marta Lis" in c.text or "latest book" in c.text for c in claims)


def test_a_bio_like_sentence_inside_the_body_stays_a_claim(nlp):
    claims = extract_claims(BODY, nlp=nlp)
    assert any("Minsk depends on Russian credit" in claim.text for claim in claims)


@pytest.mark.parametrize("sentence", [
    "The paper has three chapters.",
    "This section is organised as follows.",
    "The findings are drawn from interviews with officials in three capitals.",
    "All of these questions are discussed in more detail later in this report.",
    "This update covers events from March 3 to March 4.",
    "The next chapter turns to the energy sector.",
])
def test_sentences_about_the_document_itself_are_meta(nlp, sentence):
    assert is_meta(next(nlp(sentence).sents))


@pytest.mark.parametrize("sentence", [
    "This report argues that Moscow wants a permanent air base in Belarus.",
    "This paper examines how Russia uses gas prices as a weapon.",
    "The report has been criticised by officials in Minsk.",
    "This section of the border is heavily fortified.",
    "Russia has three options in the region.",
])
def test_framed_or_worldly_sentences_stay_claims(nlp, sentence):
    assert not is_meta(next(nlp(sentence).sents))


def test_a_meta_sentence_is_recorded_as_furniture_not_as_a_claim(nlp):
    text = BODY + "The paper has three chapters.\n\nRussia has raised gas prices again.\n"
    from belnlp.ingest.articles import Article, content_id
    from belnlp.run.process import process_articles

    article = Article(content_id(text), "<text>", text, None, {})
    result = next(iter(process_articles([article], nlp)))
    assert not any(claim.text == "The paper has three chapters." for claim in result.claims)
    assert any(claim.text == "Russia has raised gas prices again." for claim in result.claims)
    meta = [text[s:e] for s, e, kind in result.structure.furniture if kind == "meta"]
    assert meta == ["The paper has three chapters."]


def test_a_bad_meta_cue_file_is_one_error_naming_the_file(tmp_path):
    path = tmp_path / "meta.json"
    path.write_text('{"self_nouns": "paper"}', encoding="utf-8")
    with pytest.raises(MetaError, match="meta.json"):
        load_meta_cues(path)
