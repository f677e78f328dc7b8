"""Is a decoded text plausibly natural language? Garbage is refused by name, not processed.

Bytes that were never text can still decode: random bytes pass as UTF-16 or a legacy
East-Asian code page, random code points as UTF-8. What they lack is what every article has:
mostly letters, few unassigned, private-use or control code points, words separated by
spaces, and a low chaos measure (charset-normalizer's `mess_ratio`, the measure it ranks
candidate encodings by). The checks look at the first SAMPLE_CHARS characters only.
"""

from __future__ import annotations

import re
import unicodedata

SAMPLE_CHARS = 20_000
MIN_CHARS = 12  # shorter texts are too short to judge by their letters and words
MAX_BAD_SHARE = 0.05  # unassigned, private-use, surrogate, control or U+FFFD code points
MIN_LETTER_SHARE = 0.4  # letters among the non-space characters, unless
MIN_WORD_RUNS = 3  # the text has this many runs of words (an article with a wall of emoji)
MAX_CHAOS = 0.5
CHAOS_CHARS = 200  # the chaos measure needs this much text to mean anything
BAD_CATEGORIES = frozenset({"Cn", "Co", "Cs", "Cc"})
WORD_RUN = re.compile(r"[^\W\d_]{2,}[\s,;:'’\"()-]+[^\W\d_]{2,}")


def implausible(text: str) -> str | None:
    """Why `text` is not natural-language text ("not text: ..."), or None when it may be."""
    sample = text[:SAMPLE_CHARS]
    visible = "".join(sample.split())
    if not visible:
        return None
    bad = visible.count("\ufffd")
    if not visible.isprintable():  # only then can there be control or unassigned code points
        bad += sum(1 for ch in visible if unicodedata.category(ch) in BAD_CATEGORIES)
    if bad > MAX_BAD_SHARE * len(visible):
        return (f"not text: {bad / len(visible):.0%} of its characters are unassigned, "
                "private-use, control or replacement characters")
    if len(visible) < MIN_CHARS:
        return None
    runs = sum(1 for _ in zip(range(MIN_WORD_RUNS), WORD_RUN.finditer(sample), strict=False))
    if not runs:
        return "not text: no words separated by spaces"
    letters = sum(map(str.isalpha, visible))
    if letters < MIN_LETTER_SHARE * len(visible) and runs < MIN_WORD_RUNS:
        return f"not text: only {letters / len(visible):.0%} of its characters are letters"
    if len(visible) < CHAOS_CHARS:
        return None
    from charset_normalizer.md import mess_ratio

    chaos = mess_ratio(sample, maximum_threshold=1.0)
    if chaos > MAX_CHAOS:
        return f"not text: charset-normalizer's chaos measure is {chaos:.2f}, above {MAX_CHAOS}"
    return None
