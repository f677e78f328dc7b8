"""report: the HTML page's structure, highlighting, escaping and self-containment, on the
hand-made file and through the command on a real `belnlp extract` output."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from belnlp.cli import app
from belnlp.views.outputs import read_claims, read_documents
from belnlp.views.report import build_report
from tests.fixtures.claim_files import HAND_CLAIMS, HAND_DOCUMENTS, pipeline_claims

runner = CliRunner()
VOID = {"meta", "br", "img", "input", "link", "hr", "path", "circle", "rect"}


class Page(HTMLParser):
    """Every element with its attributes, checking that tags nest and close properly."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.stack: list[str] = []
        self.feed(text)
        self.close()
        assert self.stack == [], f"unclosed: {self.stack}"

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes {self.stack[-1:]}"
        self.stack.pop()

    def with_class(self, name: str) -> list[dict[str, str]]:
        return [attrs for _, attrs in self.elements
                if name in (attrs.get("class") or "").split()]


@pytest.fixture(scope="module")
def hand_html() -> str:
    documents = {d["doc_id"]: d for d in read_documents(HAND_DOCUMENTS).records}
    return build_report(read_claims([HAND_CLAIMS]).records, documents, source="claims.jsonl")


@pytest.fixture(scope="session")
def claims_file(tmp_path_factory) -> Path:
    return pipeline_claims(tmp_path_factory)


def assert_self_contained(text: str) -> None:
    page = Page(text)
    assert not re.search(r"https?:|//[a-z]", text, re.IGNORECASE)
    assert "@import" not in text
    for tag, attrs in page.elements:
        assert tag not in {"link", "img", "iframe", "object", "embed"}
        assert "src" not in attrs
        assert attrs.get("href", "#").startswith("#")
    local = re.findall(r"url\((#arrow\d*)\)", text)
    assert local and len(local) == len(re.findall(r"url\(", text))


def test_every_claim_is_highlighted_with_its_categories(hand_html):
    claims = Page(hand_html).with_class("claim")
    assert len(claims) == 9
    by_id = {attrs["data-claim-id"]: attrs for attrs in claims}
    two = by_id["belarus-russia:180-280"]
    assert two["data-categories"] == "economic military"
    assert "repeating-linear-gradient" in two["style"]
    assert "#2f855a" in two["style"] and "#c53030" in two["style"]
    one = by_id["belarus-russia:20-64"]
    assert one["style"].startswith("background: #2f855a")
    assert "uncategorised" in by_id["belarus-russia:281-330"]["class"]


def test_badges_and_tooltips_carry_each_categorys_evidence(hand_html):
    page = Page(hand_html)
    claim = next(a for a in page.with_class("claim")
                 if a["data-claim-id"] == "belarus-russia:180-280")
    assert "military: military.troops “troops”" in claim["title"]
    assert "economic: economic.money “millions of dollars”" in claim["title"]
    badges = [a["title"] for a in page.with_class("badge")]
    assert "military: military.troops “troops”; military.exercise “Zapad exercises”" in badges
    assert len(page.with_class("evidence")) == 9
    rules = {item["rule"] for r in read_claims([HAND_CLAIMS]).records for item in r["evidence"]}
    assert {a["title"] for a in page.with_class("ev")} == rules


def test_entities_are_marked_with_label_and_actor(hand_html):
    marks = Page(hand_html).with_class("ent")
    assert len(marks) == 26
    assert {"data-label": "GPE", "data-actor": "BLR"}.items() <= marks[1].items()
    assert '<span class="ent-label">GPE BLR</span></mark>' in hand_html
    assert '<span class="ent-label">DATE</span></mark>' in hand_html


def test_article_text_is_kept_between_the_claims(hand_html):
    assert '<div class="text">Belarus and Russia\n\n<span class="claim"' in hand_html
    assert "</span></span> <span class=\"claim" in hand_html


def test_all_text_is_escaped(hand_html):
    assert "<border>" not in hand_html and "<for now>" not in hand_html
    assert "<h2>Poland &amp; the &lt;border&gt;</h2>" in hand_html
    assert "GPE BLR</span></mark> &amp; <mark" in hand_html
    assert "&lt;for now&gt;." in hand_html


def test_charts_are_inline_svg(hand_html):
    page = Page(hand_html)
    figures = [attrs.get("id") for tag, attrs in page.elements if tag == "figure"]
    assert figures == ["chart-categories", "chart-actors"]
    assert len(page.with_class("bar")) == 2 * 4
    assert len(page.with_class("node")) == 8
    assert len(page.with_class("edge")) == 9  # ten relations, RUS → BLR twice
    assert "RUS → BLR · 2 relation(s) · be, stay" in hand_html


def test_page_is_self_contained(hand_html):
    assert_self_contained(hand_html)


def test_same_input_same_page(hand_html):
    documents = {d["doc_id"]: d for d in read_documents(HAND_DOCUMENTS).records}
    again = build_report(read_claims([HAND_CLAIMS]).records, documents, source="claims.jsonl")
    assert again == hand_html


def test_without_documents_the_claims_are_shown_alone():
    text = build_report(read_claims([HAND_CLAIMS]).records, {}, source="claims.jsonl")
    page = Page(text)
    assert len(page.with_class("claim")) == 9
    assert len(page.with_class("ent")) == 26
    assert text.count("The article text is not available") == 2


def test_claims_off_their_offsets_are_counted_not_highlighted():
    documents = {d["doc_id"]: d for d in read_documents(HAND_DOCUMENTS).records}
    documents["poland-border"] = {**documents["poland-border"], "text": "Another text."}
    text = build_report(read_claims([HAND_CLAIMS]).records, documents, source="claims.jsonl")
    assert len(Page(text).with_class("claim")) == 5
    assert "4 claim(s) do not match the article text" in text


def test_command_writes_one_self_contained_page(claims_file, tmp_path):
    out = tmp_path / "report.html"
    result = runner.invoke(app, ["report", str(claims_file), "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert_self_contained(text)
    records = read_claims([claims_file]).records
    page = Page(text)
    assert len(page.with_class("claim")) == len(records)
    assert len(page.with_class("ent")) == sum(len(r["entities"]) for r in records)
    assert "do not match the article text" not in text
    assert "not available" not in text


def test_command_finds_documents_or_says_it_has_none(claims_file, tmp_path):
    alone = tmp_path / "alone.jsonl"
    alone.write_text(claims_file.read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "report.html"
    result = runner.invoke(app, ["report", str(alone), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "alone.documents.jsonl" in result.stderr
    assert "The article text is not available" in out.read_text(encoding="utf-8")
    documents = claims_file.with_name("documents.jsonl")
    result = runner.invoke(app, ["report", str(alone), "--documents", str(documents),
                                 "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "not available" not in out.read_text(encoding="utf-8")
    missing = runner.invoke(app, ["report", str(alone), "--documents",
                                  str(tmp_path / "none.jsonl"), "-o", str(out)])
    assert missing.exit_code == 1
    assert "none.jsonl: no such documents file" in missing.stderr


def test_command_bad_claims_line(tmp_path):
    path = tmp_path / "claims.jsonl"
    path.write_text('{"schema": "belnlp.claim/1"}\n', encoding="utf-8")
    result = runner.invoke(app, ["report", str(path), "-o", str(tmp_path / "r.html")])
    assert result.exit_code == 1
    assert f"{path}:1: missing required field(s): claim_id" in result.stderr
    assert not (tmp_path / "r.html").exists()
