"""Who says it: the speaker, reporting cue and reported content of each claim sentence.

A claim is attributed when its main clause reports what someone said, believes or found:
a reporting verb with its subject as speaker ("Officials warned that ..."), a passive with
an agent ("was presented by diplomats as ..."), an "as"-frame ("..., as noted by
observers"), a "with"-frame ("with the minister describing it as ..."), a prepositional
frame ("According to X, ...") or a reporting noun before a that-clause ("The argument is
that ..."). The cues are data (data/cues/reporting.jsonl) and every attribution records the
id of the cue list that produced it.

Not attribution: scare quotes alone, a document or event described ("The doctrine lists",
"The crisis indicates"), view and intent verbs without reported content ("seeks to",
"views X as"), the authors' own frame ("This report argues", "As we show"), a speakerless
passive ("It is believed that"), and reported speech in a side clause of the author's own
sentence. A quotation running over several sentences is attributed in each of them to the
speaker named in the sentence where it opens or closes.

One pass over the Doc's attribute arrays finds the cue tokens; the rest reads the parse
around them.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
from spacy.attrs import DEP, LEMMA, LOWER, POS
from spacy.strings import get_string_id
from spacy.symbols import NOUN, VERB
from spacy.tokens import Doc, Span, Token

from belnlp.nlp.extract.references import References
from belnlp.nlp.extract.reporting_cues import ReportingCues, default_cues

DIRECT = "direct"
INDIRECT = "indirect"

SUBJECT_DEPS = frozenset({"nsubj", "csubj"})
PASSIVE_DEPS = frozenset({"nsubjpass", "csubjpass", "auxpass"})
CLAUSE_DEPS = frozenset({"ccomp"})
OBJECT_DEPS = frozenset({"dobj", "oprd", "xcomp", "dative"})
#: Prepositions that introduce what was said ("spoke of", "referred to", "warned against").
CONTENT_PREPOSITIONS = frozenset({"of", "to", "about", "for", "against", "on"})
#: Parts of a speaker phrase after its head that end it ("Ms X, a former minister, said").
SPEAKER_STOPS = frozenset({"relcl", "acl", "appos", "advcl", "parataxis"})
#: Right children of a reporting verb that end what it reports ("said X, and Y did Z").
CLAUSE_BOUNDARIES = frozenset({"punct", "cc", "conj", "advcl", "parataxis"})
REFLEXIVES = frozenset({"himself", "herself", "itself", "themselves", "oneself"})
PERSONAL_PRONOUNS = frozenset({"he", "she"})
SPEAKER_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP"})
NOT_SUBJECTS = frozenset({"it", "there", "which", "that", "what", "who"})
#: Heads whose "of"-object is the real speaker for the source test ("a number of officials").
QUANTITY_HEADS = frozenset({"number", "group", "majority", "minority", "most", "many", "some",
                            "one", "few", "several", "all", "tens", "hundreds", "thousands",
                            "dozens", "handful", "couple", "lot"})
QUOTE_RE = re.compile(r"“[^“”\n]*”|\"[^\"\n]*\"")
DIRECT_SHARE = 0.5


@dataclass(frozen=True, slots=True)
class Attribution:
    """One attribution, with Doc character offsets."""

    speaker: tuple[int, int]
    speaker_actor: str | None
    cue: tuple[int, int]
    rule: str
    content: tuple[int, int]
    type: str

    def record(self, text: str, offset: int = 0) -> dict[str, Any]:
        """The claim record's `attribution` object, offsets shifted into the article."""
        (s0, s1), (c0, c1), (t0, t1) = self.speaker, self.cue, self.content
        return {
            "speaker": {"text": text[s0:s1], "start": s0 + offset, "end": s1 + offset,
                        "actor": self.speaker_actor},
            "cue": {"text": text[c0:c1], "start": c0 + offset, "end": c1 + offset,
                    "rule": self.rule},
            "type": self.type,
            "content": {"start": t0 + offset, "end": t1 + offset},
        }


def attributions(doc: Doc, text: str, sentences: Sequence[Span], ents: Sequence[Span],
                 references: References, cues: ReportingCues | None = None
                 ) -> list[Attribution | None]:
    """The attribution of each claim sentence of `doc` (None for the author's own claims);
    `text` and `ents` are doc.text and doc.ents, which spaCy rebuilds on every access, and
    `references` (extract/references.py) gives "he"/"she" the person they refer to."""
    cues = cues or default_cues()
    quotes = [match.span() for match in QUOTE_RE.finditer(text)]
    matched = _cue_matches(doc, cues)
    starts = [start for start, _, _ in matched]
    found = []
    for sent in sentences:
        index = bisect_left(starts, sent.start)
        candidates = []
        while index < len(matched) and matched[index][0] < sent.end:
            candidates.append(matched[index])
            index += 1
        found.append(_sentence_attribution(doc, sent, candidates, cues, ents, references, quotes))
    return _spread_quotes(text, sentences, found, quotes)


