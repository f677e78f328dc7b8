"""One label per name per document; full names teach their short forms."""

from spacy.tokens import Span


def labels(doc, name):
    return [ent.label_ for ent in doc.ents if ent.text == name]


TEXT = ("Officials in Zelvana met on Monday. Zelvana said talks would go on. "
        "Later, the envoy praised Zelvana.")


def test_the_weighted_majority_gives_every_mention_one_label(nlp):
    doc = nlp(TEXT)
    starts = [TEXT.index("Zelvana"), TEXT.index("Zelvana", 20), TEXT.rindex("Zelvana")]
    ents = [doc.char_span(s, s + 7, label=label)
            for s, label in zip(starts, ["GPE", "PERSON", "GPE"], strict=True)]
    doc.ents = ents
    doc = nlp.get_pipe("belnlp_label_vote")(doc)
    assert labels(doc, "Zelvana") == ["GPE", "GPE", "GPE"]


def test_a_mention_at_a_sentence_start_weighs_less(nlp):
    text = "Dravik won. Dravik lost. Voters liked Dravik."
    doc = nlp(text)
    starts = [0, text.index("Dravik", 5), text.rindex("Dravik")]
    doc.ents = [doc.char_span(s, s + 6, label=label)
                for s, label in zip(starts, ["ORG", "ORG", "PERSON"], strict=True)]
    doc = nlp.get_pipe("belnlp_label_vote")(doc)
    # 0.5 + 0.5 for ORG at sentence starts against 1.0 for PERSON: a tie changes nothing.
    assert labels(doc, "Dravik") == ["ORG", "ORG", "PERSON"]


def test_the_ruler_label_wins_over_the_majority(nlp):
    text = "Zapad began. Observers watched Zapad closely, and Zapad ended."
    doc = nlp(text)
    starts = [0, text.index("Zapad", 5), text.rindex("Zapad")]
    spans = [Span(doc, doc.char_span(s, s + 5).start, doc.char_span(s, s + 5).end,
                  label=label, span_id=span_id)
             for s, (label, span_id) in zip(starts, [("EVENT", "ZAPAD"), ("ORG", ""),
                                                     ("ORG", "")], strict=True)]
    doc.ents = spans
    doc = nlp.get_pipe("belnlp_label_vote")(doc)
    assert labels(doc, "Zapad") == ["EVENT", "EVENT", "EVENT"]


def test_a_full_name_teaches_its_surname_label_and_actor(nlp):
    text = "Ivan Moroshkin visited the plant. Later, Moroshkin signed the deal."
    doc = nlp(text)
    full = doc.char_span(0, 14, label="PERSON")
    short_start = text.rindex("Moroshkin")
    short = doc.char_span(short_start, short_start + 9, label="ORG")
    doc.ents = [full, short]
    doc.ents[0]._.actor = "BLR"
    doc = nlp.get_pipe("belnlp_label_vote")(doc)
    surname = next(ent for ent in doc.ents if ent.text == "Moroshkin")
    assert surname.label_ == "PERSON" and surname._.actor == "BLR"


def test_a_company_name_teaches_its_short_form_over_the_gazetteer(nlp):
    # Vostok is also a city in the gazetteer; the company's full name decides here.
    doc = nlp("Vostok Holdings bought a plant in May. Months later, Vostok sold it.")
    assert labels(doc, "Vostok Holdings") == ["ORG"]
    short = next(ent for ent in doc.ents if ent.text == "Vostok")
    assert short.label_ == "ORG" and short._.geo is None


def test_a_missed_mention_of_a_taught_short_form_is_added(nlp):
    text = "Anatol Zhurevich resigned on Friday. Critics said Zhurevich had failed."
    doc = nlp(text)
    doc.ents = [doc.char_span(0, 16, label="PERSON")]
    doc = nlp.get_pipe("belnlp_label_vote")(doc)
    assert labels(doc, "Zhurevich") == ["PERSON"]


def test_the_whole_pipeline_settles_a_surname(nlp):
    doc = nlp("Maia Sandu spoke in Chisinau. Sandu said the grid would hold.")
    assert labels(doc, "Sandu") == ["PERSON"]
    assert next(e for e in doc.ents if e.text == "Sandu")._.actor == "MDA"
