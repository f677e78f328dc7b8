"""Rule families on literal sentences: what must fire, the near misses that must not."""

import json

import pytest
from typer.testing import CliRunner

from belnlp import extract_claims
from belnlp.cli import app


def tag(nlp, sentence, date=None):
    [claim] = extract_claims(sentence, nlp=nlp, date=date)
    return claim


@pytest.mark.parametrize(("sentence", "category"), [
    ("In 1999, Belarus and Russia signed a treaty to form a Union State.", "historical"),
    ("At the end of April, Belarus revised its Military Doctrine.", "historical"),
    ("Lukashenko, in power since 1994, has often aligned his policies with Moscow.",
     "historical"),
    ("Belarus and Russia share a long history.", "historical"),
    ("The treaty of 1999 still binds both states.", "historical"),
    ("The nation has traditionally looked east.", "historical"),
    ("The CIS was formed during the dissolution of the Soviet Union.", "historical"),
    ("Moldova’s government has long argued that the troops are illegal.", "historical"),
    ("Russia is Belarus’s largest trading partner.", "economic"),
    ("Belarus relies heavily on Russian oil and gas.", "economic"),
    ("The EU has increased sanctions against Minsk.", "economic"),
    ("Thousands of labour migrants send remittances home.", "economic"),
    ("Belarus hosts Russian military facilities.", "military"),
    ("Belarus and Russia conduct regular joint exercises near the border.", "military"),
    ("Russia stationed tactical nuclear weapons in Belarus.", "military"),
    ("The CSTO framework provides mechanisms for responding to crises.", "military"),
    ("Poland no longer waits for Berlin to set the pace on defence.", "military"),
])
def test_rule_families_fire(nlp, sentence, category):
    claim = tag(nlp, sentence, date="2025-01-01")
    assert category in claim.categories, claim.evidence
    assert any(e["category"] == category for e in claim.evidence)


@pytest.mark.parametrize(("sentence", "absent"), [
    ("The history of the dispute is long.", "historical"),
    ("Russia is Belarus’s largest trading partner.", "historical"),
    ("Belarus will sign the treaty in 2030.", "historical"),
    ("The treaty still binds both states, and Minsk will renew it next year.", "historical"),
    ("Police tightened border security.", "military"),
    ("The museum sells Soviet-era posters.", "military"),
    ("The museum sells Soviet-era posters.", "historical"),
    ("Stallholders sell old army badges to collectors.", "military"),
    ("Activists defend the defence of human rights.", "military"),
    ("Moldova was granted candidate status.", "economic"),
    ("Tiraspol lies on the left bank of the river.", "economic"),
])
def test_near_misses_do_not_fire(nlp, sentence, absent):
    claim = tag(nlp, sentence, date="2025-01-01")
    assert absent not in claim.categories, claim.evidence


def test_the_museum_sentence_is_economic_at_most(nlp):
    assert tag(nlp, "The museum sells Soviet-era posters.").categories in ([], ["economic"])


def test_a_dated_event_after_the_article_date_is_not_historical(nlp):
    sentence = "In 2024, Poland unveiled the East Shield programme."
    assert "historical" in tag(nlp, sentence, date="2025-03-01").categories
    assert "historical" not in tag(nlp, sentence, date="2023-03-01").categories


def test_evidence_matches_the_text_it_points_at(nlp):
    text = "A title\n\nIn 2021, Belarus was accused of orchestrating a migrant crisis."
    [claim] = extract_claims(text, nlp=nlp, date="2024-01-01")
    for item in claim.evidence:
        assert text[item["start"]:item["end"]] == item["match"]


@pytest.mark.parametrize(("sentence", "modality"), [
    ("Belarus could explore closer ties with China.", "possible"),
    ("Perhaps the real test is whether prices fall.", "possible"),
    ("Astravets is likely to keep running below capacity.", "possible"),
    ("The regime must navigate internal dissent.", "necessary"),
    ("Moldova needs to make reintegration cheaper.", "necessary"),
    ("The EU’s approach will shape its future engagement.", "predicted"),
    ("A second cable is set to add capacity.", "predicted"),
    ("Belarus can access development funds.", "asserted"),
    ("Russia is Belarus’s largest trading partner.", "asserted"),
])
def test_claim_modality_from_the_main_clause(nlp, sentence, modality):
    assert tag(nlp, sentence).modality == modality


def test_user_rules_add_a_category_end_to_end(tmp_path):
    rules = tmp_path / "energy.jsonl"
    rules.write_text(json.dumps({"id": "energy.gas", "category": "energy",
                                 "terms": ["natural gas", "gas"], "note": "gas"}) + "\n")
    article = tmp_path / "a.txt"
    article.write_text("Belarus buys natural gas from Russia. Minsk held elections.\n")
    out = tmp_path / "claims.jsonl"
    result = CliRunner().invoke(app, ["extract", str(article), "-o", str(out), "--quiet",
                                      "--rules", str(rules), "--no-default-rules"])
    assert result.exit_code == 0, result.output
    first, second = [json.loads(line) for line in out.read_text().splitlines()]
    assert first["categories"] == ["energy"]
    assert first["evidence"][0]["rule"] == "energy.gas"
    assert second["categories"] == []
    result = CliRunner().invoke(app, ["extract", str(article), "-o", str(out), "--quiet",
                                      "--rules", str(rules)])
    categories = json.loads(out.read_text().splitlines()[0])["categories"]
    assert categories == ["economic", "energy"]


def test_a_malformed_rules_file_fails_before_processing(tmp_path):
    rules = tmp_path / "bad.jsonl"
    rules.write_text('{"id": "x", "category": "energy", "termz": ["gas"]}\n')
    out = tmp_path / "claims.jsonl"
    result = CliRunner().invoke(app, ["extract", "-", "-o", str(out), "--rules", str(rules)],
                                input="Belarus buys gas.")
    assert result.exit_code == 1
    assert f"{rules}:1: rule 'x': unknown key(s) ['termz']" in result.stderr
    assert not out.exists()


def test_explain_prints_categories_rules_and_matches():
    result = CliRunner().invoke(app, ["explain", "Belarus hosts Russian military facilities."])
    assert result.exit_code == 0, result.output
    assert "categories: military" in result.stdout
    assert "mil.facilities" in result.stdout and "'military facilities'" in result.stdout