def _cue_matches(doc: Doc, cues: ReportingCues) -> list[tuple[int, int, str]]:
    """(start, end, kind) of every cue in `doc`, by start and end: a reporting verb
    (lemma and POS VERB), a reporting noun subject (lemma, POS NOUN, dep nsubj) or a
    phrase (its lower-case words in a row). Read on the Doc's arrays, which is what a
    Matcher would find at a fraction of its cost."""
    verbs, nouns, phrases = _cue_ids(cues)
    lemma, pos, dep, lower = doc.to_array([LEMMA, POS, DEP, LOWER]).T
    lemmas = lemma.tolist()
    found = [(i, i + 1, "verb") for i in np.flatnonzero(pos == VERB).tolist()
             if lemmas[i] in verbs]
    found.extend((i, i + 1, "noun")
                 for i in np.flatnonzero((pos == NOUN) & (dep == get_string_id("nsubj"))).tolist()
                 if lemmas[i] in nouns)
    for words in phrases:
        last = len(doc) - len(words) + 1
        if last <= 0:
            continue
        at = np.ones(last, dtype=bool)
        for k, word in enumerate(words):
            at &= lower[k:k + last] == word
        found.extend((int(i), int(i) + len(words), "phrase") for i in np.flatnonzero(at))
    return sorted(found, key=lambda match: match[:2])


@lru_cache(maxsize=8)
def _cue_ids(cues: ReportingCues) -> tuple[frozenset[int], frozenset[int], list[tuple[int, ...]]]:
    """The string ids of a cue table's verb and noun lemmas and phrase words, as hashes:
    they need no StringStore, whose strings a memory zone may drop."""
    return (frozenset(map(get_string_id, cues.verbs)), frozenset(map(get_string_id, cues.nouns)),
            [tuple(map(get_string_id, phrase.split())) for phrase in sorted(cues.phrases)])


def _sentence_attribution(doc: Doc, sent: Span, candidates: list[tuple[int, int, str]],
                          cues: ReportingCues, ents: Sequence[Span], references: References,
                          quotes: list[tuple[int, int]]) -> Attribution | None:
    """The first cue of the main clause that has a speaker and reported content."""
    for start, end, kind in candidates:
        if kind == "verb":
            found = _verb_frame(doc[start], sent, cues, quotes)
        elif kind == "noun":
            found = _noun_frame(doc[start], sent, cues)
        else:
            found = _phrase_frame(doc[start:end], sent, cues)
        if found is None:
            continue
        speaker, cue, rule, content = found
        return Attribution(
            speaker=speaker, speaker_actor=_speaker_actor(doc, speaker, ents, references),
            cue=cue, rule=rule, content=content, type=_quote_type(content, quotes))
    return None


# --- frames -------------------------------------------------------------------------------

Frame = tuple[tuple[int, int], tuple[int, int], str, tuple[int, int]]


def _verb_frame(verb: Token, sent: Span, cues: ReportingCues,
                quotes: list[tuple[int, int]]) -> Frame | None:
    """A reporting verb of the main clause, an "as"-frame or a "with"-frame; an absolute
    "with" phrase ("with the minister describing it as ...") counts only when what it
    reports holds a quotation, since otherwise it is a side remark of the author's
    sentence. A reflexive object ("presents himself as") is self-presentation, not speech."""
    cue = cues.verbs[verb.lemma_.lower()]
    role = _clause_role(verb, sent)
    if role is None:
        return None
    if any(child.dep_ == "dobj" and child.lower_ in REFLEXIVES for child in verb.children):
        return None
    passive = any(child.dep_ in PASSIVE_DEPS for child in verb.children)
    speaker = _agent(verb) if passive or role == "frame" else None
    if speaker is None and not passive:
        speaker = verb.head if role == "with" and verb.dep_ == "acl" else _subject(verb)
    if speaker is None or not _can_speak(speaker, cue.requires_source, cues):
        return None
    cue_end = verb
    if role == "frame":
        content = _outside(sent, verb.left_edge.i, verb.right_edge.i + 1)
    elif passive and role == "main":
        content = _passive_content(verb, sent)
    else:
        content, cue_end = _verb_content(verb, cue.content)
    if content is None or role == "with" and not _quoted_share(content, quotes):
        return None
    return (_speaker_span(speaker), (verb.idx, cue_end.idx + len(cue_end)), cue.rule, content)


