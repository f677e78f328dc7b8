"""Small multi-document inputs for the scale tests, built from the gold documents' texts."""

import json
from pathlib import Path

GOLD = Path(__file__).parent / "gold"
DATED = "Dated briefing\n\nIn 2024, Poland unveiled the East Shield programme.\n"


def gold_paragraphs() -> list[str]:
    paragraphs = []
    for path in sorted(GOLD.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            if record.get("type") == "document":
                paragraphs += [p.strip() for p in record["text"].split("\n\n") if p.strip()]
    return paragraphs


def records(n: int, per_document: int = 3) -> list[dict]:
    """n article records of `per_document` gold paragraphs each, then two dated ones whose
    category depends on the article date ("In 2024, ..." is historical in 2025, not in 2023)."""
    pool = gold_paragraphs()
    out = []
    for k in range(n):
        body = [pool[(k * per_document + j) % len(pool)] for j in range(per_document)]
        out.append({"id": f"doc-{k:03d}", "text": "\n\n".join([f"Briefing {k}", *body]) + "\n"})
    out.append({"id": "dated-2023", "text": DATED, "date": "2023-03-01"})
    out.append({"id": "dated-2025", "text": DATED, "date": "2025-03-01"})
    return out


def write(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows),
                    encoding="utf-8")
    return path
