"""A deterministic benchmark corpus of N documents, built offline from the repository's texts.

The paragraphs of corpus/*.txt and of the document records in tests/gold/*.jsonl are pooled
(duplicate texts once); document k is a numbered heading plus PARAGRAPHS consecutive
paragraphs starting at paragraph 3k of the pool, so every document is distinct, every
paragraph recurs, and N documents always hold the same text.

articles(N) is a corpus of article-length documents for comparisons with the bare model: the
whole articles of corpus/, tests/gold/ and, when present, ../shared/gold-dev/texts/ (read at
run time, never copied into the repository), then documents of 8 to 16 consecutive paragraphs
of their pooled paragraphs.
"""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PARAGRAPHS = 4
STRIDE = 3
GOLD_DEV_TEXTS = ROOT.parent / "shared" / "gold-dev" / "texts"
ARTICLE_PARAGRAPHS = range(8, 17)


def source_texts(root: Path = ROOT) -> list[str]:
    """The article texts of corpus/ and of the gold documents, each once, in a fixed order."""
    texts = [path.read_text(encoding="utf-8") for path in sorted((root / "corpus").glob("*.txt"))]
    for path in sorted((root / "tests" / "gold").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            if record.get("type") == "document":
                texts.append(record["text"])
    return list(dict.fromkeys(texts))


def paragraphs(root: Path = ROOT) -> list[str]:
    """Every non-empty paragraph of the source texts, in order."""
    return [p.strip() for text in source_texts(root) for p in text.split("\n\n") if p.strip()]


def documents(n: int, root: Path = ROOT) -> list[dict[str, str]]:
    """N JSONL article records {id, title, text}."""
    pool = paragraphs(root)
    records = []
    for k in range(n):
        start = STRIDE * k
        body = [pool[(start + j) % len(pool)] for j in range(PARAGRAPHS)]
        title = f"Regional briefing {k + 1}"
        text = "\n\n".join([title, *body]) + "\n"
        records.append({"id": f"bench-{k + 1:05d}", "title": title, "text": text})
    return records


def write_corpus(path: Path, n: int, root: Path = ROOT) -> Path:
    """Write N documents as one JSONL input file and return its path."""
    with path.open("w", encoding="utf-8") as handle:
        for record in documents(n, root):
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


def article_texts(root: Path = ROOT) -> list[str]:
    """The repository's article texts, then those of the gold-dev set when it is present."""
    gold_dev = [path.read_text(encoding="utf-8") for path in sorted(GOLD_DEV_TEXTS.glob("*.txt"))]
    return list(dict.fromkeys(source_texts(root) + gold_dev))


def articles(n: int, root: Path = ROOT) -> list[dict[str, str]]:
    """N article-length JSONL records {id, text}: the whole articles first, then documents
    of consecutive paragraphs, of varying lengths, from the pool of their paragraphs."""
    texts = article_texts(root)
    pool = [p.strip() for text in texts for p in text.split("\n\n") if p.strip()]
    sizes = list(ARTICLE_PARAGRAPHS)
    records = [{"id": f"article-{k + 1:05d}", "text": text} for k, text in enumerate(texts[:n])]
    start = 0
    for k in range(len(records), n):
        size = sizes[k % len(sizes)]
        body = [pool[(start + j) % len(pool)] for j in range(size)]
        start += size // 2 + 1
        records.append({"id": f"article-{k + 1:05d}", "text": "\n\n".join(body) + "\n"})
    return records


def write_articles(path: Path, n: int, root: Path = ROOT) -> Path:
    """Write articles(N) as one JSONL input file and return its path."""
    with path.open("w", encoding="utf-8") as handle:
        for record in articles(n, root):
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path