def _clause_role(verb: Token, sent: Span) -> str | None:
    """"main" for the main clause's verb (or a bare conjunct of it, or a participle with a
    that-clause that continues it: "..., adding that"), "frame" for an "as"-frame or a
    parenthetical on the main clause ("X, the report notes, is ..."), "with" for a
    "with"-frame, None for a side clause."""
    tok = verb
    while tok.dep_ == "conj" and tok.head is not tok:
        tok = tok.head
    if tok == sent.root:
        return "main"
    head = tok.head
    if _with_participle(tok, sent):
        return "with"
    if head != sent.root:
        return None
    if _continues(tok) and any(c.dep_ in CLAUSE_DEPS for c in tok.children):
        return "main"
    if tok.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ == "as" for c in tok.children):
        return "frame"
    if tok.dep_ == "parataxis" and not any(c.dep_ in CLAUSE_DEPS for c in tok.children):
        return "frame"
    return None


def _with_participle(verb: Token, sent: Span) -> bool:
    """"with X describing ...": the participle of a "with" phrase on the main clause, as
    the preposition's complement or as a modifier of its object."""
    head = verb.head
    if verb.dep_ == "acl" and verb.tag_ == "VBG" and head.dep_ == "pobj":
        head = head.head
    elif verb.dep_ != "pcomp":
        return False
    return head.lower_ == "with" and head.head == sent.root


def _continues(verb: Token) -> bool:
    """A participle without a subject that continues its head's clause ("..., adding")."""
    return verb.dep_ == "advcl" and verb.tag_ == "VBG" and not any(
        c.dep_ in SUBJECT_DEPS or c.dep_ == "mark" for c in verb.children)


def _subject(verb: Token) -> Token | None:
    """The verb's subject, or that of the verb it is a bare conjunct or a continuing
    participle of."""
    tok = verb
    while True:
        subject = next((c for c in tok.children if c.dep_ in SUBJECT_DEPS), None)
        if subject is not None or tok.head is tok or not (tok.dep_ == "conj" or _continues(tok)):
            return subject
        tok = tok.head


def _agent(verb: Token) -> Token | None:
    """The logical subject of a passive: the object of its "by"."""
    for child in verb.children:
        if child.dep_ == "agent":
            return next((c for c in child.children if c.dep_ == "pobj"), None)
    return None


