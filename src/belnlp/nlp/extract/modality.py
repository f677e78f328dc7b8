"""Modality and negation of a clause, read from its verb group in the parse.

A clause's verb group is its head verb plus the verbs it hangs from through
open complements ("needs to diversify", "is likely to join") and, for a
conjoined verb with neither subject nor auxiliary of its own ("did not sign
and ratify"), the verb it is conjoined to. Modal auxiliaries, modal verbs and
adjectives with a "to"-complement, and hedging adverbs on that group decide the
modality; "not", "n't", "never" and "no longer" on it decide negation.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

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

#: A token's children; callers that read the parse once pass a cheaper one than
#: Token.children, which scans the token's whole subtree on every call.
Children = Callable[[Token], Iterable[Token]]


def _children(tok: Token) -> Iterable[Token]:
    return tok.children


def verb_group(verb: Token, children: Children = _children) -> Iterator[Token]:
    """The verb, then each verb (or adjective) it is an open complement of,
    then the verb it shares its auxiliaries with when it is a bare conjunct."""
    tok = verb
    while True:
        yield tok
        if tok.dep_ == "xcomp" and tok.head is not tok:
            tok = tok.head
        elif tok.dep_ == "acomp" and tok.head is not tok:
            tok = tok.head
        elif tok.dep_ == "conj" and tok.head.pos_ in ("VERB", "AUX") and _is_bare(tok, children):
            tok = tok.head
        else:
            return


def _is_bare(verb: Token, children: Children = _children) -> bool:
    """True when a verb has no subject and no auxiliary of its own."""
    return not any(c.dep_ in SUBJ_DEPS or c.dep_ in AUX_DEPS for c in children(verb))


def _complement_modality(tok: Token, children: Children = _children) -> str | None:
    """Modality of a verb or adjective that takes a "to"-complement, if it carries one."""
    lemma = tok.lemma_.lower()
    modality = MODAL_COMPLEMENT_TAKERS.get(lemma)
    if modality is None or REQUIRED_TAGS.get(lemma, tok.tag_) != tok.tag_:
        return None
    return modality if any(c.dep_ == "xcomp" for c in children(tok)) else None


def clause_modality(verb: Token, children: Children = _children) -> str:
    """asserted | possible | necessary | predicted for the clause headed by `verb`."""
    for tok in verb_group(verb, children):
        kids = list(children(tok))
        for word in (tok, *(c for c in kids if c.dep_ == "acomp")):
            modality = _complement_modality(word, children)
            if modality:
                return modality
        for child in kids:
            if child.dep_ in AUX_DEPS and child.tag_ == "MD":
                modality = MODAL_AUXILIARIES.get(child.lemma_.lower())
                if modality:
                    return modality
        for child in kids:
            if child.dep_ == "advmod" and child.lower_ in HEDGE_ADVERBS:
                return POSSIBLE
    return ASSERTED


def is_negated(verb: Token, children: Children = _children) -> bool:
    """True when the clause headed by `verb` is negated ("not", "never", "no longer")."""
    for tok in verb_group(verb, children):
        for child in children(tok):
            if child.dep_ == "neg" and child.lower_ in NEGATION_WORDS:
                return True
            if child.dep_ == "advmod" and child.lower_ == "never":
                return True
            if child.dep_ == "advmod" and child.lower_ == "longer" and _has_no(child, children):
                return True
    return False


def _has_no(tok: Token, children: Children = _children) -> bool:
    return any(c.lower_ == "no" for c in children(tok))
