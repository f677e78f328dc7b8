"""Attribution on sentences written for the purpose: each cue family, each case that is not
attribution, a quotation over several sentences and a pronoun speaker."""

import pytest
from jsonschema import Draft202012Validator

from belnlp import extract_claims
from belnlp.nlp.extract.reporting_cues import CueError, default_cues, parse_cues
from belnlp.records import schema


def claims(nlp, text):
    return extract_claims(text, nlp=nlp)


def attribution_of(nlp, text, index=0):
    return claims(nlp, text)[index].attribution


@pytest.mark.parametrize(("text", "speaker", "cue", "rule"), [
    ("The foreign minister of Lithuania said that the border would stay closed.",
     "foreign minister of Lithuania", "said", "report.speech"),
    ("Polish officials warned that the drills could spill over the border.",
     "Polish officials", "warned", "report.speech"),
    ("Aleksandr Lukashenko argues that sanctions have failed.",
     "Aleksandr Lukashenko", "argues", "report.speech"),
    ("Vladimir Putin spoke about a new era of cooperation with Minsk.",
     "Vladimir Putin", "spoke about", "report.speech"),
    ("Analysts in Vilnius believe the union will deepen further.",
     "Analysts in Vilnius", "believe", "report.belief"),
    ("Western intelligence officials indicated that new units had arrived in Brest.",
     "Western intelligence officials", "indicated", "report.evidence"),
    ("Belarusian diplomats presented the cut in troop numbers as a goodwill gesture.",
     "Belarusian diplomats", "presented", "report.framing"),
    ("The Kremlin urged Minsk to host more Russian aircraft.",
     "Kremlin", "urged", "report.speech_act"),
    ("Ukrainian commanders have noted that the northern front is quiet.",
     "Ukrainian commanders", "noted", "report.speech_clause"),
    ("According to the Lithuanian defence ministry, the number of drones has doubled.",
     "Lithuanian defence ministry", "According to", "report.according_to"),
    ("The exercise was described by Polish generals as the largest in a decade.",
     "Polish generals", "described", "report.framing"),
    ("Trade with China has grown fast, as noted by Belarusian economists.",
     "Belarusian economists", "noted", "report.speech_clause"),
    ("The usual argument is that cheap gas keeps the economy afloat.",
     "usual argument", "argument", "report.noun_frame"),
    ("The Latvian government cut fuel taxes, arguing that inflation had peaked.",
     "Latvian government", "arguing", "report.speech"),
    ("Belarus, the report notes, has become a launchpad for Russian forces.",
     "report", "notes", "report.speech_clause"),
])
def test_each_cue_family_gives_speaker_cue_and_rule(nlp, text, speaker, cue, rule):
    attribution = attribution_of(nlp, text)
    assert attribution is not None
    assert attribution["speaker"]["text"] == speaker
    assert attribution["cue"]["text"] == cue
    assert attribution["cue"]["rule"] == rule
    assert attribution["type"] == "indirect"


@pytest.mark.parametrize("text", [
    # scare quotes around a term
    "The “multi-vector” policy of Minsk still relies on cheap Russian gas.",
    "The so-called “Union State” remains mostly a customs arrangement.",
    # a document described
    "The doctrine lists nuclear deterrence among the tasks of the armed forces.",
    "The treaty states that each party shall defend the other.",
    # intent and view verbs without reported content
    "Russia seeks to keep Belarus inside its security perimeter.",
    "Moscow views NATO as an existential threat.",
    # the authors' own frame
    "This report argues that Minsk has lost its room for manoeuvre.",
    "As we show below, the trade figures tell another story.",
    "We believe the sanctions will bite harder next year.",
    # reported speech in a side clause of the author's sentence
    "Although Lukashenko said the troops would leave, they stayed for another year.",
    "The plan, which officials announced in March, has stalled.",
    # a "with"-frame without a quotation is the author's side remark
    "Minsk signed the deal, with the government accusing the West of pressure.",
    # a participle without reported content
    "The Latvian government cut fuel taxes, hoping to win the election.",
    "Georgia courts new partners, stressing the benefits of Chinese investment.",
    # a speakerless passive
    "It is widely believed that the referendum was rigged.",
    # an event or a fact as subject of an evidence verb
    "The crisis indicates that the regime depends on Moscow.",
    # self-presentation
    "Lukashenko presents himself as a peacemaker between Kyiv and Moscow.",
])
def test_not_attribution(nlp, text):
    assert attribution_of(nlp, text) is None


def test_direct_quote_and_offsets(nlp):
    text = "The Belarusian defence minister said: “Our army is ready to defend the union.”"
    attribution = attribution_of(nlp, text)
    assert attribution["type"] == "direct"
    speaker, cue, content = attribution["speaker"], attribution["cue"], attribution["content"]
    assert text[speaker["start"]:speaker["end"]] == speaker["text"] == "Belarusian defence minister"
    assert speaker["actor"] == "BLR"
    assert text[cue["start"]:cue["end"]] == "said"
    assert "Our army is ready" in text[content["start"]:content["end"]]


def test_a_with_frame_reporting_a_quotation(nlp):
    text = ("Moscow raised gas prices, with the Russian energy minister describing the deal as "
            "“a fair price among friends”.")
    attribution = attribution_of(nlp, text)
    assert attribution["speaker"]["text"] == "Russian energy minister"
    assert attribution["speaker"]["actor"] == "RUS"
    assert attribution["cue"]["text"] == "describing"
    assert attribution["type"] == "direct"


