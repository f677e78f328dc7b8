"""Soak: 10,000 short documents with 1% injected failures and 1% garbage files, 2 processes,
one SIGKILL of the run, then --resume. Prints documents processed, failed, refused, lost
(must be 0) and peak RSS. A benchmark, not a timed test.

    python benchmarks/soak.py [--documents 10000] [--kill-at 0.4]

The failures are injected into the worker processes by a `sitecustomize` module on
PYTHONPATH that makes claim building raise for documents holding a marker word; the garbage
files are random code points named .txt. The run is killed with SIGKILL once its journal
lists the --kill-at share of the documents, and resumed with the same command.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import psutil

MARKER = "Zorblaxia"
BOMB = textwrap.dedent(f"""\
    import belnlp.run.process as process

    real = process.build_claims


    def build_claims(doc, **settings):
        if "{MARKER}" in doc.text:
            raise RuntimeError("injected failure")
        return real(doc, **settings)


    process.build_claims = build_claims
    """)
CITIES = ["Minsk", "Vilnius", "Warsaw", "Riga", "Kyiv", "Moscow", "Brest", "Grodno"]
GOODS = ["gas", "oil", "potash", "grain", "timber", "fertiliser"]


def short_document(k: int, rng: random.Random) -> str:
    a, b = rng.sample(CITIES, 2)
    good = rng.choice(GOODS)
    year = 1995 + k % 28
    return (f"Report {k}\n\nIn {year}, {a} signed a {good} agreement with {b}.\n\n"
            f"{b} relies on {a} for {good} supplies worth {k % 90 + 10} million dollars.\n")


def write_corpus(folder: Path, n: int) -> dict[str, int]:
    """n files: 1% hold the marker, 1% are garbage; returns the count of each kind."""
    rng = random.Random(14)
    kinds = {"good": 0, "failing": 0, "garbage": 0}
    for k in range(n):
        path = folder / f"doc-{k:05d}.txt"
        if k % 100 == 37:
            points = (rng.randrange(0x20, 0x30000) for _ in range(300))
            path.write_text("".join(chr(p) for p in points if not 0xD800 <= p < 0xE000),
                            encoding="utf-8")
            kinds["garbage"] += 1
        elif k % 100 == 71:
            path.write_text(short_document(k, rng).replace("Report", MARKER), encoding="utf-8")
            kinds["failing"] += 1
        else:
            path.write_text(short_document(k, rng), encoding="utf-8")
            kinds["good"] += 1
    return kinds


def tree_rss(process: psutil.Process) -> int:
    """Resident memory of a process and its descendants, in bytes."""
    total = 0
    for member in [process, *process.children(recursive=True)]:
        try:
            total += member.memory_info().rss
        except psutil.Error:
            pass
    return total


def run(command: list[str], env: dict[str, str], journal: Path | None, kill_after: int,
        peak: list[int]) -> tuple[int, float, int]:
    """Run `command`, SIGKILLing it once `journal` lists kill_after documents (if given).
    Returns the exit status, the seconds it took and the workers left behind by a kill."""
    started = time.perf_counter()
    child = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL, start_new_session=True)
    watched = psutil.Process(child.pid)
    killed = False
    while child.poll() is None:
        peak[0] = max(peak[0], tree_rss(watched))
        if journal is not None and not killed and journal.exists() \
                and journal.read_bytes().count(b"\n") > kill_after:
            child.send_signal(signal.SIGKILL)
            killed = True
        time.sleep(0.2)
    seconds = time.perf_counter() - started
    orphans = 0
    if killed:  # the workers notice that their parent is gone; wait for them to go
        members = [p for p in psutil.process_iter() if _in_group(p, child.pid)]
        _, alive = psutil.wait_procs(members, timeout=60)
        orphans = len(alive)
        for member in alive:
            member.kill()
    return child.returncode, seconds, orphans


def _in_group(process: psutil.Process, group: int) -> bool:
    try:
        return os.getpgid(process.pid) == group
    except OSError:
        return False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--kill-at", type=float, default=0.4)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="belnlp-soak-") as folder:
        root = Path(folder)
        corpus = root / "corpus"
        corpus.mkdir()
        kinds = write_corpus(corpus, options.documents)
        (root / "bomb").mkdir()
        (root / "bomb" / "sitecustomize.py").write_text(BOMB, encoding="utf-8")
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(
            [str(root / "bomb"), *filter(None, [os.environ.get("PYTHONPATH")])])}
        out = root / "out" / "claims.jsonl"
        out.parent.mkdir()
        belnlp = str(Path(sys.executable).with_name("belnlp"))
        command = [belnlp, "extract", str(corpus), "-o", str(out), "--n-process", "2",
                   "--quiet"]
        peak = [0]
        journal = out.with_name(f".{out.name}.progress")
        first = run(command, env, journal, int(options.kill_at * options.documents), peak)
        second = run([*command, "--resume"], env, None, 0, peak)
        documents = [json.loads(line)["doc_id"] for line in
                     (out.parent / "documents.jsonl").read_text(encoding="utf-8").splitlines()]
        errors = [json.loads(line) for line in
                  (out.parent / "claims.errors.jsonl").read_text(encoding="utf-8").splitlines()]
        claims = (out.parent / "claims.jsonl").read_bytes().count(b"\n")
        failed = sum(1 for e in errors if e["kind"] == "failed")
        refused = sum(1 for e in errors if e["kind"] == "input")
        lost = kinds["good"] - len(set(documents))
        print(f"soak: {options.documents} documents ({kinds['good']} good, "
              f"{kinds['failing']} with an injected failure, {kinds['garbage']} garbage), "
              f"2 processes")
        print(f"  first run: SIGKILLed after {first[1]:.0f} s (exit {first[0]}), "
              f"workers still alive 60 s after the kill: {first[2]}")
        print(f"  --resume: exit {second[0]} after {second[1]:.0f} s")
        print(f"  processed {len(documents)} documents ({claims} claims), "
              f"duplicates {len(documents) - len(set(documents))}")
        print(f"  failed {failed} (logged with tracebacks), refused as not text {refused}")
        print(f"  lost {lost} (must be 0)")
        print(f"  peak RSS of the run's process tree: {peak[0] / 2**20:.0f} MB")
        if lost or second[0] != 1 or failed != kinds["failing"] or refused != kinds["garbage"]:
            sys.exit(1)


if __name__ == "__main__":
    main()
