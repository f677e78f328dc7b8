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

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from spacy.tokens import Span, Token

from belnlp.nlp.extract.modality import clause_modality, is_negated


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
SHORT_SENTENCE = 15  # tokens; each token beyond costs SENTENCE_DECAY, down to SENTENCE_FLOOR
SENTENCE_DECAY = 0.01
SENTENCE_FLOOR = 0.60
LONG_SUBJECT = 8  # tokens; each token beyond costs SUBJECT_DECAY
SUBJECT_DECAY = 0.03
PRONOUN_FACTOR = 0.90
REPORTED_FACTOR = 0.80
MIN_CONFIDENCE = 0.05

_Arg = tuple[int, int, int]  # head, first and last token of a phrase (sentence-local)


@dataclass(slots=True)
class _Parse:
    """A sentence read once: tokens, labels, heads and child lists, in sentence-local
    indices, with per-sentence memos of clause subjects, clause heads and contexts."""

    sent: Span
    text: str  # sent.text, starting at character `offset` of doc.text
    offset: int
    tokens: list[Token]
    base: int
    dep: list[str]
    head: list[int]
    pos: list[str]
    tag: list[str]
    lower: list[str]
    kids: list[list[int]]
    left: list[int]  # subtree edges, clipped to the span
    right: list[int]
    with_actors: bool
    entities: list[tuple[int, int, Span]] | None = None
    subjects: dict[int, tuple[list[_Arg], bool, str]] = field(default_factory=dict)
    clause_of: dict[int, int] = field(default_factory=dict)
    ends: dict[int, int] = field(default_factory=dict)
    contexts: dict[int, Argument | None] = field(default_factory=dict)


def relations(sent: Span, ents: Sequence[Span] | None = None) -> Iterator[Relation]:
    """All relations of one sentence span, in the order of their predicates' heads.

    `ents` is the sentence's slice of doc.ents when the caller has it: sent.ents rebuilds
    every entity span of the Doc on each call.
    """
    p = _read(sent)
    if ents is not None:
        p.entities = [(e.start - p.base, e.end - p.base, e) for e in ents]
    for i in range(len(p.tokens)):
        if _is_clause_head(p, i):
            yield from _clause_relations(p, i)
        elif p.dep[i] == "appos" and _is_apposition(p, i):
            yield from _apposition_relations(p, i)


def _read(sent: Span) -> _Parse:
    """Read the labels and the child lists of a sentence in one pass.

    The span may be a trimmed sentence (a list bullet left out) whose parse reaches
    beyond it: a head outside the span makes a token a root, and subtree edges are
    clipped to the span.
    """
    tokens = list(sent)
    base, n = sent.start, len(tokens)
    head = [t.head.i - base if 0 <= t.head.i - base < n else i for i, t in enumerate(tokens)]
    kids: list[list[int]] = [[] for _ in tokens]
    for i, h in enumerate(head):
        if h != i:
            kids[h].append(i)
    return _Parse(
        sent=sent,
        text=sent.text,
        offset=sent.start_char,
        tokens=tokens,
        base=base,
        dep=[t.dep_ for t in tokens],
        head=head,
        pos=[t.pos_ for t in tokens],
        tag=[t.tag_ for t in tokens],
        lower=[t.lower_ for t in tokens],
        kids=kids,
        left=[max(t.left_edge.i - base, 0) for t in tokens],
        right=[min(t.right_edge.i - base, n - 1) for t in tokens],
        with_actors=Span.has_extension("actor"),
    )


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
    if agent:
        # The logical subject leads: "The deal was signed by Minsk" -> (Minsk; signed; The deal).
        pred_toks = _verb_group(p, chain, drop=PASSIVE_AUX_DEPS)
        objects, subjects, used, kind = subjects, agent[0], {agent[1]}, "logical"
        suffix = ""
    else:
        pred_toks = _verb_group(p, chain)
        extra, suffix, objects, used, kind = _objects(p, last)
        pred_toks += extra
    predicate = _predicate(p, pred_toks, suffix)
    arguments = tuple(_extra_arguments(p, chain, used))
    verb = p.tokens[v]
    negated, modality = is_negated(verb), clause_modality(verb)
    context = _context(p, v)
    prior = CLAUSE_PRIOR[how] * OBJECT_FACTOR[kind]
    for subj in subjects:
        for obj in objects or [None]:
            yield Relation(
                subject=_argument(p, subj),
                predicate=predicate,
                object=_argument(p, obj) if obj else None,
                negated=negated,
                modality=modality,
                confidence=_confidence(p, prior, subj, context),
                arguments=arguments,
                context=context,
            )


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
            return [], "", _conjunct_phrases(p, k), {k}, "direct"
    for k in kids:
        if p.dep[k] in COMPLEMENT_DEPS:
            extra, suffix, objects = _complement(p, k)
            return extra, suffix, objects, {k}, "complement"
    for k in kids:
        if p.dep[k] == "ccomp":
            return [], "", [_phrase(p, k)], {k}, "clausal"
    for k in kids:
        if k > v and p.dep[k] in ("prep", "dative") and _is_complement_prep(p, k):
            objects = _prep_objects(p, k)
            if objects:
                return _preposition(p, k), "", objects, {k}, "prepositional"
    return [], "", [], set(), "none"


