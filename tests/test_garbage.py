"""Garbage is named, not processed; near-clean pages are decoded with U+FFFD and processed.

Every decoding path (UTF-8, a BOM, charset detection, HTML, JSONL records, stdin) refuses a
decoded text that is not natural language with "not text: ...". A real page with a handful
of undecodable bytes or stray NULs is processed, warned about and marked `replaced_bytes`;
its offsets index the decoded text.
"""

import io
import json
import random
from pathlib import Path

import pytest
from charset_normalizer import from_bytes
from typer.testing import CliRunner

from belnlp.cli import app
from belnlp.ingest.articles import Article, InputError, read_articles
from belnlp.records import documents_path_for

CITIES = ["Minsk", "Vilnius", "Warsaw", "Riga", "Kyiv", "Moscow"]


def article_text(sentences: int = 40) -> str:
    """A plain English article of `sentences` claims, about 70 bytes each."""
    return "".join(
        f"In {1990 + k % 30}, {CITIES[k % 6]} signed a gas agreement with "
        f"{CITIES[(k + 1) % 6]}.\n" for k in range(sentences))


def random_code_points(seed: int, n: int = 400) -> str:
    """Random code points outside the surrogates: what a garbage feed decodes to."""
    rng = random.Random(seed)
    points = (rng.randrange(0x20, 0x30000) for _ in range(n))
    return "".join(chr(p) for p in points if not 0xD800 <= p < 0xE000)


def detected_noise() -> bytes:
    """Short random bytes that charset detection accepts as a legacy encoding."""
    rng = random.Random(11)
    while True:
        data = rng.randbytes(16)
        best = from_bytes(data).best()
        if b"\x00" not in data and best is not None and not best.encoding.startswith("utf"):
            return data


def documents_of(out: Path) -> list[dict]:
    return [json.loads(line) for line in
            Path(documents_path_for(str(out))).read_text(encoding="utf-8").splitlines()]


def run(*args):
    return CliRunner().invoke(app, ["extract", *map(str, args), "--quiet"])


def read_one(path: Path) -> Article | InputError:
    [item] = read_articles([str(path)])
    return item


GARBAGE = {
    "random code points as UTF-8": (
        "noise.txt", random_code_points(1).encode("utf-8")),
    "private-use text behind a UTF-16 BOM": (
        "bom.txt", "".join(chr(0xE000 + k % 6000) for k in range(300)).encode("utf-16")),
    "random bytes charset detection accepts": ("short.txt", detected_noise()),
    "an HTML page of random code points": (
        "page.html", ("<html><body><article><p>" + random_code_points(2, 2000)
                      + "</p></article></body></html>").encode("utf-8")),
    "symbols without words": ("symbols.md", ("§±¶ ©®° " * 200).encode("utf-8")),
}


@pytest.mark.parametrize(("name", "data"), GARBAGE.values(), ids=GARBAGE)
def test_garbage_is_refused_as_not_text(tmp_path, name, data):
    (tmp_path / name).write_bytes(data)
    item = read_one(tmp_path / name)
    assert isinstance(item, InputError)
    assert item.reason.startswith("not text: ")


def test_garbage_in_jsonl_and_on_stdin_is_refused_with_its_line(tmp_path):
    rows = [{"id": "a", "text": article_text(3)}, {"id": "noise", "text": random_code_points(3)},
            {"id": "b", "text": article_text(2)}]
    feed = "".join(json.dumps(row) + "\n" for row in rows).encode("utf-8")
    (tmp_path / "feed.jsonl").write_bytes(feed)
    for items in (read_articles([str(tmp_path / "feed.jsonl")]),
                  read_articles(["-"], stdin=io.BytesIO(feed))):
        items = list(items)
        assert [type(item) for item in items] == [Article, InputError, Article]
        assert items[1].line == 2 and items[1].reason.startswith("not text: ")
    [item] = read_articles(["-"], stdin=io.BytesIO(random_code_points(4).encode("utf-8")))
    assert isinstance(item, InputError) and item.reason.startswith("not text: ")