def _can_speak(speaker: Token, requires_source: bool, cues: ReportingCues) -> bool:
    """Not a document or event, not the authors' frame; a source where the cue needs one."""
    lemma = speaker.lemma_.lower()
    if speaker.lower_ in NOT_SUBJECTS or lemma in cues.not_speakers:
        return False
    if _authors_frame(speaker, cues):
        return False
    if not requires_source:
        return True
    while lemma in QUANTITY_HEADS:
        of = next((c for c in speaker.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        inner = next((c for c in of.children if c.dep_ == "pobj"), None) if of else None
        if inner is None:
            break
        speaker, lemma = inner, inner.lemma_.lower()
    return (speaker.ent_type_ in SPEAKER_LABELS or speaker.lower_ in PERSONAL_PRONOUNS
            or speaker.lower_ == "they" or lemma in cues.sources)


def _authors_frame(speaker: Token, cues: ReportingCues) -> bool:
    """"we argue", "our analysis suggests", "this report shows"."""
    if speaker.pos_ == "PRON":
        return speaker.lower_ in cues.author_frame
    own_text = speaker.lemma_.lower() in cues.own_text
    return any(child.lower_ in cues.author_frame
               and (child.dep_ == "poss" or child.dep_ == "det" and own_text)
               for child in speaker.children)


def _verb_content(verb: Token, kinds: frozenset[str]) -> tuple[tuple[int, int] | None, Token]:
    """The reported clause or object of a reporting verb, and the last token of the cue
    (the verb, or the verb and the preposition right after it: "spoke of")."""
    for child in verb.children:
        if child.dep_ in CLAUSE_DEPS and "clause" in kinds:
            return _subtree(child), verb
    if "object" not in kinds:
        return None, verb
    parts = [child for child in verb.rights if child.dep_ in OBJECT_DEPS
             and child.lower_ not in REFLEXIVES]
    if parts:
        complements = [child for child in verb.rights if child.i > parts[0].i
                       and child.dep_ not in CLAUSE_BOUNDARIES]
        last = max((child.right_edge for child in [*parts, *complements]), key=lambda t: t.i)
        return (parts[0].left_edge.idx, _end(last)), verb
    for child in verb.rights:
        if child.dep_ == "prep" and child.lower_ in CONTENT_PREPOSITIONS and any(
            c.dep_ in ("pobj", "pcomp") for c in child.children
        ):
            cue_end = child if child.i == verb.i + 1 else verb
            return (child.idx if cue_end is verb else _next_idx(child),
                    _end(child.right_edge)), cue_end
    return None, verb


def _passive_content(verb: Token, sent: Span) -> tuple[int, int] | None:
    """What a passive reporting verb reports: its subject and complements, not the agent.
    A person as the subject is the one reported on ("was reported by neighbours"), not
    reported content."""
    subject = next((c for c in verb.children if c.dep_ in ("nsubjpass", "csubjpass")), None)
    if subject is None or subject.ent_type_ == "PERSON":
        return None
    agent = next(c for c in verb.children if c.dep_ == "agent")
    return _outside(sent, agent.i, agent.right_edge.i + 1)


def _noun_frame(noun: Token, sent: Span, cues: ReportingCues) -> Frame | None:
    """"The argument is that ...": a reporting noun subject of a main-clause copula (or of
    a copula clause that opens the sentence: "The argument is that A: B")."""
    head = noun.head
    frame_first = head.dep_ == "ccomp" and head.head == sent.root and head.i < sent.root.i
    if head.lemma_ != "be" or not (head == sent.root or frame_first):
        return None
    clause = next((c for c in head.children if c.dep_ in CLAUSE_DEPS), None)
    if clause is None or any(c.dep_ == "mark" and c.lower_ != "that" for c in clause.children):
        return None
    if _authors_frame(noun, cues):
        return None
    left = noun.left_edge
    if left.lower_ == "the" and left.i < noun.i:
        left = left.doc[left.i + 1]
    return ((left.idx, _end(noun)), (noun.idx, _end(noun)), cues.nouns[noun.lemma_.lower()],
            _subtree(clause))


def _phrase_frame(phrase: Span, sent: Span, cues: ReportingCues) -> Frame | None:
    """"According to X, ...": the frame's object is the speaker, the rest is the content."""
    last = phrase[-1]
    speaker = next((c for c in last.children if c.dep_ == "pobj"), None)
    if speaker is None:
        return None
    attach = phrase.root.head
    while attach.dep_ == "conj" and attach.head is not attach:
        attach = attach.head
    if attach != sent.root or not _can_speak(speaker, False, cues):
        return None
    first = min(phrase.start, phrase.root.left_edge.i)
    last_i = max(phrase.end - 1, phrase.root.right_edge.i)
    content = _outside(sent, first, last_i + 1)
    return (_speaker_span(speaker), (phrase.start_char, phrase.end_char),
            cues.phrases[" ".join(token.lower_ for token in phrase)], content)


# --- spans --------------------------------------------------------------------------------


def _end(token: Token) -> int:
    return token.idx + len(token)


def _next_idx(token: Token) -> int:
    doc = token.doc
    return doc[token.i + 1].idx if token.i + 1 < len(doc) else _end(token)


def _subtree(token: Token) -> tuple[int, int]:
    return token.left_edge.idx, _end(token.right_edge)


def _outside(sent: Span, start: int, end: int) -> tuple[int, int] | None:
    """The longer part of a sentence outside tokens [start, end), without edge punctuation."""
    before = [t for t in sent.doc[sent.start:start] if not t.is_punct]
    after = [t for t in sent.doc[end:sent.end] if not t.is_punct]
    part = max(before, after, key=len)
    if not part:
        return None
    return part[0].idx, _end(part[-1])


def _speaker_span(head: Token) -> tuple[int, int]:
    """The speaker phrase: the head with its modifiers, without a leading "the" and without
    what follows a comma, a dash or a relative clause; a name in apposition stands for a
    title before it ("the head of the church, Bishop X" → "Bishop X")."""
    named = _named_apposition(head)
    return _phrase(named if named is not None else head)


def _named_apposition(head: Token) -> Token | None:
    if head.ent_type_:
        return None
    return next((c for c in head.rights if c.dep_ == "appos" and c.pos_ == "PROPN"
                 and c.ent_type_ in ("PERSON", "")), None)


def _phrase(head: Token) -> tuple[int, int]:
    left = head.left_edge
    doc = head.doc
    while left.i < head.i and (left.lower_ == "the" or left.is_punct):
        left = doc[left.i + 1]
    right = head
    for child in head.rights:
        first = child.left_edge.i
        after_punct = doc[first].is_punct or first > 0 and doc[first - 1].is_punct
        if child.is_punct or child.dep_ in SPEAKER_STOPS and (child.dep_ != "appos"
                                                              or after_punct):
            break
        right = child.right_edge
    while right.i > head.i and right.is_punct:
        right = doc[right.i - 1]
    return left.idx, _end(right)


def _quote_type(content: tuple[int, int], quotes: list[tuple[int, int]]) -> str:
    """direct when most of the content's characters lie inside quotation marks."""
    return DIRECT if _quoted_share(content, quotes) > DIRECT_SHARE else INDIRECT


def _quoted_share(content: tuple[int, int], quotes: list[tuple[int, int]]) -> float:
    """The share of the content's characters inside quotation marks."""
    start, end = content
    inside = sum(max(0, min(end, q1) - max(start, q0)) for q0, q1 in quotes)
    return inside / (end - start) if end > start else 0.0


# --- the speaker's actor ------------------------------------------------------------------


def _speaker_actor(doc: Doc, speaker: tuple[int, int], ents: Sequence[Span],
                   references: References) -> str | None:
    """The actor of the speaker phrase, else of the title it stands for ("Russia's envoy,
    X" → RUS); "he"/"she" → the actor of the person it refers to."""
    span = doc.char_span(*speaker)
    if span is None:
        return None
    head = span.root
    if len(span) == 1 and head.lower_ in PERSONAL_PRONOUNS:
        actors = {ref.actor for ref in references.antecedents(head)}
        return actors.pop() if len(actors) == 1 else None
    actor = _phrase_actor(span, ents)
    if actor is None and head.dep_ == "appos":
        title = doc.char_span(*_phrase(head.head))
        actor = _phrase_actor(title, ents) if title is not None else None
    return actor


def _phrase_actor(span: Span, ents: Sequence[Span]) -> str | None:
    """The head's entity's actor, else the one actor of the entities before the head, else
    the one actor of all the phrase's entities (None when they name several)."""
    head = span.root
    index = bisect_left([ent.end for ent in ents], span.start + 1)
    inside = [ent for ent in ents[index:] if ent.start < span.end]
    inside = [ent for ent in inside if ent.start >= span.start and ent.end <= span.end
              and ent.label_ in SPEAKER_LABELS]
    own = next((ent for ent in inside if ent.start <= head.i < ent.end), None)
    if own is not None and _actor(own) is not None:
        return _actor(own)
    for group in ([ent for ent in inside if ent.end <= head.i], inside):
        actors = {_actor(ent) for ent in group} - {None}
        if actors:
            return actors.pop() if len(actors) == 1 else None
    return None


def _actor(ent: Span) -> str | None:
    return ent._.actor if Span.has_extension("actor") else None


# --- quotations over several sentences ----------------------------------------------------


def _spread_quotes(text: str, sentences: Sequence[Span], found: list[Attribution | None],
                   quotes: list[tuple[int, int]]) -> list[Attribution | None]:
    """Each sentence of a quotation that runs over several sentences takes the attribution
    of the sentence where the quotation opens or closes; a sentence that is all quotation
    right after a directly quoted one in the same paragraph continues its quote."""
    result = list(found)
    for q0, q1 in quotes:
        inside = [i for i, sent in enumerate(sentences)
                  if sent.start_char < q1 and sent.end_char > q0]
        if len(inside) < 2:
            continue
        source = next((found[i] for i in (inside[0], inside[-1])
                       if found[i] is not None and not q0 <= found[i].cue[0] < q1), None)
        if source is None:
            continue
        for i in inside:
            if result[i] is None or q0 <= result[i].cue[0] < q1:
                result[i] = _quoted(source, sentences[i], q0, q1)
    for i in range(1, len(sentences)):
        previous, sent = result[i - 1], sentences[i]
        if result[i] is not None or previous is None or previous.type != DIRECT:
            continue
        between = text[sentences[i - 1].end_char:sent.start_char]
        quote = next(((q0, q1) for q0, q1 in quotes
                      if q0 <= sent.start_char and q1 >= sent.end_char - 1), None)
        if quote is not None and "\n" not in between:
            result[i] = _quoted(previous, sent, *quote)
    return result


def _quoted(source: Attribution, sent: Span, q0: int, q1: int) -> Attribution:
    """`source`'s speaker and cue for the quoted part of another sentence."""
    content = (max(q0 + 1, sent.start_char), min(q1 - 1, sent.end_char))
    return Attribution(source.speaker, source.speaker_actor, source.cue, source.rule, content,
                       DIRECT)
