"""Document layout: title, standfirst, byline and page furniture never become claims."""

from pathlib import Path

from belnlp.structure import analyse

SAMPLE = Path(__file__).parents[1] / "corpus" / "belarus-strategic-choices.txt"


def parts(text):
    structure = analyse(text)
    body = [text[s:e] for s, e in structure.body]
    furniture = {text[s:e]: kind for s, e, kind in structure.furniture}
    return structure, body, furniture


def test_header_and_trailer_of_a_scraped_article():
    text = (
        "Grid politics in the Baltic\n\n"
        "Why synchronisation matters more than it seems\n\n"
        "By Anna Kowalska | 3 February 2025\n\n"
        "The Baltic states left the Soviet-era grid in February. Belarus objected.\n\n"
        "Energy security now depends on Poland.\n\n"
        "Anna Kowalska\n"
        "The author is a researcher in Warsaw and can be reached at anna@example.org\n\n"
        "Leave a Reply\n"
        "Your email address will not be published.\n\n"
        "Related Posts\n\n"
        "Another headline about gas\n\n"
        "A snippet that goes on and on about something else...\n"
    )
    structure, body, furniture = parts(text)
    assert structure.title == "Grid politics in the Baltic"
    assert structure.subtitle == "Why synchronisation matters more than it seems"
    assert structure.author == "Anna Kowalska"
    assert structure.date == "2025-02-03"
    assert body == ["The Baltic states left the Soviet-era grid in February. Belarus objected.",
                    "Energy security now depends on Poland."]
    assert furniture["Related Posts"] == "teaser_heading"
    assert "Another headline about gas" in furniture


def test_a_body_heading_is_not_body():
    text = ("A title\n\nFirst paragraph states a fact about trade.\n\nThe energy question\n\n"
            "Second paragraph states another fact about gas.\n")
    _, body, furniture = parts(text)
    assert furniture["The energy question"] == "heading"
    assert len(body) == 2


def test_a_single_sentence_is_all_body():
    structure, body, _ = parts("Russia is Belarus’s largest trading partner.")
    assert structure.title is None and body == ["Russia is Belarus’s largest trading partner."]


def test_sample_article_layout():
    text = SAMPLE.read_text(encoding="utf-8")
    structure, body, furniture = parts(text)
    assert structure.title == "Strategic choices of Belarus in its region"
    assert structure.subtitle == "The Russian relationship remains key"
    assert structure.author == "Muhammad Akram Zaheer"
    assert structure.date == "2023-06-24"
    joined = "\n".join(body)
    for furniture_text in ("Please enter your comment!", "Must Read", "Power politics",
                           "can be reached at", "vigilante violence", "Epaper"):
        assert furniture_text not in joined
    assert body[0].startswith("Belarus, situated at the crossroads")
    assert body[-1].startswith("Belarus’ regional partnerships")
    assert body[-1].endswith("economic and social development.")