def _is_complement_prep(p: _Parse, k: int) -> bool:
    """A prepositional phrase that can complete a predicate: not a source
    ("according to X") and not a time ("in 2021"), which stay adjuncts."""
    if p.lower[k] in ATTRIBUTION_PREPS:
        return False
    return not any(p.dep[c] == "pobj" and p.tokens[c].ent_type_ in TIME_LABELS for c in p.kids[k])


def _complement(p: _Parse, k: int) -> tuple[list[int], str, list[_Arg]]:
    """Predicate words, appended word and objects of a copular complement.

    "is Belarus's largest trading partner" and "is the largest trading partner of
    Belarus" both give predicate "is largest trading partner of" and object
    "Belarus"; "is dependent on Russia" gives "is dependent on" and "Russia".
    """
    right = [c for c in p.kids[k] if c > k and p.dep[c] not in ("punct", "relcl")]
    if p.pos[k] in ("NOUN", "PROPN"):
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
            elif dep == "npadvmod" and p.tokens[k].ent_type_ in TIME_LABELS:
                yield _argument(p, _phrase(p, k), "time")


def _prep_argument(p: _Parse, k: int) -> Iterator[Argument]:
    obj = next((c for c in p.kids[k] if p.dep[c] in PREP_OBJECT_DEPS), -1)
    if obj < 0:
        if p.dep[k] == "dative":
            yield _argument(p, _phrase(p, k), "argument")
        return
    label = p.tokens[obj].ent_type_
    if label in TIME_LABELS:
        role = "time"
    elif label in PLACE_LABELS and p.lower[k] in LOCATIVE_PREPS:
        role = "location"
    else:
        role = "argument"
    bare = role != "argument" and p.lower[k] in BARE_ROLE_PREPS
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
    if first == 0 or p.lower[first - 1] not in APPOSITION_MARKS:
        return False
    if p.lower[first - 1] == "(" and _phrase_end(p, a) == first == a and p.tokens[a].is_upper:
        return False
    if any(p.dep[c] in ("cc", "conj") for c in p.kids[a]) or any(
        p.dep[c] == "cc" for c in p.kids[n]
    ):
        return False
    labels = (p.tokens[n].ent_type_, p.tokens[a].ent_type_)
    return not (labels[0] in TIME_LABELS or labels[0] == labels[1] == "GPE")


