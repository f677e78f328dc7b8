"""Rule files are validated on load: every problem names the file, line, rule and what is wrong."""

import json

import pytest
import spacy

from belnlp.nlp.components.claim_tagger import ClaimTagger
from belnlp.rules import RuleError, default_rule_paths, load_rules, rules_hash


def write_rules(tmp_path, *rules, name="user.jsonl"):
    path = tmp_path / name
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r) for r in rules),
                    encoding="utf-8")
    return path


def test_default_rules_load_and_cover_the_three_categories():
    rules = load_rules(default_rule_paths())
    assert {rule.category for rule in rules} == {"historical", "economic", "military"}
    assert all(rule.note for rule in rules), "every shipped rule explains itself"


@pytest.mark.parametrize(
    ("rule", "problem"),
    [
        ({"id": "r1", "category": "energy", "term": ["gas"]}, "unknown key(s) ['term']"),
        ({"id": "r1", "category": "Energy", "terms": ["gas"]}, "'category' must be"),
        ({"id": "r1", "category": "energy"}, "needs exactly one of"),
        ({"id": "r1", "category": "energy", "terms": ["gas"], "lemmas": ["oil"]},
         "needs exactly one of"),
        ({"id": "r1", "category": "energy", "terms": []}, "non-empty list"),
        ({"id": "r1", "category": "energy", "lemmas": ["natural gas"]}, "single words"),
        ({"id": "r1", "category": "energy", "terms": ["gas"], "weight": 0}, "'weight'"),
        ({"id": "r1", "category": "energy", "terms": ["gas"], "when": {"tense": "future"}},
         "unknown tense"),
        ({"id": "r1", "category": "energy", "terms": ["gas"], "when": {"mood": "x"}},
         "unknown condition"),
        ({"id": "r1", "category": "energy", "entity": {"label": ["GPE"]}},
         "unknown entity key"),
        ({"id": "r1", "category": "energy", "pattern": [{"TEXT": {"REGEX": "(a+)+$"}}]},
         "nests quantifiers"),
        ({"id": "r1", "category": "energy", "pattern": [{"TEXT": {"REGEX": "(unclosed"}}]},
         "invalid regular expression"),
    ],
)
def test_malformed_rules_are_rejected_with_file_line_rule_and_problem(tmp_path, rule, problem):
    path = write_rules(tmp_path, {"id": "ok", "category": "energy", "terms": ["gas"]}, rule)
    with pytest.raises(RuleError) as error:
        load_rules([path])
    message = str(error.value)
    assert message.startswith(f"{path}:2: rule 'r1'")
    assert problem in message


def test_invalid_json_and_duplicate_ids_are_rejected(tmp_path):
    with pytest.raises(RuleError, match=r"user.jsonl:1: not valid JSON"):
        load_rules([write_rules(tmp_path, "{oops")])
    dup = write_rules(tmp_path, {"id": "a", "category": "x_y", "terms": ["b"]},
                      {"id": "a", "category": "x_y", "terms": ["c"]}, name="dup.jsonl")
    with pytest.raises(RuleError, match=r"dup.jsonl:2: rule 'a': duplicate id"):
        load_rules([dup])


def test_a_pattern_spacy_rejects_fails_when_the_tagger_is_built(tmp_path):
    path = write_rules(tmp_path, {"id": "bad", "category": "energy",
                                  "pattern": [{"LOWERCASE": "gas"}]})
    with pytest.raises(RuleError, match=r"rule 'bad': spaCy rejects the pattern"):
        ClaimTagger(spacy.blank("en"), load_rules([path]))


def test_rules_hash_changes_with_any_rule(tmp_path):
    one = load_rules([write_rules(tmp_path, {"id": "a", "category": "energy", "terms": ["gas"]},
                                  name="one.jsonl")])
    two = load_rules([write_rules(tmp_path, {"id": "a", "category": "energy", "terms": ["oil"]},
                                  name="two.jsonl")])
    assert rules_hash(one) != rules_hash(two)
    assert rules_hash(one) == rules_hash(list(one))
