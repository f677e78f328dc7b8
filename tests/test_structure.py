"""Document layout: title, standfirst, byline and page furniture never become claims."""

from pathlib import Path

from belnlp.ingest.structure import analyse

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


def test_a_bio_that_starts_with_the_authors_name_joins_the_trailer():
    text = (
        "Concrete on the eastern edge\n\n"
        "By Jan Nowak, defence analyst\n\n"
        "Poland is building a fortified line along its border. It will cost billions.\n\n"
        "The line will work only if the soldiers arrive too.\n\n"
        "Jan Nowak\n"
        "Jan Nowak is a defence analyst based in Lublin and a former adviser to parliament.\n\n"
        "Please leave a comment below.\n"
    )
    structure, body, furniture = parts(text)
    assert structure.author == "Jan Nowak"
    assert body[-1] == "The line will work only if the soldiers arrive too."
    assert not any("based in Lublin" in line for line in body)


def test_a_body_sentence_about_an_analyst_stays_body():
    text = ("Title of a piece\n\nOne paragraph about trade with Russia that is long enough.\n\n"
            "Ivanov is a political analyst who was jailed in 2021 for his work.\n\n"
            "The last paragraph says something else about the economy of Belarus.\n")
    _, body, _ = parts(text)
    assert any(line.startswith("Ivanov is a political analyst") for line in body)