def test_a_garbage_file_fails_the_run_and_the_others_are_extracted(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(article_text(3), encoding="utf-8")
    (folder / "noise.txt").write_bytes(random_code_points(5).encode("utf-8"))
    out = tmp_path / "claims.jsonl"
    result = run(folder, "-o", out)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"belnlp: {folder / 'noise.txt'}: not text: ")
    documents = documents_of(out)
    assert [d["source"] for d in documents] == [str(folder / "a.txt")]


def near_clean(kind: str) -> tuple[bytes, int]:
    """An article (about 5,800 bytes) with two bad bytes, or three NULs, inside it."""
    data = article_text(80).encode("utf-8").replace(b"Riga", "Rīga".encode(), 1)
    if kind == "invalid bytes":
        return data[:500] + b"\xff" + data[500:1500] + b"\xc3(" + data[1500:], 2
    return data[:300] + b"\x00" + data[300:900] + b"\x00\x00" + data[900:], 3


@pytest.mark.parametrize("kind", ["invalid bytes", "stray NULs"])
@pytest.mark.parametrize("suffix", [".txt", ".html"])
def test_a_near_clean_page_is_decoded_processed_and_marked(tmp_path, kind, suffix):
    data, replaced = near_clean(kind)
    if suffix == ".html":
        paragraphs = data.split(b"\n")
        data = (b"<html><head><title>Gas</title></head><body><article>"
                + b"".join(b"<p>" + p + b"</p>" for p in paragraphs if p)
                + b"</article></body></html>")
    page = tmp_path / f"page{suffix}"
    page.write_bytes(data)
    out = tmp_path / "claims.jsonl"
    result = run(page, "-o", out)
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        f"belnlp: warning: {page}: {replaced} undecodable byte(s) replaced with U+FFFD"]
    [document] = documents_of(out)
    assert document["replaced_bytes"] == replaced
    assert document["encoding"] == "utf-8"
    text = document["text"]
    assert "Rīga" in text and text.count("\ufffd") >= 1
    claims = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(claims) >= 70
    assert all(text[c["start"]:c["end"]] == c["text"] for c in claims)


def test_a_clean_document_record_has_no_replaced_bytes(tmp_path):
    (tmp_path / "a.txt").write_text(article_text(3), encoding="utf-8")
    out = tmp_path / "claims.jsonl"
    assert run(tmp_path / "a.txt", "-o", out).exit_code == 0
    [document] = documents_of(out)
    assert "replaced_bytes" not in document


def test_too_many_bad_bytes_are_still_refused(tmp_path):
    data = article_text(5).encode("utf-8").replace(b"Riga", "Rīga".encode())
    cut = data.index(b"\n", data.index("Rīga".encode())) + 1  # the UTF-8 is plain by then
    (tmp_path / "cut.txt").write_bytes(data[:cut] + b"\xff\xfe\xff" + data[cut:])
    item = read_one(tmp_path / "cut.txt")
    assert isinstance(item, InputError)
    assert item.reason.startswith(f"invalid UTF-8 at byte {cut} (line 4); 3 undecodable")


def test_a_long_document_without_claims_is_warned_about(tmp_path):
    questions = "".join(f"Will {CITIES[k % 6]} sign a gas agreement in {2030 + k}?\n"
                        for k in range(30))
    (tmp_path / "q.txt").write_text(questions, encoding="utf-8")
    (tmp_path / "short.txt").write_text("Will Minsk sign?\n", encoding="utf-8")
    out = tmp_path / "claims.jsonl"
    result = run(tmp_path / "q.txt", tmp_path / "short.txt", "-o", out)
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [
        f"belnlp: warning: {tmp_path / 'q.txt'}: no claims in {len(questions)} characters "
        "of text"]
