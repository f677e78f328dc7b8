"""Relations coded as PLOVER events: the written event table per construction, the rule
file's validation, modes and the dyad score."""

import sys
from pathlib import Path

import jsonschema
import pytest

from belnlp import extract_claims
from belnlp.nlp.extract.events import (
    EVENT_TYPES,
    QUADS,
    EventRuleError,
    default_coder,
    default_event_path,
    dyad_score,
    is_historical,
    load_event_rules,
    parse_event_rules,
)
from belnlp.records import schema

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

from events import DEFAULT_GOLD, accuracy, coded_events, read_table, run_cases  # noqa: E402

TABLE = read_table(DEFAULT_GOLD)
CONSTRUCTIONS = sorted({row["construction"] for row in TABLE})
FLOOR = 0.85


@pytest.fixture(scope="module")
def results(nlp):
    return accuracy(run_cases(TABLE, nlp))


def test_the_table_is_large_enough_and_well_formed():
    assert len(TABLE) >= 60
    for row in TABLE:
        for source, kind, target, mode in row["events"]:
            assert kind in EVENT_TYPES and mode in {"asserted", "negated", "hypothetical",
                                                   "future", "historical"}
            assert source.isupper() and target.isupper()


@pytest.mark.parametrize("construction", CONSTRUCTIONS)
def test_event_accuracy_per_construction(results, construction):
    correct, total = results[construction]
    assert correct / total >= FLOOR, f"{construction}: {correct}/{total}"


def test_an_event_records_type_quad_mode_rule_and_actors(nlp):
    [claim] = extract_claims("Russia threatened to cut gas supplies to Belarus.", nlp=nlp)
    [event] = [rel["event"] for rel in claim.relations if "event" in rel]
    assert event == {"type": "THREATEN", "quad": "verbal conflict", "mode": "historical",
                     "rule": "ev.threaten.verb", "source": "RUS", "target": "BLR"}
    jsonschema.validate(claim.to_record(), schema("claim"))


def test_the_control_verb_decides_the_type(nlp):
    assert coded_events("Belarus refused to sign the treaty with Russia.", nlp) == {
        ("BLR", "REJECT", "RUS", "historical")}
    assert coded_events("Belarus agreed to cooperate with Russia.", nlp) == {
        ("BLR", "AGREE", "RUS", "historical")}


def test_an_object_pattern_picks_the_type_of_a_light_verb(nlp):
    # "send" is material help with aid, a show of force with troops.
    assert coded_events("Poland sends humanitarian aid to Ukraine.", nlp) == {
        ("POL", "AID", "UKR", "asserted")}
    assert coded_events("Russia sends troops to Belarus.", nlp) == {
        ("RUS", "MOBILIZE", "BLR", "asserted")}


def test_no_target_actor_no_event(nlp):
    assert coded_events("Russia imposed a ban on imports.", nlp) == frozenset()
    assert coded_events("The ministry criticised Belarus.", nlp) == frozenset()


def test_the_time_frame_switch():
    class Verb:
        tag_, children = "VBZ", ()

    doc = [Verb()]
    assert not is_historical(None, doc, [0])
    assert is_historical({"frame": "past", "anchors": []}, doc, [0])
    Verb.tag_ = "VBD"
    assert is_historical(None, doc, [0])
    assert is_historical({"frame": "mixed", "anchors": []}, doc, [0])
    assert not is_historical({"frame": "present", "anchors": []}, doc, [0])


def test_dyad_score_weighs_quads_and_skips_unrealised_events():
    assert dyad_score([{"quad": "material cooperation", "mode": "asserted"},
                       {"quad": "verbal conflict", "mode": "historical"}]) == 0.25
    assert dyad_score([{"quad": "material conflict", "mode": "negated"}]) is None
    assert dyad_score([{"quad": q, "mode": "asserted"} for q in QUADS]) == 0.0


def test_the_packaged_table_loads_and_every_type_is_reachable():
    rules = load_event_rules(default_event_path())
    assert {rule.type for rule in rules} == set(EVENT_TYPES)
    assert default_coder().by_lemma["sanction"]


@pytest.mark.parametrize(("line", "problem"), [
    ('{"id": "x", "type": "HUG", "lemmas": ["hug"]}', "'type' must be one of"),
    ('{"id": "x", "type": "AID", "lemmas": []}', "'lemmas' must be a non-empty list"),
    ('{"id": "x", "type": "AID", "lemmas": ["give up"]}', "single lower-case words"),
    ('{"id": "x", "type": "AID", "lemmas": ["give"], "via": 1}', "unknown key(s) ['via']"),
    ('{"id": "x", "type": "AID", "lemmas": ["give"], "mutual": "yes"}', "'mutual' must be"),
    ('["x"]', "must be a JSON object"),
    ('{"id": "x", "type": "AID", "lemmas": ["give", "give"]}', "repeats a word"),
])
def test_a_bad_rule_names_file_line_and_problem(line, problem):
    text = '{"id": "ok", "type": "AID", "lemmas": ["aid"]}\n\n' + line + "\n"
    with pytest.raises(EventRuleError) as err:
        parse_event_rules(text, "mine.jsonl")
    assert str(err.value).startswith("mine.jsonl:3:")
    assert problem in str(err.value)


def test_duplicate_ids_and_bad_json_are_refused(tmp_path):
    path = tmp_path / "events.jsonl"
    path.write_text('{"id": "a", "type": "AID", "lemmas": ["aid"]}\n'
                    '{"id": "a", "type": "AID", "lemmas": ["help"]}\n', encoding="utf-8")
    with pytest.raises(EventRuleError, match=r"events.jsonl:2: rule 'a': duplicate id"):
        load_event_rules(path)
    path.write_text("{not json\n", encoding="utf-8")
    with pytest.raises(EventRuleError, match=r"events.jsonl:1: not valid JSON"):
        load_event_rules(path)