def _apposition_relations(p: _Parse, a: int) -> Iterator[Relation]:
    """ "X, the Y of Z" -> (X; is Y of; Z)."""
    n = p.head[a]
    subject = _phrase(p, n, cut=a)
    extra, suffix, objects = _complement(p, a)
    if extra:
        predicate = _predicate(p, extra, suffix, lead="is")
    else:
        first = p.left[a]
        at = first - 1 if first > 0 and p.pos[first - 1] == "PUNCT" else first
        predicate = _synthetic_predicate(p, at, "is")
    context = _context(p, _clause_of(p, n))
    for obj in objects:
        yield Relation(
            subject=_argument(p, subject),
            predicate=predicate,
            object=_argument(p, obj),
            negated=False,
            modality="asserted",
            confidence=_confidence(p, APPOSITION_PRIOR, subject, context),
            context=context,
        )


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
        if p.dep[v] == "ccomp" and p.pos[h] in VERB_POS and p.tokens[h].lemma_ in SPEECH_LEMMAS:
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
        and p.tokens[k].lemma_ in SPEECH_LEMMAS
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
    coordinators = [p.lower[c] for j in conjuncts for c in p.kids[j] if p.dep[c] == "cc"]
    if coordinators and not all(w in SPLIT_COORDINATORS for w in coordinators):
        return False
    first = conjuncts[0]
    if any(p.dep[c] in SHARED_MODIFIER_DEPS for c in p.kids[first] if c < first):
        return all(any(c < j for c in p.kids[j]) for j in conjuncts[1:])
    return True


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
    return words


def _predicate(p: _Parse, words: list[int], suffix: str = "", lead: str = "") -> Argument:
    """The normalised predicate: its words in sentence order, with a word put
    before ("is" of an apposition) or after ("of" of a possessor)."""
    words = sorted(set(words))
    parts = [lead] if lead else []
    prev = -2
    for w in words:
        tok = p.tokens[w]
        full = _full_form(p, w)
        if full:
            parts.append(full)
        elif prev == w - 1 and not p.tokens[prev].whitespace_ and parts:
            parts[-1] += tok.text
        else:
            parts.append(tok.text)
        prev = w
    if suffix:
        parts.append(suffix)
    first, last = p.tokens[words[0]], p.tokens[words[-1]]
    return Argument(" ".join(parts), first.idx, last.idx + len(last.text))


def _full_form(p: _Parse, w: int) -> str | None:
    """The written-out form of a contracted auxiliary, or None."""
    form = p.lower[w].replace("\u2019", "'")
    if not form.startswith("'"):
        return None
    if form == "'s" and w + 1 < len(p.tokens) and p.lower[w + 1] in PERFECT_AFTER_S:
        return "has"
    return CONTRACTED_FORMS.get((form, p.tokens[w].lemma_))


def _synthetic_predicate(p: _Parse, at: int, text: str) -> Argument:
    """A predicate that the sentence leaves implicit, anchored on token `at`."""
    tok = p.tokens[at]
    return Argument(text, tok.idx, tok.idx + len(tok.text))


def _argument(p: _Parse, arg: _Arg, role: str | None = None) -> Argument:
    head, first, last = arg
    start = p.tokens[first].idx
    end = p.tokens[last].idx + len(p.tokens[last].text)
    text = p.text[start - p.offset : end - p.offset]
    return Argument(text, start, end, _actor(p, head, first, last), role)


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


def _confidence(p: _Parse, prior: float, subject: _Arg, context: Argument | None = None) -> float:
    """The construction's prior times the parse-risk factors, in [MIN_CONFIDENCE, 1]."""
    head, first, last = subject
    score = prior * max(SENTENCE_FLOOR, 1 - SENTENCE_DECAY * max(0, len(p.tokens) - SHORT_SENTENCE))
    score -= SUBJECT_DECAY * max(0, last - first + 1 - LONG_SUBJECT)
    if first == last and p.pos[head] == "PRON":
        score *= PRONOUN_FACTOR
    if context is not None:
        score *= REPORTED_FACTOR
    return round(max(MIN_CONFIDENCE, min(1.0, score)), 4)