def test_a_quotation_over_several_sentences_is_attributed_in_each(nlp):
    text = ("The Polish president told reporters: “The border stays closed. "
            "We will not reopen it this winter. Minsk knows why.” "
            "Trade across it fell by half.")
    found = claims(nlp, text)
    assert len(found) == 4
    for claim in found[:3]:
        assert claim.attribution is not None, claim.text
        assert claim.attribution["speaker"]["text"] == "Polish president"
        assert claim.attribution["speaker"]["actor"] == "POL"
        assert claim.attribution["cue"]["text"] == "told"
        assert claim.attribution["type"] == "direct"
    assert found[3].attribution is None


def test_a_quotation_attributed_at_its_end(nlp):
    text = ("“The exercises are purely defensive. Nobody is threatened,” "
            "Lukashenko said on Tuesday.")
    found = claims(nlp, text)
    assert [claim.attribution["speaker"]["text"] for claim in found] == ["Lukashenko"] * len(found)


def test_a_quoted_sentence_after_a_direct_quote_continues_it(nlp):
    text = ("“The union is our future,” Lukashenko declared. “Nobody will divide us.” "
            "The opposition disagrees.")
    found = claims(nlp, text)
    assert [claim.attribution and claim.attribution["speaker"]["text"] for claim in found] == [
        "Lukashenko", "Lukashenko", None]
    assert found[1].attribution["type"] == "direct"


def test_pronoun_speaker_takes_the_actor_of_the_person_before_it(nlp):
    text = ("Vladimir Putin met his Belarusian counterpart in Sochi. "
            "He said that the union state would be deepened.")
    attribution = attribution_of(nlp, text, index=1)
    assert attribution["speaker"]["text"] == "He"
    assert attribution["speaker"]["actor"] == "RUS"


def test_pronoun_speaker_without_a_person_before_it_has_no_actor(nlp):
    attribution = attribution_of(nlp, "She said that the union state would be deepened.")
    assert attribution["speaker"]["text"] == "She"
    assert attribution["speaker"]["actor"] is None


def test_speaker_actor_from_the_title_a_name_stands_for(nlp):
    text = "Russia’s ambassador, Boris Gryzlov, insisted that the pipeline was safe."
    attribution = attribution_of(nlp, text)
    assert attribution["speaker"]["text"] == "Boris Gryzlov"
    assert attribution["speaker"]["actor"] == "RUS"


def test_records_with_attribution_validate_against_the_claim_schema(nlp):
    validator = Draft202012Validator(schema("claim"))
    text = ("Polish officials warned that the drills could spill over. "
            "Belarus hosts Russian troops.")
    records = [claim.to_record() for claim in claims(nlp, text)]
    assert records[0]["attribution"] is not None and records[1]["attribution"] is None
    for record in records:
        validator.validate(record)
    broken = {**records[0], "attribution": {**records[0]["attribution"], "type": "quoted"}}
    assert not validator.is_valid(broken)


def test_packaged_cues_load_and_every_verb_has_a_rule():
    cues = default_cues()
    assert cues.verbs["say"].rule == "report.speech"
    assert cues.phrases["according to"] == "report.according_to"
    assert "doctrine" in cues.not_speakers


@pytest.mark.parametrize(("line", "problem"), [
    ('{"id": "x", "kind": "verbs", "lemmas": ["say"]}', "'content' must be"),
    ('{"id": "x", "kind": "verbs", "content": ["clause"], "lemmas": ["say"], "colour": 1}',
     "unknown key"),
    ('{"id": "x", "kind": "adverbs", "lemmas": ["reportedly"]}', "'kind' must be one of"),
    ('{"id": "x", "kind": "phrases", "lemmas": ["according to"]}', "takes 'terms'"),
    ('{"id": "x", "kind": "nouns", "lemmas": ["point of view"]}', "single words"),
    ('{"kind": "nouns", "lemmas": ["view"]}', "malformed 'id'"),
    ('not json', "not valid JSON"),
])
def test_bad_cue_lines_name_file_and_line(line, problem):
    text = '{"id": "ok", "kind": "nouns", "lemmas": ["claim"]}\n' + line + "\n"
    with pytest.raises(CueError, match=problem) as caught:
        parse_cues(text, "cues.jsonl")
    assert str(caught.value).startswith("cues.jsonl:2:")


def test_a_verb_in_two_cue_lists_is_refused():
    text = ('{"id": "a", "kind": "verbs", "content": ["clause"], "lemmas": ["say"]}\n'
            '{"id": "b", "kind": "verbs", "content": ["object"], "lemmas": ["say"]}\n')
    with pytest.raises(CueError, match=r"cues.jsonl:2: cue 'b': verb 'say' is already listed"):
        parse_cues(text, "cues.jsonl")


def test_cue_ids_built_inside_a_memory_zone_keep_working(nlp):
    from belnlp.nlp.extract import attribution

    attribution._cue_ids.cache_clear()
    text = "Polish officials warned that the drills could spill over."
    for _ in range(2):
        with nlp.memory_zone():
            assert claims(nlp, text)[0].attribution["cue"]["text"] == "warned"
