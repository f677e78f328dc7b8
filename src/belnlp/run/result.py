"""One processed article and its JSON form, without importing spaCy.

The JSON form lets results computed elsewhere (the incremental cache, Dask workers) re-enter
the local writer: decoding gives back the same Claim, Structure and Article values, so the
records written from a decoded result are byte-identical to those of a fresh one.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from belnlp.ingest.articles import Article
from belnlp.ingest.structure import Structure
from belnlp.records import Claim


@dataclass(slots=True)
class Result:
    """One processed article: its layout and its claims."""

    article: Article
    structure: Structure
    claims: list[Claim]


def encode(result: Result, *, with_article: bool = True) -> dict[str, Any]:
    """A JSON-ready dict of the result; the article may be left out when the reader has it."""
    payload: dict[str, Any] = {
        "structure": asdict(result.structure),
        "claims": [asdict(claim) for claim in result.claims],
    }
    if with_article:
        payload["article"] = asdict(result.article)
    return payload


def decode(payload: dict[str, Any], article: Article | None = None) -> Result:
    """The Result of `encode`; `article` replaces the encoded one when given."""
    layout = payload["structure"]
    structure = Structure(
        **{**layout, "body": [tuple(span) for span in layout["body"]],
           "furniture": [tuple(item) for item in layout["furniture"]]}
    )
    claims = [Claim(**fields) for fields in payload["claims"]]
    return Result(article or Article(**payload["article"]), structure, claims)
