"""Sentence starts at line breaks, and never at a comma or a lower-case word inside a line.

A title, heading or list item must not run into the next line, and en_core_web_sm
sometimes splits "Belarus, situated at ..." after the first word of a paragraph. Both
are settled before the parser, which keeps boundaries that are already set.

The starts are computed over the Doc's arrays and written once with Doc.from_array: each
`token.is_sent_start = ...` makes spaCy scan the whole Doc, which is quadratic in its length.
"""

from __future__ import annotations

import numpy as np
from spacy.attrs import ORTH, SENT_START
from spacy.language import Language
from spacy.tokens import Doc

NO_START_PUNCT = frozenset({",", ";", ":", ")", "]", "}", "%", "’s", "'s", "…"})
WORD, SPACE, BREAK, NO_START = 0, 1, 2, 3  # kinds of token text


@Language.factory("belnlp_line_breaks")
def make_line_breaks(nlp: Language, name: str) -> LineBreaks:
    return LineBreaks()


def _kind(text: str) -> int:
    if text.isspace():
        return BREAK if "\n" in text else SPACE
    if text in NO_START_PUNCT or text[:1].islower():
        return NO_START
    return WORD


class LineBreaks:
    """Marks line starts as sentence starts and forbids starts that no sentence has."""

    def __call__(self, doc: Doc) -> Doc:
        if len(doc) < 2:
            return doc
        orths, inverse = np.unique(doc.to_array(ORTH), return_inverse=True)
        strings = doc.vocab.strings
        kind = np.array([_kind(strings[int(orth)]) for orth in orths])[inverse.ravel()]
        breaks = np.cumsum(kind == BREAK)
        words = np.flatnonzero((kind == WORD) | (kind == NO_START))
        # a word starts a line when a line break lies between it and the word before it
        after_break = np.ones(len(words), dtype=bool)
        after_break[1:] = breaks[words[1:]] > breaks[words[:-1]]
        starts = doc.to_array(SENT_START).astype(np.int64)
        starts[words[after_break & (words > 0)]] = 1
        starts[words[~after_break & (kind[words] == NO_START)]] = -1
        doc.from_array([SENT_START], starts.reshape(-1, 1).astype(np.uint64))
        return doc
