"""Sentence starts at line breaks, and never at a comma or a lower-case word inside a line.

A title, heading or list item must not run into the next line, and en_core_web_sm
sometimes splits "Belarus, situated at ..." after the first word of a paragraph. Both
are settled before the parser, which keeps boundaries that are already set.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

NO_START_PUNCT = frozenset({",", ";", ":", ")", "]", "}", "%", "’s", "'s", "…"})


@Language.factory("belnlp_line_breaks")
def make_line_breaks(nlp: Language, name: str) -> LineBreaks:
    return LineBreaks()


class LineBreaks:
    """Marks line starts as sentence starts and forbids starts that no sentence has."""

    def __call__(self, doc: Doc) -> Doc:
        after_break = True
        for token in doc:
            if token.is_space:
                after_break = after_break or "\n" in token.text
            elif after_break:
                if token.i > 0:
                    token.is_sent_start = True
                after_break = False
            elif token.text in NO_START_PUNCT or token.text[:1].islower():
                token.is_sent_start = False
        return doc
