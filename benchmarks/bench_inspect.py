"""Time and peak memory of `belnlp inspect`'s load + summary on 100,000 claims.

The claims are a real `belnlp extract` output replicated until there are enough of them, each
copy with its own doc and claim ids, so the run is deterministic and the records look like
the pipeline's. The measurement runs in a fresh process, so its peak RSS is that of loading
and summarising alone (plus the interpreter and pandas).

    python benchmarks/bench_inspect.py [--claims outputs/claims.jsonl] [--n 100000]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def source_claims(claims: Path | None, folder: Path) -> Path:
    """The pipeline output to replicate: the one given, else a fresh extract of corpus/."""
    if claims is not None:
        return claims
    claims = folder / "source" / "claims.jsonl"
    claims.parent.mkdir()
    subprocess.run([sys.executable, "-c", "from belnlp.cli import app; app()", "extract",
                    str(ROOT / "corpus"), "-o", str(claims), "-q"], check=True)
    return claims


def replicate(source: Path, target: Path, n: int) -> None:
    """Write `n` claims: copies of `source`'s, the copy number appended to doc and claim ids."""
    lines = [line for line in source.read_text(encoding="utf-8").splitlines() if line.strip()]
    if not lines:
        raise SystemExit(f"{source}: no claims to replicate")
    with target.open("w", encoding="utf-8") as out:
        for index in range(n):
            copy, position = divmod(index, len(lines))
            record = json.loads(lines[position])
            record["doc_id"] = f"{record['doc_id']}~{copy}"
            record["claim_id"] = f"{record['claim_id']}~{copy}"
            out.write(json.dumps(record, ensure_ascii=False) + "\n")


def measure(path: Path) -> dict[str, float]:
    """Load + summary of one file in this process: seconds per step and peak RSS in MiB."""
    from belnlp.views.inspect import load, summary
    from belnlp.views.outputs import read_claims

    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    start = time.perf_counter()
    records = read_claims([path]).records
    read = time.perf_counter()
    tables = load(records)
    loaded = time.perf_counter()
    view = summary(tables)
    done = time.perf_counter()
    assert int(view.frame.iloc[1]["count"]) == len(records)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"claims": len(records), "read_s": read - start, "tables_s": loaded - read,
            "summary_s": done - loaded, "total_s": done - start,
            "baseline_rss_mib": baseline, "peak_rss_mib": peak}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--claims", type=Path, help="pipeline claims JSONL to replicate")
    parser.add_argument("--n", type=int, default=100_000, help="claims to measure")
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure)))
        return
    with tempfile.TemporaryDirectory() as folder:
        source = source_claims(args.claims, Path(folder))
        big = Path(folder) / "claims.jsonl"
        replicate(source, big, args.n)
        child = subprocess.run([sys.executable, __file__, "--measure", str(big)], check=True,
                               capture_output=True, text=True)
        numbers = json.loads(child.stdout)
        size = big.stat().st_size / 2**20
    print(f"inspect load + summary of {numbers['claims']:,} claims ({size:.0f} MiB JSONL, "
          f"replicated from {source.name}):")
    print(f"  read JSONL   {numbers['read_s']:6.2f} s")
    print(f"  tables       {numbers['tables_s']:6.2f} s")
    print(f"  summary      {numbers['summary_s']:6.2f} s")
    print(f"  total        {numbers['total_s']:6.2f} s")
    print(f"  peak RSS     {numbers['peak_rss_mib']:6.0f} MiB "
          f"({numbers['peak_rss_mib'] - numbers['baseline_rss_mib']:.0f} MiB over the "
          f"{numbers['baseline_rss_mib']:.0f} MiB after imports)")


if __name__ == "__main__":
    main()
