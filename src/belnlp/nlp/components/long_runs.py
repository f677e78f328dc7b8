"""A tokenizer guard: runs of LONG_RUN or more characters without whitespace become plain tokens.

spaCy's tokenizer strips prefixes and suffixes one at a time and searches the rest of the
string again after each, so a long run of quotes, brackets, commas or emoji takes quadratic
time (4,000 quotes: over a second; 100,000: a quarter of an hour). No word is that long:
such runs are binary debris, ASCII art or base64. They are cut into tokens of LONG_RUN
characters with no affix handling; the text between them goes through the tokenizer as
before, so the Doc's text is exactly the input.
"""

from __future__ import annotations

import re

from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc

LONG_RUN = 200
LONG_RUN_RE = re.compile(rf"\S{{{LONG_RUN},}}")


class LongRunGuard:
    """Wraps a spaCy tokenizer; text without a long run is tokenized by it unchanged."""

    def __init__(self, tokenizer: Tokenizer) -> None:
        self.tokenizer = tokenizer
        self.vocab = tokenizer.vocab

    def __call__(self, text: str) -> Doc:
        if LONG_RUN_RE.search(text) is None:
            return self.tokenizer(text)
        parts = []
        position = 0
        for match in LONG_RUN_RE.finditer(text):
            if match.start() > position:
                parts.append(self.tokenizer(text[position:match.start()]))
            run = match.group()
            words = [run[i:i + LONG_RUN] for i in range(0, len(run), LONG_RUN)]
            spaces = [False] * len(words)
            position = match.end()
            if text.startswith(" ", position):
                spaces[-1] = True
                position += 1
            parts.append(Doc(self.vocab, words=words, spaces=spaces))
        if position < len(text):
            parts.append(self.tokenizer(text[position:]))
        return Doc.from_docs(parts, ensure_whitespace=False)

    def pipe(self, texts, batch_size: int = 1000):
        """Tokenize a stream of texts, as spaCy's Tokenizer.pipe does."""
        for text in texts:
            yield self(text)

    def __getattr__(self, name: str):
        """Everything else (serialization, memory zones, explain) is the tokenizer's own."""
        if name == "tokenizer":  # not set yet, while unpickling
            raise AttributeError(name)
        return getattr(self.tokenizer, name)
