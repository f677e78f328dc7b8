"""Reading articles: formats, decoding, and per-file errors that never stop the run."""

import codecs
import io
import json

import pytest

from belnlp.ingest.articles import (
    Article,
    InputError,
    _decoded_lines,
    decode_bytes,
    read_articles,
)


def read(paths, stdin=None):
    return list(read_articles([str(p) for p in paths], stdin=stdin))


def test_text_file_keeps_its_text_and_encoding(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("Belarus relies on Russian gas.\n", encoding="utf-8")
    [article] = read([path])
    assert article.text == "Belarus relies on Russian gas.\n"
    assert article.encoding == "utf-8"
    assert article.source == str(path)


def test_same_text_same_id_and_different_text_different_id(tmp_path):
    (tmp_path / "a.txt").write_text("One claim.", encoding="utf-8")
    (tmp_path / "b.txt").write_text("One claim.", encoding="utf-8")
    (tmp_path / "c.txt").write_text("Another claim.", encoding="utf-8")
    a, b, c = read([tmp_path / "a.txt", tmp_path / "b.txt", tmp_path / "c.txt"])
    assert a.doc_id == b.doc_id != c.doc_id


def test_directory_is_read_recursively_in_sorted_order(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "z.txt").write_text("Zed.", encoding="utf-8")
    (tmp_path / "a.md").write_text("Ay.", encoding="utf-8")
    (tmp_path / "notes.bin").write_bytes(b"\x00\x01")
    articles = read([tmp_path])
    assert [a.text for a in articles] == ["Ay.", "Zed."]


def test_cp1251_is_detected():
    text = "Беларусь и Россия подписали договор о создании Союзного государства в 1999 году."
    decoded, encoding, _ = decode_bytes(text.encode("cp1251"))
    assert decoded == text
    assert encoding == "cp1251"


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_with_and_without_bom(codec):
    text = "Poland’s border with Belarus is fortified.\n" * 3
    decoded, encoding, _ = decode_bytes(text.encode(codec))
    assert decoded.lstrip("\ufeff") == text
    assert encoding.startswith("utf")


def test_invalid_utf8_in_the_middle_is_an_error_naming_the_line():
    data = "Minsk – Moscow\n".encode() + b"bad \xff byte\n"
    with pytest.raises(ValueError, match=r"invalid UTF-8 at byte \d+ \(line 2\)"):
        decode_bytes(data)


def test_binary_and_empty_inputs_are_errors_and_the_run_goes_on(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_text(" \n\t\n", encoding="utf-8")
    (tmp_path / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (tmp_path / "good.txt").write_text("Belarus hosts Russian radar.", encoding="utf-8")
    results = read(sorted(tmp_path.iterdir()) + [tmp_path / "missing.txt"])
    errors = {str(r.source).rsplit("/", 1)[-1]: r.reason for r in results
              if isinstance(r, InputError)}
    assert set(errors) == {"blank.txt", "empty.txt", "image.txt", "missing.txt"}
    assert "empty" in errors["empty.txt"] and "binary" in errors["image.txt"]
    assert [r.text for r in results if isinstance(r, Article)] == ["Belarus hosts Russian radar."]


def test_jsonl_records_and_line_numbered_errors(tmp_path):
    lines = [
        json.dumps({"id": "x1", "text": "Russia backed Lukashenko.", "date": "2021-01-01"}),
        "{not json",
        json.dumps({"id": "x3"}),
        json.dumps({"id": "x4", "text": 42}),
        json.dumps({"text": "No id here.", "url": "https://example.org/a"}),
    ]
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(lines), encoding="utf-8")
    results = read([path])
    errors = [(r.line, r.reason) for r in results if isinstance(r, InputError)]
    assert [line for line, _ in errors] == [2, 3, 4]
    first, last = [r for r in results if isinstance(r, Article)]
    assert first.doc_id == "x1" and first.meta["date"] == "2021-01-01"
    assert last.doc_id.startswith("doc-") and last.source == "https://example.org/a"


def test_stdin_is_one_document():
    [article] = read_articles(["-"], stdin=io.BytesIO(b"Text from a pipe."))
    assert article.source == "-" and article.text == "Text from a pipe."


def test_html_goes_through_trafilatura(tmp_path):
    body = "".join(
        f"<p>Belarus and Russia conducted joint exercises in paragraph {i}, "
        "which worried Poland and Lithuania a great deal.</p>" for i in range(6)
    )
    html = (f"<html><head><title>Drills</title><script>alert(1)</script></head><body>"
            f"<article><h1>Drills near the border</h1>{body}</article></body></html>")
    path = tmp_path / "page.html"
    path.write_text(html, encoding="utf-8")
    [article] = read([path])
    assert "joint exercises" in article.text and "alert" not in article.text


def test_html_without_article_text_is_an_error(tmp_path):
    path = tmp_path / "empty.html"
    path.write_text("<html><head><style>p{}</style><script>x()</script></head></html>",
                    encoding="utf-8")
    [result] = read([path])
    assert isinstance(result, InputError) and "no article text" in result.reason


@pytest.mark.parametrize("bad_line", [1, 2])
def test_a_bad_utf16_jsonl_line_is_reported_at_its_own_number(tmp_path, bad_line):
    good = json.dumps({"id": "u1", "text": "Minsk hosted the talks."}) + "\n"
    broken = b"\x00\xd8A\x00"  # a high surrogate followed by "A": no UTF-16 at all
    body = good.encode("utf-16-le") * (bad_line - 1) + b"{\x00" + broken + b"\n\x00"
    path = tmp_path / "in.jsonl"
    path.write_bytes(b"\xff\xfe" + body)
    [*articles, error] = read([path])
    assert [a.doc_id for a in articles] == ["u1"] * (bad_line - 1)
    assert isinstance(error, InputError) and error.line == bad_line
    assert "utf-16" in error.reason


@pytest.mark.parametrize("size", [1, 3, 7, 4096])
@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_wide_jsonl_lines_are_cut_on_character_boundaries_whatever_the_reads(codec, size):
    # "\u0a41\u4e00" is 41 0a 00 4e in UTF-16-LE: the bytes of "\n" across two characters
    rows = [json.dumps({"id": f"w{k}", "text": f"Minsk \u0a41\u4e00 talks {k}."},
                       ensure_ascii=False) for k in range(4)]
    bom = {"utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE,
           "utf-32-le": codecs.BOM_UTF32_LE, "utf-32-be": codecs.BOM_UTF32_BE}[codec]
    data = bom + "\n".join(rows).encode(codec)
    chunks = [data[i:i + size] for i in range(0, len(data), size)]
    assert list(_decoded_lines(chunks, codec[:6])) == rows
