"""Subject–predicate–object relations read from a spaCy dependency parse.

`relations(sent)` states the claims of one sentence the way an analyst would:
one relation per clause (main, conjoined, complement, relative, participial and
adverbial clauses) and per apposition, split over conjoined subjects and
objects, with time, location and other prepositional phrases as extra
arguments, the speaker of reported speech as context, negation, modality, and
a confidence that ranks relations by how reliable their construction is.

The sentence is read once into child lists (`_Parse`); every helper after that
looks only at a token's own children or at spaCy's stored subtree edges, so the
work stays linear in the sentence's length.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, fields, replace

import numpy
from spacy.attrs import HEAD, IDX, LENGTH, SPACY
from spacy.tokens import Doc, Span, Token

from belnlp.nlp.extract.modality import Children, clause_modality, is_negated


@dataclass(frozen=True, slots=True)
class Argument:
    """A slot of a relation: its text, character offsets into doc.text and actor.

    For subjects, objects, arguments and context, text == doc.text[start:end].
    For the predicate, text is the normalised predicate ("relies on", "is largest
    trading partner of") and start/end cover its tokens from first to last.
    """

    text: str
    start: int
    end: int
    actor: str | None = None
    role: str | None = None  # extra arguments only: "time", "location" or "argument"
    head: int = -1  # doc index of the phrase's head token (not written to records)


@dataclass(frozen=True, slots=True)
class Relation:
    """One subject–predicate–object triple with its extra arguments and qualifiers."""

    subject: Argument
    predicate: Argument
    object: Argument | None
    negated: bool
    modality: str
    confidence: float
    arguments: tuple[Argument, ...] = ()
    context: Argument | None = None
    verbs: tuple[int, ...] = ()  # doc indices of the predicate's verbs, for event coding


# Dependency labels (spaCy's English ClearNLP scheme).
SUBJ_DEPS = frozenset({"nsubj", "nsubjpass", "csubj", "csubjpass"})
PASSIVE_SUBJ_DEPS = frozenset({"nsubjpass", "csubjpass"})
CLAUSAL_SUBJ_DEPS = frozenset({"csubj", "csubjpass"})
#: Labels under which a verb heads a clause of its own.
CLAUSE_DEPS = frozenset({"ROOT", "conj", "ccomp", "advcl", "relcl", "acl", "xcomp", "parataxis"})
#: Verb-group words kept in a predicate: auxiliaries, negation, particles.
VERB_GROUP_DEPS = frozenset({"aux", "auxpass", "neg", "prt"})
PASSIVE_AUX_DEPS = frozenset({"aux", "auxpass"})
COMPLEMENT_DEPS = frozenset({"attr", "acomp", "oprd"})
PREP_DEPS = frozenset({"prep", "agent", "dative"})
PREP_OBJECT_DEPS = frozenset({"pobj", "pcomp"})
#: Words dropped from an argument's edges ("that Russia ...", "Belarus and").
EDGE_DEPS = frozenset({"punct", "cc", "mark", "preconj", "case"})
#: Determiners dropped when a complement noun moves into the predicate.
DETERMINER_DEPS = frozenset({"det", "predet", "poss"})
#: Left modifiers that a bare later conjunct may share ("Russian oil and gas").
SHARED_MODIFIER_DEPS = frozenset({"amod", "compound", "nmod", "nummod", "poss"})

VERB_POS = frozenset({"VERB", "AUX"})
NOMINAL_POS = frozenset({"NOUN", "PROPN", "PRON", "NUM"})
RELATIVE_TAGS = frozenset({"WDT", "WP"})
RELATIVE_WORDS = frozenset({"that", "which", "who", "whom"})
POSSESSIVE_PRONOUN_TAGS = frozenset({"PRP$", "WP$"})
NONFINITE_TAGS = frozenset({"VBG", "VBN", "VB"})

#: Coordinators whose conjuncts each make a relation of their own.
SPLIT_COORDINATORS = frozenset({"and", "or", "nor", "&"})
#: Prepositions whose conjoined objects form one argument ("between Poland and Belarus").
COLLECTIVE_PREPS = frozenset({"between", "among", "amongst"})
#: Prepositions that a time or location role fully expresses ("in 2021" -> time "2021").
BARE_ROLE_PREPS = frozenset({"in", "on", "at"})
LOCATIVE_PREPS = frozenset(
    {"in", "at", "on", "near", "inside", "outside", "within", "across", "throughout", "along"}
)
TIME_LABELS = frozenset({"DATE", "TIME"})
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
#: Punctuation that sets off an apposition.
APPOSITION_MARKS = frozenset({",", "(", "-", "--", "\u2013", "\u2014"})
#: Prepositions that introduce a source rather than an argument ("according to X").
ATTRIBUTION_PREPS = frozenset({"according"})
#: Verbs of saying and believing whose complement clause is reported speech.
SPEECH_LEMMAS = frozenset(
    {
        "say", "tell", "claim", "state", "argue", "add", "note", "insist", "warn", "announce",
        "report", "believe", "think", "write", "suggest", "explain", "assert", "contend",
        "maintain", "acknowledge", "admit", "deny", "stress", "emphasize", "emphasise",
        "declare", "reply", "respond", "complain", "allege", "confirm", "reveal", "predict",
        "observe", "remark", "concede", "recall", "estimate", "testify", "point",
    }
)  # fmt: skip

#: Contracted auxiliaries written out in a predicate ("it's risky" -> "is"), by form and lemma.
CONTRACTED_FORMS = {
    ("'s", "be"): "is",
    ("'s", "have"): "has",
    ("'re", "be"): "are",
    ("'m", "be"): "am",
    ("'ve", "have"): "have",
    ("'ll", "will"): "will",
    ("'d", "would"): "would",
    ("'d", "have"): "had",
}
#: Participles after which "'s" is "has" ("it's been"), not "is" ("it's signed").
PERFECT_AFTER_S = frozenset({"been", "got", "gotten"})

# Confidence = a prior per construction x factors for parse risk.  The priors
# order constructions by how often a dependency parse gets them right and how
# directly they state a claim; the factors lower relations from long sentences
# (more attachment errors), long subjects (likely mis-bracketed), pronoun
# subjects (the actor is left unresolved) and reported speech (the claim is the
# speaker's rather than the text's).
CLAUSE_PRIOR = {
    "own": 0.90,  # the clause's own nominal subject
    "shared": 0.85,  # conjoined verb sharing its subject
    "relative": 0.75,  # relative pronoun resolved to its antecedent
    "clausal": 0.65,  # clausal subject
    "modifier": 0.60,  # participial or reduced relative modifying a noun
    "existential": 0.55,  # "there is X in Y"
    "controlled": 0.55,  # subjectless adverbial clause, object-controlled complement
}
OBJECT_FACTOR = {
    "direct": 1.0,
    "prepositional": 1.0,
    "clausal": 1.0,
    "complement": 0.92,
    "none": 0.80,
    "logical": 0.70,  # passive with its "by"-phrase as subject: "by" also marks means
}
APPOSITION_PRIOR = 0.60
#: Open IE: a clause inside a complement or adverbial clause states its claim less
#: directly (and is parsed less reliably) than a main clause.
SUBORDINATE_DEPS = frozenset({"ccomp", "advcl"})
SUBORDINATE_FACTOR = 0.70
#: Open IE: an object-controlled complement ("urged Bob to sell") is often a purpose clause
#: misread ("beat the champions to win the cup"); on CaRB dev it matches rarely.
CONTROLLED_FACTOR = 0.50
#: Facts a noun phrase implies: "Minsk's airport" (has), and a clause restated for the
#: apposition of its subject. Ranked below every stated relation.
POSSESSIVE_PRIOR = 0.30
#: Open IE: a title before a name ("President Lukashenko" -> is) renames it as an apposition
#: does and ranks with appositions; an honorific ("Mr.", "Dr.") is no title.
TITLE_PRIOR = APPOSITION_PRIOR
HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr", "sir", "dame", "lady", "lord",
                        "lords", "st", "saint", "father", "rev", "madam", "mister", "messrs"})
RESTATED_FACTOR = 0.80
#: Open IE: a direct object of at most this many words folds into a light-verb predicate.
LIGHT_OBJECT_WORDS = 4
#: Verbs whose object noun carries the meaning ("take an interest in", "make a profit on").
LIGHT_VERBS = frozenset({"make", "take", "give", "have", "hold", "pay", "do", "put", "file",
                         "raise", "launch", "reach", "conduct", "draw", "lodge", "cast", "get"})
SHORT_SENTENCE = 15  # tokens; each token beyond costs SENTENCE_DECAY, down to SENTENCE_FLOOR
SENTENCE_DECAY = 0.01
SENTENCE_FLOOR = 0.60
LONG_SUBJECT = 8  # tokens; each token beyond costs SUBJECT_DECAY
SUBJECT_DECAY = 0.03
#: Open IE: a long subject costs less; CaRB's gold keeps long subjects whole, so a long
#: subject that matches in part still scores.
OPEN_IE_SUBJECT_DECAY = 0.02
PRONOUN_FACTOR = 0.90
REPORTED_FACTOR = 0.80
MIN_CONFIDENCE = 0.05
CROWD = 3  # Open IE: relations of a sentence before its confidences start to fall
CROWD_DECAY = 0.8

_Arg = tuple[int, int, int]  # head, first and last token of a phrase (sentence-local)


@dataclass(slots=True)
class _Parse:
    """A sentence read once: labels, offsets, heads and child lists, in sentence-local
    indices, with per-sentence memos of clause subjects, clause heads and contexts."""

    sent: Span
    text: str  # sent.text, starting at character `offset` of doc.text
    offset: int
    doc: Doc
    n: int  # tokens
    base: int
    dep: list[str]
    head: list[int]
    pos: list[str]
    tag: list[str]
    lower: list[str]
    lemma: list[str]
    ent_type: list[str]
    idx: list[int]  # character offsets into doc.text, lengths and trailing spaces
    length: list[int]
    space: list[int]
    kids: list[list[int]]
    left: list[int]  # subtree edges, clipped to the span
    right: list[int]
    closed: bool  # no head or subtree crosses the span's edges
    with_actors: bool
    open_ie: bool = False
    entities: list[tuple[int, int, Span]] | None = None
    subjects: dict[int, tuple[list[_Arg], bool, str]] = field(default_factory=dict)
    clause_of: dict[int, int] = field(default_factory=dict)
    ends: dict[int, int] = field(default_factory=dict)
    contexts: dict[int, Argument | None] = field(default_factory=dict)


def relations(sent: Span, ents: Sequence[Span] | None = None, *, open_ie: bool = False,
              reading: DocReading | None = None) -> Iterator[Relation]:
    """All relations of one sentence span, in the order of their predicates' heads.

    `ents` is the sentence's slice of doc.ents when the caller has it: sent.ents rebuilds
    every entity span of the Doc on each call.

    `open_ie` follows the conventions of Open IE benchmarks (CaRB) instead of an
    analyst's: a passive clause keeps its grammatical subject ("It; was regained by;
    Syria"), pronoun subjects are resolved in the sentence, predicates keep adverbs,
    light-verb objects and a "be" before participles, appositions restate their clause,
    the facts that noun phrases imply are stated too, ranked below every stated
    relation (see `_implied_relations`), and a crowded sentence ranks its later
    relations lower (README: "Open IE's conventions").

    `reading` is `read_doc(sent.doc)` when the caller reads many sentences of one Doc;
    without it the whole Doc is read for this sentence.
    """
    p = _read(sent, reading if reading is not None else read_doc(sent.doc))
    if ents is not None:
        p.entities = [(e.start - p.base, e.end - p.base, e) for e in ents]
    p.open_ie = open_ie
    found = _sentence_relations(p)
    yield from _crowding(found) if open_ie else found


def _sentence_relations(p: _Parse) -> Iterator[Relation]:
    for i in range(p.n):
        if _is_clause_head(p, i):
            yield from _clause_relations(p, i)
        elif p.dep[i] == "appos" and _is_apposition(p, i):
            yield from _apposition_relations(p, i)
        if p.open_ie:
            yield from _implied_relations(p, i)


def _crowding(found: Iterable[Relation]) -> list[Relation]:
    """A sentence states a few facts: beyond the first CROWD relations by confidence,
    each further one is less likely to be one of them, and its confidence falls."""
    rels = list(found)
    order = sorted(range(len(rels)), key=lambda i: -rels[i].confidence)
    for rank, i in enumerate(order):
        if rank >= CROWD:
            factor = CROWD_DECAY ** (rank - CROWD + 1)
            rels[i] = replace(rels[i], confidence=round(rels[i].confidence * factor, 4))
    return rels


@dataclass(frozen=True, slots=True)
class DocReading:
    """A Doc's parse read once into plain lists (doc indices), for all its sentences.

    The subtree edges come from the heads, in numpy (the fixpoint that spaCy stores as
    left_edge/right_edge, which cost a Token each to read)."""

    doc: Doc
    text: str
    head: list[int]
    dep: list[str]
    pos: list[str]
    tag: list[str]
    lower: list[str]
    lemma: list[str]
    ent_type: list[str]
    idx: list[int]
    length: list[int]
    space: list[int]
    left: list[int]
    right: list[int]


def read_doc(doc: Doc) -> DocReading:
    """Read a Doc's parse once for all its sentences (pass it to `relations` as `reading`)."""
    tokens = list(doc)
    n = len(tokens)
    if not n:
        return DocReading(doc, "", *([] for _ in fields(DocReading)[2:]))
    columns = doc.to_array([HEAD, IDX, LENGTH, SPACY]).astype(numpy.int64)
    head = numpy.arange(n) + columns[:, 0]
    left, right = numpy.arange(n), numpy.arange(n)
    while True:  # carry each token's edges to its head until they settle (tree depth)
        new_left, new_right = left.copy(), right.copy()
        numpy.minimum.at(new_left, head, left)
        numpy.maximum.at(new_right, head, right)
        if numpy.array_equal(new_left, left) and numpy.array_equal(new_right, right):
            break
        left, right = new_left, new_right
    return DocReading(
        doc,
        "".join([t.text_with_ws for t in tokens]),
        head.tolist(),
        [t.dep_ for t in tokens],
        [t.pos_ for t in tokens],
        [t.tag_ for t in tokens],
        [t.lower_ for t in tokens],
        [t.lemma_ for t in tokens],
        [t.ent_type_ for t in tokens],
        columns[:, 1].tolist(),
        columns[:, 2].tolist(),
        columns[:, 3].tolist(),
        left.tolist(),
        right.tolist(),
    )


def _read(sent: Span, reading: DocReading) -> _Parse:
    """A sentence's slice of its Doc's reading, in sentence-local indices.

    The span may be a trimmed sentence (a list bullet left out) whose parse reaches
    beyond it: a head outside the span makes a token a root, and subtree edges are
    clipped to the span.
    """
    base, end = sent.start, sent.end
    n = end - base
    head = [h - base if base <= h < end else i
            for i, h in enumerate(reading.head[base:end])]
    kids: list[list[int]] = [[] for _ in range(n)]
    for i, h in enumerate(head):
        if h != i:
            kids[h].append(i)
    left, right = reading.left[base:end], reading.right[base:end]
    # Closed: no subtree crosses the span's edges, so its child lists are the tokens' whole
    # ones.
    closed = n > 0 and min(left) >= base and max(right) < end
    last = n - 1
    return _Parse(
        sent=sent,
        doc=reading.doc,
        text=reading.text,
        offset=0,
        n=n,
        base=base,
        dep=reading.dep[base:end],
        head=head,
        pos=reading.pos[base:end],
        tag=reading.tag[base:end],
        lower=reading.lower[base:end],
        lemma=reading.lemma[base:end],
        ent_type=reading.ent_type[base:end],
        idx=reading.idx[base:end],
        length=reading.length[base:end],
        space=reading.space[base:end],
        kids=kids,
        left=[max(e - base, 0) for e in left],
        right=[min(e - base, last) for e in right],
        closed=closed,
        with_actors=Span.has_extension("actor"),
    )


def _token(p: _Parse, i: int) -> Token:
    return p.doc[p.base + i]


def _children(p: _Parse) -> Children:
    """Token.children for the modality of p's clauses: from p's child lists when they
    are whole (Token.children scans a token's whole subtree on every call)."""
    if not p.closed:
        return lambda tok: tok.children
    doc, base, kids = p.doc, p.base, p.kids

    def children(tok: Token) -> Iterable[Token]:
        i = tok.i - base
        return [doc[base + k] for k in kids[i]] if 0 <= i < p.n else tok.children

    return children


# ---------------------------------------------------------------- clauses


def _is_clause_head(p: _Parse, i: int) -> bool:
    """True for a verb that heads a clause of its own (not one folded into another's predicate)."""
    if p.pos[i] not in VERB_POS or p.dep[i] not in CLAUSE_DEPS:
        return False
    dep, h = p.dep[i], p.head[i]
    if dep == "conj":
        return p.pos[h] in VERB_POS
    if dep == "xcomp":
        return _folded_xcomp(p, h) != i
    if _is_parenthetical_speech(p, i):
        return False
    return True


def _folded_xcomp(p: _Parse, v: int) -> int:
    """The open complement folded into v's predicate ("wants to join"), or -1.

    Only a subjectless complement of a verb or adjective without a direct object
    is folded; with an object it is that object's predicate ("forced Minsk to pay").
    """
    kids = p.kids[v]
    if any(p.dep[k] == "dobj" for k in kids):
        return -1
    for k in kids:
        if p.dep[k] == "xcomp" and k > v and p.pos[k] in VERB_POS and not _has_subject(p, k):
            return k
    return -1


def _has_subject(p: _Parse, v: int) -> bool:
    return any(p.dep[k] in SUBJ_DEPS or p.dep[k] == "expl" for k in p.kids[v])


def _chain(p: _Parse, v: int) -> list[int]:
    """v and the complements folded into its predicate: "needs to diversify",
    "is likely to join" (through the adjective)."""
    chain = [v]
    while True:
        last = chain[-1]
        x = _folded_xcomp(p, last)
        if x >= 0:
            chain.append(x)
            continue
        adj = next(
            (k for k in p.kids[last] if p.dep[k] == "acomp" and _folded_xcomp(p, k) >= 0), -1
        )
        if adj < 0:
            return chain
        chain += [adj, _folded_xcomp(p, adj)]


def _clause_relations(p: _Parse, v: int) -> Iterator[Relation]:
    """The relations of the clause headed by v: one per subject and object conjunct."""
    subjects, passive, how = _subjects(p, v)
    if not subjects:
        return
    chain = _chain(p, v)
    last = chain[-1]
    agent = _agent_object(p, chain) if passive else None
    if agent and p.open_ie:
        # Open IE keeps the passive: "It was regained by Syria" -> (It; was regained by; Syria).
        group = _verb_group(p, chain)
        extra, objects, used, kind, suffix = [agent[1]], agent[0], {agent[1]}, "prepositional", ""
    elif agent:
        # The logical subject leads: "The deal was signed by Minsk" -> (Minsk; signed; The deal).
        group = _verb_group(p, chain, drop=PASSIVE_AUX_DEPS)
        extra, objects, subjects, used, kind = [], subjects, agent[0], {agent[1]}, "logical"
        suffix = ""
    else:
        group = _verb_group(p, chain)
        extra, suffix, objects, used, kind = _objects(p, last)
    if p.open_ie and how == "controlled" and p.dep[v] == "xcomp":
        # Open IE reads an object-controlled complement into the governing verb's
        # predicate: "Ann urged Bob to sell the car" -> (Ann; urged Bob to sell; the car).
        h = p.head[v]
        governing = _subjects(p, h)[0]
        controller = next((k for k in p.kids[h] if p.dep[k] == "dobj"), -1)
        if not governing or controller < 0:
            return
        _, first, end = _phrase(p, controller)
        group = [*_verb_group(p, [h]), *range(first, end + 1), *group]
        subjects = governing
    arguments = tuple(_extra_arguments(p, chain, used))
    lead = ""
    if p.open_ie and how == "modifier":
        lead = _participle_copula(p, v)
    elif p.open_ie and how == "controlled" and p.dep[v] == "advcl" and p.tag[v] == "VBG":
        lead = _tensed(p, subjects[0][0])
    predicate = _predicate(p, group + extra, suffix, lead=lead)
    verb = _token(p, v)
    children = _children(p)
    negated, modality = is_negated(verb, children), clause_modality(verb, children)
    context = _context(p, v)
    prior = CLAUSE_PRIOR[how] * OBJECT_FACTOR[kind]
    if p.open_ie and _is_subordinate(p, v):
        prior *= SUBORDINATE_FACTOR
    if p.open_ie and how == "controlled" and p.dep[v] == "xcomp":
        prior *= CONTROLLED_FACTOR
    verbs = tuple(p.base + c for c in chain)
    for subj, factor in _stated_subjects(p, subjects, how):
        for obj in objects or [None]:
            yield Relation(
                subject=_argument(p, subj),
                predicate=predicate,
                object=_argument(p, obj) if obj else None,
                negated=negated,
                modality=modality,
                confidence=_confidence(p, prior * factor, subj, context),
                arguments=arguments,
                context=context,
                verbs=verbs,
            )


def _is_subordinate(p: _Parse, v: int) -> bool:
    """A complement or adverbial clause, or a conjunct of one: what the sentence states
    inside another clause ("They said that | prices rose", "When | prices rose, ...")."""
    while p.dep[v] == "conj" and p.head[v] != v:
        v = p.head[v]
    return p.dep[v] in SUBORDINATE_DEPS


def _is_complement_clause(p: _Parse, v: int) -> bool:
    """A complement clause, or a conjunct of one ("said | it would sell the plant")."""
    while p.dep[v] == "conj" and p.head[v] != v:
        v = p.head[v]
    return p.dep[v] == "ccomp"


def _participle_copula(p: _Parse, v: int) -> str:
    """Open IE states a participle modifying a noun as a clause: "a plan drafted in May"
    -> (a plan; was drafted in; May), "crews working at night" -> (crews; are working at;
    night)."""
    return _tensed(p, p.head[v]) if p.tag[v] in ("VBN", "VBG") else ""


#: Forms of "be" before a participle: (present singular, present plural, past singular,
#: past plural).
BE_FORMS = ("is", "are", "was", "were")


def _tensed(p: _Parse, noun: int) -> str:
    """A "be" agreeing with `noun` and with the tense of the sentence's main verb."""
    root = min(max(p.sent.root.i - p.base, 0), p.n - 1)
    past = p.tag[root] == "VBD" or any(p.tag[c] == "VBD" for c in p.kids[root])
    plural = p.tag[noun] in ("NNS", "NNPS")
    return BE_FORMS[2 * past + plural]


def _stated_subjects(p: _Parse, subjects: list[_Arg], how: str) -> Iterator[tuple[_Arg, float]]:
    """The clause's subjects with a confidence factor; in Open IE, pronouns resolved and
    each apposition of a subject restating the clause ("X, the Y, did Z" -> Y did Z)."""
    if not p.open_ie:
        yield from ((subj, 1.0) for subj in subjects)
        return
    for subj in subjects:
        reported = _is_complement_clause(p, p.head[subj[0]])
        yield _antecedent_of_pronoun(p, subj, reported=reported), 1.0
    if how in ("own", "shared"):
        for subj in subjects:
            for a in p.kids[subj[0]]:
                if p.dep[a] == "appos" and _is_apposition(p, a) and p.pos[a] == "PROPN":
                    yield _phrase(p, a), RESTATED_FACTOR


def _subjects(p: _Parse, v: int) -> tuple[list[_Arg], bool, str]:
    """Subjects of clause v (one per conjunct), whether they are its patient
    (passive), and how they were found; memoised per clause."""
    found = p.subjects.get(v)
    if found is None:
        found = p.subjects[v] = _find_subjects(p, v)
    return found


def _find_subjects(p: _Parse, v: int) -> tuple[list[_Arg], bool, str]:
    dep, h = p.dep[v], p.head[v]
    for k in p.kids[v]:
        if p.dep[k] in SUBJ_DEPS:
            passive = p.dep[k] in PASSIVE_SUBJ_DEPS
            if dep == "relcl" and _is_relative_word(p, k):
                return _antecedent(p, v), passive, "relative"
            if p.dep[k] in CLAUSAL_SUBJ_DEPS:
                return [_phrase(p, k)], passive, "clausal"
            return _conjunct_phrases(p, k), passive, "own"
        if p.dep[k] == "expl":
            return _existential_subject(p, v), False, "existential"
    if h == v:  # a root (in a trimmed span, a token whose head lies outside) inherits none
        return [], False, "controlled"
    participle = p.tag[v] == "VBN" and not any(p.dep[k] in PASSIVE_AUX_DEPS for k in p.kids[v])
    if dep == "conj" and p.pos[h] in VERB_POS:
        subjects, passive, _ = _subjects(p, h)
        return subjects, passive and participle, "shared"
    if dep == "xcomp":
        obj = next((k for k in p.kids[h] if p.dep[k] == "dobj"), -1)
        if obj >= 0:
            return _conjunct_phrases(p, obj), participle, "controlled"
    elif dep == "advcl" and p.pos[h] in VERB_POS:
        return _subjects(p, h)[0], participle, "controlled"
    elif dep in ("relcl", "acl") and p.pos[h] in NOMINAL_POS and not _is_infinitive(p, v):
        return [_phrase(p, h, cut=v)], participle, "modifier"
    return [], False, "controlled"


def _antecedent(p: _Parse, v: int) -> list[_Arg]:
    """What the relative pronoun of relative clause v stands for: the noun it
    modifies, or, when that noun is a predicate nominal ("Russia is a country
    that ..."), the copula's subject."""
    h = p.head[v]
    if p.dep[h] == "attr" and p.pos[p.head[h]] in VERB_POS:
        subjects, _, how = _subjects(p, p.head[h])
        if how == "own":
            return subjects
    return [_phrase(p, h, cut=v)]


def _existential_subject(p: _Parse, v: int) -> list[_Arg]:
    """ "There is a base near Minsk": the attribute, up to its first right modifier."""
    attr = next((k for k in p.kids[v] if p.dep[k] == "attr"), -1)
    if attr < 0:
        return []
    prep = next((k for k in p.kids[attr] if k > attr and p.dep[k] == "prep"), -1)
    return [_phrase(p, attr, cut=prep)]


def _agent_object(p: _Parse, chain: list[int]) -> tuple[list[_Arg], int] | None:
    """The phrases of a passive clause's "by"-agent, and the agent token."""
    for v in chain:
        for k in p.kids[v]:
            if p.dep[k] == "agent":
                objects = _prep_objects(p, k)
                if objects:
                    return objects, k
    return None


def _objects(p: _Parse, v: int) -> tuple[list[int], str, list[_Arg], set[int], str]:
    """What the predicate ending in v is about: (tokens added to the predicate,
    a word appended to it, object phrases, children consumed, kind)."""
    kids = p.kids[v]
    if any(p.dep[k] == "expl" for k in kids):
        # "There is a base near Minsk": the attribute is the subject, its phrase the object.
        v = next((k for k in kids if p.dep[k] == "attr"), v)
        kids = p.kids[v]
    for k in kids:
        if p.dep[k] == "dobj":
            if p.dep[v] == "relcl" and _is_relative_word(p, k):
                return [], "", _antecedent(p, v), {k}, "direct"
            light = _light_object(p, k) if p.open_ie and p.lemma[v] in LIGHT_VERBS else None
            if light:
                return light[0], "", light[1], {k}, "direct"
            return [], "", _conjunct_phrases(p, k), {k}, "direct"
    for k in kids:
        if p.dep[k] in COMPLEMENT_DEPS:
            extra, suffix, objects = _complement(p, k)
            return extra, suffix, objects, {k}, "complement"
    for k in kids:
        if p.dep[k] == "ccomp":
            if not p.open_ie:
                return [], "", [_phrase(p, k)], {k}, "clausal"
            # Open IE: "indicated that | X | ...": the complementiser joins the predicate.
            marks = [c for c in p.kids[k] if p.dep[c] == "mark" and p.lower[c] == "that"]
            return marks, "", [_subtree(p, k)], {k}, "clausal"
    for k in kids:
        if k > v and p.dep[k] in ("prep", "dative") and _is_complement_prep(p, k):
            objects = _prep_objects(p, k)
            if objects:
                return _preposition(p, k), "", objects, {k}, "prepositional"
    if p.open_ie:
        # "finished ahead of her rivals", "lives close to the port": an adverb's
        # prepositional phrase completes the predicate.
        for k in kids:
            if k > v and p.dep[k] == "advmod":
                prep = next((c for c in p.kids[k] if p.dep[c] == "prep"), -1)
                objects = _prep_objects(p, prep) if prep >= 0 else []
                if objects:
                    return [k, *_preposition(p, prep)], "", objects, {k}, "prepositional"
    return [], "", [], set(), "none"


def _light_object(p: _Parse, k: int) -> tuple[list[int], list[_Arg]] | None:
    """Open IE's light-verb reading: a short direct object with a prepositional phrase
    joins the predicate, and the phrase's object is the object ("made a profit on X",
    "filed charges against X"); None when the object does not read so."""
    preps = [c for c in p.kids[k] if c > k and p.dep[c] == "prep"]
    if not preps or any(p.dep[c] in ("conj", "relcl", "acl", "appos") for c in p.kids[k]):
        return None
    prep = preps[0]
    first = p.left[k]
    if prep - first > LIGHT_OBJECT_WORDS or p.ent_type[k]:
        return None
    objects = _prep_objects(p, prep)
    if not objects:
        return None
    return [*range(first, prep), *_preposition(p, prep)], objects


def _is_complement_prep(p: _Parse, k: int) -> bool:
    """A prepositional phrase that can complete a predicate: not a source
    ("according to X") and not a time ("in 2021"), which stay adjuncts."""
    if p.lower[k] in ATTRIBUTION_PREPS:
        return False
    if p.open_ie:  # Open IE reads "occurred on May 26" as a predicate and its object
        return True
    return not any(p.dep[c] == "pobj" and p.ent_type[c] in TIME_LABELS for c in p.kids[k])


def _complement(p: _Parse, k: int) -> tuple[list[int], str, list[_Arg]]:
    """Predicate words, appended word and objects of a copular complement.

    "is Belarus's largest trading partner" and "is the largest trading partner of
    Belarus" both give predicate "is largest trading partner of" and object
    "Belarus"; "is dependent on Russia" gives "is dependent on" and "Russia".
    """
    right = [c for c in p.kids[k] if c > k and p.dep[c] not in ("punct", "relcl")]
    if p.pos[k] in ("NOUN", "PROPN") and not p.open_ie:
        poss = next((c for c in p.kids[k] if c < k and p.dep[c] == "poss"), -1)
        if poss >= 0 and p.tag[poss] not in POSSESSIVE_PRONOUN_TAGS and not right:
            return _noun_words(p, k), "of", [_phrase(p, poss)]
        if len(right) == 1 and p.lower[right[0]] == "of" and p.dep[right[0]] == "prep":
            objects = _prep_objects(p, right[0])
            if objects:
                return _noun_words(p, k) + [right[0]], "", objects
    if p.pos[k] == "ADJ" and right and p.dep[right[0]] == "prep":
        objects = _prep_objects(p, right[0])
        if objects:
            return [k, *_preposition(p, right[0])], "", objects
    return [], "", _conjunct_phrases(p, k)


def _noun_words(p: _Parse, k: int) -> list[int]:
    """A complement noun with its modifiers but without determiners and possessor."""
    words: list[int] = []
    for c in p.kids[k]:
        if c < k and p.dep[c] not in DETERMINER_DEPS:
            words += range(p.left[c], p.right[c] + 1)
    return [*words, k]


def _preposition(p: _Parse, k: int) -> list[int]:
    """A preposition with its second word when it has one ("out of", "due to")."""
    inner = [c for c in p.kids[k] if p.dep[c] == "prep"]
    if len(inner) == 1 and not any(p.dep[c] in PREP_OBJECT_DEPS for c in p.kids[k]):
        return [k, inner[0]]
    return [k]


def _prep_objects(p: _Parse, k: int) -> list[_Arg]:
    """The object phrases of preposition k (one per conjunct, unless collective)."""
    for c in p.kids[k]:
        if p.dep[c] == "pobj":
            if p.lower[k] in COLLECTIVE_PREPS:
                return [_phrase(p, c)]
            return _conjunct_phrases(p, c)
        if p.dep[c] == "pcomp":
            return [_phrase(p, c)]
    inner = [c for c in p.kids[k] if p.dep[c] == "prep"]
    return _prep_objects(p, inner[0]) if len(inner) == 1 else []


def _extra_arguments(p: _Parse, chain: list[int], used: set[int]) -> Iterator[Argument]:
    """Prepositional phrases, datives and time expressions of the predicate's
    verbs that are not its object, with their role."""
    for v in chain:
        for k in p.kids[v]:
            if k in used:
                continue
            dep = p.dep[k]
            if dep in PREP_DEPS and p.lower[k] not in ATTRIBUTION_PREPS:
                yield from _prep_argument(p, k)
            elif dep == "npadvmod" and p.ent_type[k] in TIME_LABELS:
                yield _argument(p, _phrase(p, k), "time")
            elif p.open_ie and dep == "ccomp" and k > v and not _is_parenthetical_speech(p, k):
                # "told the staff that the office would close": the reported clause after
                # an object is an argument of its own.
                yield _argument(p, _subtree(p, k), "argument")


def _prep_argument(p: _Parse, k: int) -> Iterator[Argument]:
    obj = next((c for c in p.kids[k] if p.dep[c] in PREP_OBJECT_DEPS), -1)
    if obj < 0:
        if p.dep[k] == "dative":
            yield _argument(p, _phrase(p, k), "argument")
        return
    label = p.ent_type[obj]
    if label in TIME_LABELS:
        role = "time"
    elif label in PLACE_LABELS and p.lower[k] in LOCATIVE_PREPS:
        role = "location"
    else:
        role = "argument"
    bare = role != "argument" and p.lower[k] in BARE_ROLE_PREPS and not p.open_ie
    v = p.head[k]
    if p.open_ie and p.dep[v] == "relcl" and p.tag[obj] in RELATIVE_TAGS and p.right[obj] == obj:
        # "the town in which the poet was born": the relative pronoun stands for its
        # antecedent -> (the poet; was born; the town).
        yield _argument(p, _antecedent(p, v)[0], role)
        return
    yield _argument(p, _phrase(p, obj if bare else k), role)


# ---------------------------------------------------------------- appositions


def _is_apposition(p: _Parse, a: int) -> bool:
    """A set-off noun phrase that renames its head ("Lukashenko, the president of
    Belarus"); not a list ("A, B, and C"), an enumeration after a colon, an
    emphatic pronoun ("Jagan himself"), an acronym in brackets ("(CSTO)"), a date,
    or a place in its region ("Minsk, Belarus")."""
    n = p.head[a]
    if p.pos[a] not in ("NOUN", "PROPN") or p.pos[n] not in NOMINAL_POS or p.dep[n] == "ROOT":
        return False
    first = p.left[a]
    if p.open_ie and first > 1 and p.tag[first - 1] == "''" and p.lower[first - 2] == ",":
        # Open IE: a comma inside the quotes of a quoted name ('"Nightline," the show')
        # still sets off the apposition after it.
        first -= 1
    if first == 0 or p.lower[first - 1] not in APPOSITION_MARKS:
        return False
    if p.lower[first - 1] == "(" and _phrase_end(p, a) == first == a and _token(p, a).is_upper:
        return False
    if (not p.open_ie and any(p.dep[c] in ("cc", "conj") for c in p.kids[a])) or any(
        p.dep[c] == "cc" for c in p.kids[n]
    ):
        return False
    labels = (p.ent_type[n], p.ent_type[a])
    return not (labels[0] in TIME_LABELS or labels[0] == labels[1] == "GPE")


def _apposition_relations(p: _Parse, a: int) -> Iterator[Relation]:
    """ "X, the Y of Z" -> (X; is Y of; Z)."""
    n = p.head[a]
    subject = _phrase(p, n, cut=a)
    # Open IE: one tuple per conjunct ("X, the founder and director" -> is founder, is director).
    extra, suffix, objects = (_complement(p, a) if not p.open_ie
                              else ([], "", _conjunct_phrases(p, a)))
    if extra:
        predicate = _predicate(p, extra, suffix, lead="is")
    else:
        first = p.left[a]
        at = first - 1 if first > 0 and p.pos[first - 1] == "PUNCT" else first
        be = "are" if p.open_ie and p.tag[n] in ("NNS", "NNPS") else "is"
        predicate = _synthetic_predicate(p, at, be)
    context = _context(p, _clause_of(p, n))
    confidence = _confidence(p, APPOSITION_PRIOR, subject, context)
    for obj in objects:
        yield _fact(p, subject, predicate, obj, confidence, context)


# ---------------------------------------------------------------- pronouns

PERSONAL_PRONOUNS = {"he": "person", "she": "person", "it": "thing", "they": "plural"}
#: Where an antecedent is looked for once no earlier subject agrees: an earlier object.
OBJECT_DEPS = frozenset({"dobj"})


def _antecedent_of_pronoun(p: _Parse, subj: _Arg, *, reported: bool = False) -> _Arg:
    """Open IE states who did it: a personal pronoun subject stands for the nearest
    earlier subject of the sentence that agrees with it (a person for "he"/"she", a
    plural for "they"), else the nearest earlier direct object that does, else the
    pronoun's first mention as a subject ("He ... and he"); without one it stays.

    In a `reported` clause the pronoun is the speaker's own word and is only carried
    back to its first mention ("Smith said he left" keeps "he")."""
    head, first, last = subj
    kind = PERSONAL_PRONOUNS.get(p.lower[head]) if first == last else None
    if kind is None:
        return subj
    for deps in () if reported else (SUBJ_DEPS, OBJECT_DEPS):
        for j in range(head - 1, -1, -1):
            if p.dep[j] not in deps or p.pos[j] not in ("NOUN", "PROPN"):
                continue
            person = p.ent_type[j] == "PERSON"
            plural = p.tag[j] in ("NNS", "NNPS") or any(p.dep[c] == "conj" for c in p.kids[j])
            if (kind == "person") == person and (kind == "plural") == plural:
                return _phrase(p, j)
    mention = next((j for j in range(head) if p.lower[j] == p.lower[head]
                    and p.dep[j] in SUBJ_DEPS), head)
    return mention, mention, mention


# ---------------------------------------------------------------- implied by noun phrases


def _implied_relations(p: _Parse, i: int) -> Iterator[Relation]:
    """Open IE's implied facts at token i: a possessor has what it possesses, a title
    before a name says what the named one is."""
    if p.dep[i] == "poss" and _is_possessor(p, i):
        yield _possessive_relation(p, i)
    if p.pos[i] == "PROPN" and p.dep[i] != "compound":
        yield from _title_relations(p, i)
    if p.dep[i] == "prep" and p.pos[p.head[i]] in ("NOUN", "PROPN"):
        yield from _modifier_relations(p, i)
    if p.dep[i] == "appos" and _is_place_in_region(p, i):
        yield _region_relation(p, i)


def _is_place_in_region(p: _Parse, a: int) -> bool:
    """ "Minsk, Belarus": a place set off by a comma after another place."""
    n = p.head[a]
    first = p.left[a]
    return (p.ent_type[n] == p.ent_type[a] == "GPE" and n < a and first > 0
            and p.lower[first - 1] == ",")


def _fact(p: _Parse, subject: _Arg, predicate: Argument, obj: _Arg, confidence: float,
          context: Argument | None) -> Relation:
    """An asserted, unnegated relation: how appositions and implied facts are stated."""
    return Relation(subject=_argument(p, subject), predicate=predicate,
                    object=_argument(p, obj), negated=False, modality="asserted",
                    confidence=confidence, context=context)


def _region_relation(p: _Parse, a: int) -> Relation:
    """ "Minsk, Belarus" -> (Minsk; is in; Belarus), ranked with the implied facts."""
    n = p.head[a]
    place = _phrase(p, n, cut=a)
    context = _context(p, _clause_of(p, n))
    comma = p.left[a] - 1
    return _fact(p, place, _synthetic_predicate(p, comma, "is in"), _phrase(p, a),
                 _implied_confidence(p, MODIFIER_PRIOR, place, context), context)


#: Prepositions whose phrase after a noun states a fact about it ("the plant in Ohio" ->
#: (the plant; is in; Ohio), "crops such as rice" -> (crops; are such as; rice)).
MODIFIER_PREPS = frozenset({"in", "as", "from", "at", "near"})
MODIFIER_PRIOR = 0.30


def _modifier_relations(p: _Parse, k: int) -> Iterator[Relation]:
    """ "the plant in Ohio" -> (the plant; is in; Ohio): a noun's prepositional modifier,
    with a present "be" agreeing with the noun; one relation per conjoined object. Implied,
    except the examples after "such as", which the sentence states."""
    if p.lower[k] not in MODIFIER_PREPS:
        return
    n = p.head[k]
    words = [k]
    if p.lower[k] == "as":
        such = [c for c in p.kids[k] if c < k and p.lower[c] == "such"]
        if not such:
            return
        words = [such[0], k]
    objects = _prep_objects(p, k)
    if not objects:
        return
    subject = _phrase(p, n, cut=k)
    if subject[2] >= k:
        subject = (n, subject[1], k - 1 if words[0] == k else words[0] - 1)
    be = "are" if p.tag[n] in ("NNS", "NNPS") else "is"
    text = " ".join([be, *(p.lower[w] for w in words)])
    predicate = Argument(text, p.idx[words[0]], p.idx[k] + p.length[k])
    context = _context(p, _clause_of(p, n))
    # "such as" states its examples outright, as an apposition renames: ranked with them.
    confidence = (_confidence(p, APPOSITION_PRIOR, subject, context) if len(words) == 2
                  else _implied_confidence(p, MODIFIER_PRIOR, subject, context))
    for obj in objects:
        yield _fact(p, subject, predicate, obj, confidence, context)


def _is_possessor(p: _Parse, i: int) -> bool:
    """A named or nominal possessor ("Russia's army"), not a pronoun ("its army")."""
    return p.tag[i] not in POSSESSIVE_PRONOUN_TAGS and p.pos[i] in ("NOUN", "PROPN") and (
        p.pos[p.head[i]] in ("NOUN", "PROPN"))


def _possessive_relation(p: _Parse, i: int) -> Relation:
    """ "Russia's largest bank" -> (Russia; has; largest bank)."""
    n = p.head[i]
    possessor = _phrase(p, i)
    first = p.right[i] + 1
    while first < n and (p.dep[first] in EDGE_DEPS or p.pos[first] == "PUNCT"):
        first += 1
    owned = (n, first, _phrase_end(p, n))
    context = _context(p, _clause_of(p, n))
    return _fact(p, possessor, _synthetic_predicate(p, p.right[i], "has"), owned,
                 _implied_confidence(p, POSSESSIVE_PRIOR, possessor, context), context)


def _title_relations(p: _Parse, n: int) -> Iterator[Relation]:
    """ "Undercover agent Smith", "President Lukashenko": the common-noun words before a
    name state what the named one is -> (Smith; is; Undercover agent)."""
    if not _token(p, n).ent_iob_ or p.ent_type[n] not in ("PERSON", "ORG", "GPE", "NORP", "FAC"):
        return
    start = n
    while start > 0 and _token(p, start).ent_iob_ == "I":
        start -= 1
    title = [c for c in p.kids[n] if c < start and p.dep[c] in ("compound", "amod", "nmod")
             and not p.ent_type[c]]
    if not title or not any(p.pos[c] == "NOUN" or _token(p, c).is_title for c in title):
        return
    first = min(p.left[c] for c in title)
    last = start - 1
    while first < last and (p.dep[first] in EDGE_DEPS or p.pos[first] == "PUNCT"
                            or p.dep[first] == "det"):
        first += 1
    if p.pos[last] not in ("NOUN", "PROPN"):
        return
    if any(p.lower[w].rstrip(".") in HONORIFICS for w in range(first, last + 1)):
        return
    name = (n, start, n)
    context = _context(p, _clause_of(p, n))
    yield _fact(p, name, _synthetic_predicate(p, last, "is"), (last, first, last),
                _confidence(p, TITLE_PRIOR, name, context), context)


# ---------------------------------------------------------------- context


def _clause_of(p: _Parse, i: int) -> int:
    """The clause head that token i belongs to (memoised)."""
    path = []
    while i not in p.clause_of and not _is_clause_head(p, i) and p.head[i] != i:
        path.append(i)
        i = p.head[i]
    found = p.clause_of.get(i, i)
    for j in path:
        p.clause_of[j] = found
    return found


def _context(p: _Parse, v: int) -> Argument | None:
    """The attribution of clause v: "X said" when it is X's reported speech,
    "according to X", or the attribution of the clause it sits in."""
    if v in p.contexts:
        return p.contexts[v]
    found = None
    for k in p.kids[v]:
        if p.dep[k] == "prep" and p.lower[k] in ATTRIBUTION_PREPS:
            sources = _prep_objects(p, k)
            head = sources[0][0] if sources else k
            found = _argument(p, (head, *_extent(p, k)))
        elif _is_parenthetical_speech(p, k):
            found = _speaker(p, k)
    h = p.head[v]
    if found is None and h != v:
        if p.dep[v] == "ccomp" and p.pos[h] in VERB_POS and p.lemma[h] in SPEECH_LEMMAS:
            found = _speaker(p, h)
        else:
            found = _context(p, _clause_of(p, h))
    p.contexts[v] = found
    return found


def _is_parenthetical_speech(p: _Parse, k: int) -> bool:
    """ "..., Lukashenko said." attached below the clause it reports."""
    return (
        p.dep[k] in ("parataxis", "ccomp", "advcl")
        and k > p.head[k]
        and p.pos[k] == "VERB"
        and p.lemma[k] in SPEECH_LEMMAS
        and _has_subject(p, k)
        and not any(p.dep[c] in ("dobj", "ccomp", "xcomp") for c in p.kids[k])
    )


def _speaker(p: _Parse, s: int) -> Argument:
    """The speaker clause of speech verb s: its subject and verb group ("X has said")."""
    subj = next((k for k in p.kids[s] if p.dep[k] in SUBJ_DEPS), -1)
    group = [k for k in p.kids[s] if p.dep[k] in VERB_GROUP_DEPS] + [s]
    first, last = min(group), max(group)
    head = s
    if subj >= 0:
        head, s_first, s_last = _phrase(p, subj)
        first, last = min(first, s_first), max(last, s_last)
    return _argument(p, (head, first, last))


# ---------------------------------------------------------------- phrases


def _phrase(p: _Parse, i: int, *, cut: int = -1, split: bool = False) -> _Arg:
    """Token i's phrase: its subtree, ending before an apposition or a finite
    relative clause (each is a relation of its own), before token `cut`, and,
    when `split`, before its first conjunct."""
    return (i, *_extent(p, i, cut=cut, split=split))


def _extent(p: _Parse, i: int, *, cut: int = -1, split: bool = False) -> tuple[int, int]:
    first, last = p.left[i], i
    for c in p.kids[i]:
        if c < i:
            continue
        if c == cut or (split and p.dep[c] in ("cc", "conj")) or _is_aside(p, c):
            last = max(i, p.left[c] - 1)
            break
        last = _phrase_end(p, c)
    while first < last and (p.dep[first] in EDGE_DEPS or p.pos[first] == "PUNCT"):
        first += 1
    while last > first and (p.dep[last] in EDGE_DEPS or p.pos[last] == "PUNCT"):
        last -= 1
    return first, last


def _subtree(p: _Parse, i: int) -> _Arg:
    """Token i's whole subtree, asides included (Open IE's reported clauses), edges trimmed."""
    first, last = p.left[i], p.right[i]
    while first < last and (p.dep[first] in EDGE_DEPS or p.pos[first] == "PUNCT"):
        first += 1
    while last > first and (p.dep[last] in EDGE_DEPS or p.pos[last] == "PUNCT"):
        last -= 1
    return i, first, last


def _phrase_end(p: _Parse, i: int) -> int:
    """Last token of i's phrase: its subtree, stopping before the first aside on
    its right edge, at any depth (memoised, so each token is visited once)."""
    last = p.ends.get(i)
    if last is None:
        last = i
        for c in p.kids[i]:
            if c < i:
                continue
            if _is_aside(p, c):
                last = max(i, p.left[c] - 1)
                break
            last = _phrase_end(p, c)
        p.ends[i] = last
    return last


def _is_aside(p: _Parse, c: int) -> bool:
    """An apposition or a finite relative clause: a relation of its own, not part of a phrase."""
    return p.dep[c] == "appos" or (p.dep[c] == "relcl" and _is_finite(p, c))


def _conjunct_phrases(p: _Parse, i: int) -> list[_Arg]:
    """One phrase per conjunct of i ("Belarus and Russia"), or i's whole phrase
    when its conjuncts share a modifier ("Russian oil and gas")."""
    conjuncts = [i]
    for j in conjuncts:  # grows while iterating: conjunct chains
        conjuncts += [c for c in p.kids[j] if p.dep[c] == "conj" and p.pos[c] in NOMINAL_POS]
    if len(conjuncts) == 1 or not _splittable(p, conjuncts):
        return [_phrase(p, i)]
    phrases: list[_Arg] = []
    for head, first, last in (_phrase(p, c, split=True) for c in sorted(conjuncts)):
        if phrases and first == phrases[-1][2] + 1:
            # No comma or coordinator between them: one name parsed as two conjuncts
            # ("Russian President Vladimir Putin"); the later noun heads it.
            first = phrases.pop()[1]
        phrases.append((head, first, last))
    return phrases


def _splittable(p: _Parse, conjuncts: list[int]) -> bool:
    """Conjuncts stand alone unless the coordinator does not distribute or a bare
    later conjunct shares the first one's modifiers."""
    if p.open_ie and _one_name(p, min(conjuncts), max(conjuncts)):
        return False
    coordinators = [p.lower[c] for j in conjuncts for c in p.kids[j] if p.dep[c] == "cc"]
    if coordinators and not all(w in SPLIT_COORDINATORS for w in coordinators):
        return False
    first = conjuncts[0]
    if any(p.dep[c] in SHARED_MODIFIER_DEPS for c in p.kids[first] if c < first):
        return all(any(c < j for c in p.kids[j]) for j in conjuncts[1:])
    return True


def _one_name(p: _Parse, first: int, last: int) -> bool:
    """Tokens first..last lie inside one named entity ("the Bank of Oil and Gas")."""
    doc, base = p.doc, p.base
    return bool(p.ent_type[first]) and all(
        doc[base + j].ent_iob_ == "I" for j in range(first + 1, last + 1))


def _is_relative_word(p: _Parse, k: int) -> bool:
    return p.tag[k] in RELATIVE_TAGS or p.lower[k] in RELATIVE_WORDS


def _is_infinitive(p: _Parse, v: int) -> bool:
    return any(p.dep[k] == "aux" and p.lower[k] == "to" for k in p.kids[v])


def _is_finite(p: _Parse, v: int) -> bool:
    """A finite clause: its own tense or modal, or a relative word; not "to"- or -ing/-ed forms."""
    if _is_infinitive(p, v):
        return False
    if p.tag[v] not in NONFINITE_TAGS:
        return True
    return any(
        p.dep[k] in PASSIVE_AUX_DEPS or p.dep[k] in SUBJ_DEPS or _is_relative_word(p, k)
        for k in p.kids[v]
    )


# ---------------------------------------------------------------- output


def _verb_group(p: _Parse, chain: list[int], drop: frozenset[str] = frozenset()) -> list[int]:
    """The predicate's own words: each chain verb with its auxiliaries, negation and particles."""
    words = list(chain)
    for v in chain:
        words += [k for k in p.kids[v] if p.dep[k] in VERB_GROUP_DEPS and p.dep[k] not in drop]
        if p.open_ie:
            words += [k for k in p.kids[v] if _is_verb_adverb(p, k)]
    return words


def _is_verb_adverb(p: _Parse, k: int) -> bool:
    """Open IE keeps a plain adverb of the verb in the predicate ("also noted", "strictly
    maintain"); not a wh-word or a time expression, which are arguments."""
    return (p.dep[k] == "advmod" and p.tag[k] in ("RB", "RBR", "RBS") and p.right[k] == k
            and p.left[k] == k and not p.ent_type[k] and not _is_set_off(p, k))


def _is_set_off(p: _Parse, k: int) -> bool:
    """A sentence adverb ("However, ...", "..., though, ..."): before the clause's subject,
    or set off by punctuation; it comments on the clause rather than the verb."""
    if any(p.dep[c] in SUBJ_DEPS and c > k for c in p.kids[p.head[k]]):
        return True
    return (k > 0 and p.pos[k - 1] == "PUNCT") or (k + 1 < p.n and p.pos[k + 1] == "PUNCT")


def _predicate(p: _Parse, words: list[int], suffix: str = "", lead: str = "") -> Argument:
    """The normalised predicate: its words in sentence order, with a word put
    before ("is" of an apposition) or after ("of" of a possessor)."""
    words = sorted(set(words))
    parts = [lead] if lead else []
    prev = -2
    text, idx, length = p.text, p.idx, p.length
    for w in words:
        full = _full_form(p, w)
        if full:
            parts.append(full)
        elif prev == w - 1 and not p.space[prev] and parts:
            parts[-1] += text[idx[w] : idx[w] + length[w]]
        else:
            parts.append(text[idx[w] : idx[w] + length[w]])
        prev = w
    if suffix:
        parts.append(suffix)
    first, last = words[0], words[-1]
    return Argument(" ".join(parts), idx[first], idx[last] + length[last])


def _full_form(p: _Parse, w: int) -> str | None:
    """The written-out form of a contracted auxiliary, or None."""
    form = p.lower[w].replace("\u2019", "'")
    if not form.startswith("'"):
        return None
    if form == "'s" and w + 1 < p.n and p.lower[w + 1] in PERFECT_AFTER_S:
        return "has"
    return CONTRACTED_FORMS.get((form, p.lemma[w]))


def _synthetic_predicate(p: _Parse, at: int, text: str) -> Argument:
    """A predicate that the sentence leaves implicit, anchored on token `at`."""
    return Argument(text, p.idx[at], p.idx[at] + p.length[at])


def _argument(p: _Parse, arg: _Arg, role: str | None = None) -> Argument:
    head, first, last = arg
    start = p.idx[first]
    end = p.idx[last] + p.length[last]
    text = p.text[start - p.offset : end - p.offset]
    return Argument(text, start, end, _actor(p, head, first, last), role, p.base + head)


def _actor(p: _Parse, head: int, first: int, last: int) -> str | None:
    """ent._.actor of the entity holding the head, else of the first entity inside."""
    if not p.with_actors:
        return None
    if p.entities is None:
        p.entities = [(e.start - p.base, e.end - p.base, e) for e in p.sent.ents]
    inside = None
    for start, end, ent in p.entities:
        if start <= head < end:
            return ent._.actor
        if inside is None and start >= first and end - 1 <= last:
            inside = ent
    return inside._.actor if inside is not None else None


def _implied_confidence(p: _Parse, prior: float, subject: _Arg,
                        context: Argument | None = None) -> float:
    """An implied fact's confidence: its own ranking, scaled below every stated relation's."""
    return round(MIN_CONFIDENCE * _confidence(p, prior, subject, context), 4)


def _confidence(p: _Parse, prior: float, subject: _Arg, context: Argument | None = None) -> float:
    """The construction's prior times the parse-risk factors, in [MIN_CONFIDENCE, 1]."""
    head, first, last = subject
    score = prior * max(SENTENCE_FLOOR, 1 - SENTENCE_DECAY * max(0, p.n - SHORT_SENTENCE))
    decay = OPEN_IE_SUBJECT_DECAY if p.open_ie else SUBJECT_DECAY
    score -= decay * max(0, last - first + 1 - LONG_SUBJECT)
    if first == last and p.pos[head] == "PRON":
        score *= PRONOUN_FACTOR
    if context is not None:
        score *= REPORTED_FACTOR
    return round(max(MIN_CONFIDENCE, min(1.0, score)), 4)
