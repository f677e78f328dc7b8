"""Modality and negation of a clause, read from its verb group in the parse.

A clause's verb group is its head verb plus the verbs it hangs from through
open complements ("needs to diversify", "is likely to join") and, for a
conjoined verb with neither subject nor auxiliary of its own ("did not sign
and ratify"), the verb it is conjoined to. Modal auxiliaries, modal verbs and
adjectives with a "to"-complement, and hedging adverbs on that group decide the
modality; "not", "n't", "never" and "no longer" on it decide negation.
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Token

ASSERTED = "asserted"
POSSIBLE = "possible"
NECESSARY = "necessary"
PREDICTED = "predicted"

#: Modal auxiliaries, by lemma ("wo" of "won't" lemmatises to "will"). "can" states an
#: ability or a permission ("Belarus can access EU funds"), so it stays asserted.
MODAL_AUXILIARIES = {
    "could": POSSIBLE,
    "may": POSSIBLE,
    "might": POSSIBLE,
    "must": NECESSARY,
    "should": NECESSARY,
    "will": PREDICTED,
    "shall": PREDICTED,
    "would": PREDICTED,
}
#: Verbs and adjectives that carry a modality when they take a "to"-complement
#: ("need to", "have to", "ought to", "is set to", "is going to", "is likely to" — a hedge,
#: "is expected to").
MODAL_COMPLEMENT_TAKERS = {
    "need": NECESSARY,
    "have": NECESSARY,
    "ought": NECESSARY,
    "set": PREDICTED,
    "go": PREDICTED,
    "likely": POSSIBLE,
    "unlikely": POSSIBLE,
    "expect": PREDICTED,
}
#: Complement takers that carry the modality only in one form: "is set to",
#: "is going to", "is expected to" (not "sets", "goes to see", "expects").
REQUIRED_TAGS = {"set": "VBN", "go": "VBG", "expect": "VBN"}
#: Hedging adverbs that make a clause a possibility.
HEDGE_ADVERBS = frozenset({"perhaps", "possibly", "potentially", "maybe"})

AUX_DEPS = frozenset({"aux", "auxpass"})
SUBJ_DEPS = frozenset({"nsubj", "nsubjpass", "csubj", "csubjpass", "expl"})
NEGATION_WORDS = frozenset({"not", "n't", "never"})


def verb_group(verb: Token) -> Iterator[Token]:
    """The verb, then each verb (or adjective) it is an open complement of,
    then the verb it shares its auxiliaries with when it is a bare conjunct."""
    tok = verb
    while True:
        yield tok
        if tok.dep_ == "xcomp" and tok.head is not tok:
            tok = tok.head
        elif tok.dep_ == "acomp" and tok.head is not tok:
            tok = tok.head
        elif tok.dep_ == "conj" and tok.head.pos_ in ("VERB", "AUX") and _is_bare(tok):
            tok = tok.head
        else:
            return


def _is_bare(verb: Token) -> bool:
    """True when a verb has no subject and no auxiliary of its own."""
    return not any(c.dep_ in SUBJ_DEPS or c.dep_ in AUX_DEPS for c in verb.children)


def _complement_modality(tok: Token) -> str | None:
    """Modality of a verb or adjective that takes a "to"-complement, if it carries one."""
    lemma = tok.lemma_.lower()
    modality = MODAL_COMPLEMENT_TAKERS.get(lemma)
    if modality is None or REQUIRED_TAGS.get(lemma, tok.tag_) != tok.tag_:
        return None
    return modality if any(c.dep_ == "xcomp" for c in tok.children) else None


def clause_modality(verb: Token) -> str:
    """asserted | possible | necessary | predicted for the clause headed by `verb`."""
    for tok in verb_group(verb):
        children = list(tok.children)  # read once: each pass would make new Tokens
        for word in (tok, *(c for c in children if c.dep_ == "acomp")):
            modality = _complement_modality(word)
            if modality:
                return modality
        for child in children:
            if child.dep_ in AUX_DEPS and child.tag_ == "MD":
                modality = MODAL_AUXILIARIES.get(child.lemma_.lower())
                if modality:
                    return modality
        for child in children:
            if child.dep_ == "advmod" and child.lower_ in HEDGE_ADVERBS:
                return POSSIBLE
    return ASSERTED


def is_negated(verb: Token) -> bool:
    """True when the clause headed by `verb` is negated ("not", "never", "no longer")."""
    for tok in verb_group(verb):
        for child in tok.children:
            if child.dep_ == "neg" and child.lower_ in NEGATION_WORDS:
                return True
            if child.dep_ == "advmod" and child.lower_ == "never":
                return True
            if child.dep_ == "advmod" and child.lower_ == "longer" and _has_no(child):
                return True
    return False


def _has_no(tok: Token) -> bool:
    return any(c.lower_ == "no" for c in tok.children)
