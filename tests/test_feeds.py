"""JSONL files and stdin are read record by record: a feed of any size streams.

A reader that read its input whole would never return on an endless feed; these stop after
a few records and check how little was read. Bad lines keep their line numbers.
"""

import io
import json
import os
import threading
from itertools import islice

from typer.testing import CliRunner

from belnlp.cli import app
from belnlp.ingest.articles import CHUNK_BYTES, Article, InputError, read_articles

RECORD = "Minsk signed gas agreement number {k} with Moscow in {year}."


def record(k: int) -> bytes:
    return (json.dumps({"id": f"r{k}", "text": RECORD.format(k=k, year=1990 + k % 30)})
            + "\n").encode("utf-8")


class EndlessFeed:
    """A binary stream of records that never ends, counting the bytes handed out."""

    def __init__(self) -> None:
        self.served = 0
        self.next = 0
        self.buffer = b""

    def _fill(self, n: int) -> None:
        while len(self.buffer) < n:
            self.buffer += record(self.next)
            self.next += 1

    def read1(self, n: int = -1) -> bytes:
        self._fill(n)
        piece, self.buffer = self.buffer[:n], self.buffer[n:]
        self.served += len(piece)
        return piece

    read = read1

    def readline(self) -> bytes:
        self._fill(1)
        end = self.buffer.index(b"\n") + 1 if b"\n" in self.buffer else len(self.buffer)
        self._fill(end)
        line, self.buffer = self.buffer[:end], self.buffer[end:]
        self.served += len(line)
        return line


def test_an_endless_stdin_feed_streams():
    feed = EndlessFeed()
    first = list(islice(read_articles(["-"], stdin=feed), 3))
    assert [item.doc_id for item in first] == ["r0", "r1", "r2"]
    assert feed.served <= 2 * CHUNK_BYTES


def test_a_jsonl_file_streams_from_a_pipe(tmp_path):
    fifo = tmp_path / "feed.jsonl"
    os.mkfifo(fifo)
    written = [0]
    stop = threading.Event()

    def writer():
        try:
            with open(fifo, "wb") as out:
                for k in range(200_000):  # about 16 MB if nobody stops it
                    if stop.is_set():
                        return
                    out.write(record(k))
                    out.flush()
                    written[0] += 1
        except BrokenPipeError:  # the reader has closed the pipe
            pass

    thread = threading.Thread(target=writer, daemon=True)
    thread.start()
    items = read_articles([str(fifo)])
    first = list(islice(items, 3))
    stop.set()
    assert [item.doc_id for item in first] == ["r0", "r1", "r2"]
    assert written[0] < 200_000
    items.close()
    thread.join(timeout=30)
    assert not thread.is_alive()


def test_bad_lines_in_a_streamed_feed_keep_their_numbers(tmp_path):
    lines = [record(0), b'{"id": "bad", "text": "Minsk \xff Moscow."}\n', b"{oops\n", b"\n",
             record(4), b"[1, 2]\n", record(6)]
    feed = b"".join(lines)
    (tmp_path / "feed.jsonl").write_bytes(feed)
    for items in (read_articles([str(tmp_path / "feed.jsonl")]),
                  read_articles(["-"], stdin=io.BytesIO(feed))):
        items = list(items)
        assert [(type(i).__name__, i.line) for i in items] == [
            ("Article", 1), ("InputError", 2), ("InputError", 3), ("Article", 5),
            ("InputError", 6), ("Article", 7)]
        assert items[1].reason == "not valid utf-8 (byte 29 of the line)"


def test_stdin_jsonl_through_the_command_line(tmp_path):
    feed = record(0) + b"{oops\n" + record(2)
    out = tmp_path / "claims.jsonl"
    result = CliRunner().invoke(app, ["extract", "-", "-o", str(out), "-q"], input=feed)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0].startswith("belnlp: -:2: not valid JSON")
    documents = out.with_name("documents.jsonl").read_text(encoding="utf-8").splitlines()
    docs = [json.loads(line)["doc_id"] for line in documents]
    assert docs == ["r0", "r2"]


def test_stdin_that_is_not_jsonl_is_one_document():
    text = b"Minsk signed a gas agreement with Moscow.\n{not a record}\n"
    [item] = read_articles(["-"], stdin=io.BytesIO(text))
    assert isinstance(item, Article) and item.text == text.decode()
    assert not isinstance(item, InputError)
