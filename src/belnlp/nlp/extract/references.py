"""References across sentences: pronouns and descriptions linked to what they stand for.

`resolve(doc)` reads a parsed Doc once and links each anaphor to an antecedent in the same
or the previous few sentences, by rules on the parse (no model):

- personal and possessive pronouns (it, its, they, their, he, his, she, her);
- "the" + a noun that repeats the head of an earlier mention or generalises it
  ("the exercise" after a named exercise, "the alliance" after NATO);
- this/these/that/those + such a noun, and else, like a bare "this", the previous sentence;
- "the two countries", "both nations": the two actors named last.

Candidates must agree in number and type (person, place, organisation, group, thing);
among them the nearest sentence wins, then a subject, then the nearest mention. The word
lists are data (data/cues/references.jsonl), validated on load. A pronoun that refers to a
pronoun or description takes that one's antecedent, so a chain ends on a name or a noun.
`References.antecedents(span)` gives the antecedents of any token or span of the Doc.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from spacy.attrs import DEP, HEAD, LOWER, TAG
from spacy.tokens import Doc, Span, Token

from belnlp.jsonl import data_file, numbered_records

if TYPE_CHECKING:
    from belnlp.nlp.extract.relations import Argument, Relation

#: Sentences before the anaphor's own that are searched for a pronoun's antecedent.
WINDOW = 3
#: The same for a description: an article's topic ("the exercise") is named less often.
DESCRIPTION_WINDOW = 12
#: Evidence a whole previous sentence needs before a bare "this" takes its category.
PREVIOUS_WEIGHT = 2.0
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
#: Deps under which a noun's modifier makes a definite description new, not anaphoric.
POSTMODIFIER_DEPS = frozenset({"prep", "relcl", "acl", "appos"})
PLURAL_TAGS = frozenset({"NNS", "NNPS"})
TYPE_OF_LABEL = {
    "PERSON": "person", "GPE": "place", "LOC": "place", "FAC": "place", "ORG": "organisation",
    "NORP": "group", "EVENT": "thing", "LAW": "thing", "PRODUCT": "thing",
    "WORK_OF_ART": "thing",
}  # fmt: skip
#: Verbs whose "it" subject is a dummy when a clause follows ("it is clear that ...").
DUMMY_IT_HEADS = frozenset({"be", "seem", "appear", "remain", "become", "take", "make"})
CLAUSE_COMPLEMENTS = frozenset({"ccomp", "xcomp", "csubj"})
BOTH_WORDS = frozenset({"both"})
TWO_WORDS = frozenset({"two", "2"})
CUE_KINDS = frozenset({"pronoun", "noun", "pair", "demonstrative", "definite", "generic"})
CUE_KEYS = frozenset({"id", "kind", "words", "nouns", "number", "types", "labels",
                      "actors_only", "note"})
#: "agree" (nouns only): the description and its antecedent have the same number.
NUMBERS = frozenset({"singular", "plural", "any", "agree"})
TYPES = frozenset(TYPE_OF_LABEL.values())


class CueError(ValueError):
    """A reference cue file that cannot be used; the message names file and line."""


@dataclass(frozen=True, slots=True)
class Cue:
    """One line of the cue file: a class of anaphors and what may stand behind them."""

    id: str
    kind: str
    words: frozenset[str] = frozenset()
    nouns: frozenset[str] = frozenset()
    number: str = "any"
    types: frozenset[str] = TYPES
    labels: frozenset[str] = frozenset()
    actors_only: bool = False


@dataclass(frozen=True, slots=True)
class Cues:
    pronouns: dict[str, Cue]
    nouns: dict[str, Cue]
    pair: Cue | None
    demonstrative: Cue | None
    definite: Cue | None
    generic: Cue | None


@dataclass(slots=True)
class Mention:
    """A noun phrase or name that can be an antecedent (token offsets in the Doc)."""

    start: int
    end: int
    root: int
    sent: int
    type: str
    plural: bool
    subject: bool
    actors: tuple[str, ...]
    lemma: str
    label: str = ""
    pronoun: bool = False
    #: The lower-case words of a name ("union", "state" in "the Union State").
    words: frozenset[str] = frozenset()
    #: The conjuncts of a conjoined mention ("Russia and Belarus").
    members: tuple[Mention, ...] = ()
    #: The mention this one refers to, once resolved (pronouns and descriptions).
    refers_to: Mention | None = None


@dataclass(frozen=True, slots=True)
class Reference:
    """An anaphor, one antecedent and the rule that linked them (character offsets)."""

    start: int
    end: int
    antecedent_start: int
    antecedent_end: int
    actor: str | None
    rule: str
    #: Categories whose rule evidence lies in the antecedent (weight >= 1 there).
    categories: tuple[str, ...] = ()


@dataclass(slots=True)
class References:
    """All references of one Doc, ordered by anaphor, with a lookup by span."""

    doc: Doc
    items: list[Reference] = field(default_factory=list)
    _starts: list[int] = field(init=False, default_factory=list)

    def __post_init__(self) -> None:
        self.items.sort(key=lambda ref: (ref.start, ref.end, ref.antecedent_start))
        self._starts = [ref.start for ref in self.items]

    def within(self, start: int, end: int) -> list[Reference]:
        """References whose anaphor lies inside the character range [start, end)."""
        found = []
        for index in range(bisect_left(self._starts, start), len(self.items)):
            ref = self.items[index]
            if ref.start >= end:
                break
            if ref.end <= end:
                found.append(ref)
        return found

    def antecedents(self, target: Token | Span) -> list[Reference]:
        """The references of an anaphor token or span ("he" in "he said" -> the person)."""
        if isinstance(target, Token):
            start, end = target.idx, target.idx + len(target)
        else:
            start, end = target.start_char, target.end_char
        return [ref for ref in self.items[bisect_left(self._starts, start):
                                          bisect_right(self._starts, end)]
                if ref.start < end and ref.end > start]


def load_cues(path: str | Path | None = None) -> Cues:
    """Read and validate a cue file (the packaged one by default)."""
    return data_file(path, "cues/references.jsonl", _parse_cues, CueError, "cue file")


def _parse_cues(text: str, name: str) -> Cues:
    pronouns: dict[str, Cue] = {}
    nouns: dict[str, Cue] = {}
    single: dict[str, Cue] = {}
    for raw, where in numbered_records(text.split("\n"), name, CueError):
        cue = _parse_cue(raw, where)
        if cue.kind == "pronoun":
            pronouns.update(dict.fromkeys(cue.words, cue))
        elif cue.kind == "noun":
            nouns.update(dict.fromkeys(cue.nouns, cue))
        elif cue.kind in single:
            raise CueError(f"{where}: a second {cue.kind!r} cue")
        else:
            single[cue.kind] = cue
    return Cues(pronouns, nouns, single.get("pair"), single.get("demonstrative"),
                single.get("definite"), single.get("generic"))


def _parse_cue(raw: Any, where: str) -> Cue:
    if not isinstance(raw, dict):
        raise CueError(f"{where}: a cue must be a JSON object")
    unknown = set(raw) - CUE_KEYS
    if unknown:
        raise CueError(f"{where}: unknown key(s) {sorted(unknown)}")
    if not isinstance(raw.get("id"), str) or not raw["id"]:
        raise CueError(f"{where}: 'id' must be a non-empty string")
    kind = raw.get("kind")
    if kind not in CUE_KINDS:
        raise CueError(f"{where}: cue {raw['id']!r}: unknown kind {kind!r} "
                       f"(one of {sorted(CUE_KINDS)})")

    def words(key: str, required: bool) -> frozenset[str]:
        value = raw.get(key)
        if value is None and not required:
            return frozenset()
        if not isinstance(value, list) or not value or not all(
                isinstance(item, str) and item.strip() for item in value):
            raise CueError(f"{where}: cue {raw['id']!r}: {key!r} must be a non-empty list "
                           "of strings")
        return frozenset(item.strip().casefold() for item in value)

    number = raw.get("number", "any")
    if number not in NUMBERS:
        raise CueError(f"{where}: cue {raw['id']!r}: 'number' must be one of {sorted(NUMBERS)}")
    if number == "agree" and kind == "pronoun":
        raise CueError(f"{where}: cue {raw['id']!r}: a pronoun's 'number' is its own, "
                       "not 'agree'")
    types = words("types", False) or TYPES
    if not types <= TYPES:
        raise CueError(f"{where}: cue {raw['id']!r}: unknown type(s) {sorted(types - TYPES)}")
    labels = frozenset(label.upper() for label in words("labels", False))
    if not isinstance(raw.get("actors_only", False), bool):
        raise CueError(f"{where}: cue {raw['id']!r}: 'actors_only' must be true or false")
    return Cue(raw["id"], kind, words("words", kind in {"pronoun", "demonstrative", "definite"}),
               words("nouns", kind in {"noun", "pair", "generic"}), number, types, labels,
               raw.get("actors_only", False))


def resolve(doc: Doc, evidence: Sequence[tuple[str, str, int, int, float]] = (), *,
            cues: Cues | None = None, context_categories: Iterable[str] = ()) -> References:
    """Every reference of a parsed Doc, found in one pass over its noun chunks.

    `evidence` is the rule layer's (category, rule, start, end, weight) hits; a reference
    carries the `context_categories` whose evidence in its antecedent weighs 1.0 or more.
    """
    cues = cues or load_cues()
    sent_starts = [sent.start for sent in doc.sents]
    sent_spans = [(sent.start_char, sent.end_char) for sent in doc.sents]
    reader = _Reader(doc, cues, sent_starts)
    mentions, anaphors = reader.read()
    scorer = _Evidence(evidence, frozenset(context_categories))
    references: list[Reference] = []
    for anaphor in anaphors:
        found, rule = reader.link(anaphor, mentions, scorer)
        if found:
            anaphor.mention.refers_to = found[0] if len(found) == 1 else None
            for target in found:
                final = _final(target)
                for member in final.members or (final,):
                    references.append(_reference(doc, anaphor, member, rule, scorer))
        elif anaphor.previous_sentence and anaphor.sent > 0:
            start, end = sent_spans[anaphor.sent - 1]
            tok = doc[anaphor.start:anaphor.end]
            references.append(Reference(tok.start_char, tok.end_char, start, end, None,
                                        anaphor.cue.id + ".previous",
                                        scorer.categories(start, end, PREVIOUS_WEIGHT)))
    return References(doc, references)


@dataclass(slots=True)
class _Anaphor:
    start: int
    end: int
    sent: int
    cue: Cue
    mention: Mention
    #: Noun cue of the description's head, for definite and demonstrative phrases.
    noun: Cue | None = None
    head_lemma: str = ""
    pair: bool = False
    previous_sentence: bool = False


def _final(mention: Mention) -> Mention:
    seen = 0
    while mention.refers_to is not None and seen < 20:
        mention, seen = mention.refers_to, seen + 1
    return mention


def _reference(doc: Doc, anaphor: _Anaphor, target: Mention, rule: str, scorer: _Evidence
               ) -> Reference:
    span = doc[anaphor.start:anaphor.end]
    antecedent = doc[target.start:target.end]
    return Reference(span.start_char, span.end_char, antecedent.start_char,
                     antecedent.end_char, target.actors[0] if target.actors else None, rule,
                     scorer.categories(antecedent.start_char, antecedent.end_char))


class _Evidence:
    """Categories of the rule evidence inside a character range."""

    def __init__(self, evidence: Sequence[tuple[str, str, int, int, float]],
                 categories: frozenset[str]) -> None:
        self.items = sorted((item[2], item[3], item[0], item[4]) for item in evidence
                            if item[0] in categories)
        self.starts = [item[0] for item in self.items]

    def categories(self, start: int, end: int, threshold: float = 1.0) -> tuple[str, ...]:
        weight: dict[str, float] = {}
        for index in range(bisect_left(self.starts, start), len(self.items)):
            item_start, item_end, category, item_weight = self.items[index]
            if item_start >= end:
                break
            if item_end <= end:
                weight[category] = weight.get(category, 0.0) + item_weight
        return tuple(sorted(c for c, total in weight.items() if total >= threshold))


class _Mentions:
    """Mentions by sentence, each sentence's sorted once by salience: subjects first, then
    the nearest to the anaphor in its own sentence and text order in earlier ones."""

    def __init__(self, mentions: list[Mention]) -> None:
        by_sent: dict[int, list[Mention]] = {}
        for mention in mentions:
            by_sent.setdefault(mention.sent, []).append(mention)
        self.earlier = {sent: sorted(items, key=lambda m: (not m.subject, m.start))
                        for sent, items in by_sent.items()}
        self.same = {sent: sorted(items, key=lambda m: (not m.subject, -m.start))
                     for sent, items in by_sent.items()}

    def before(self, sent: int, start: int, window: int) -> Iterator[Mention]:
        """Candidates for an anaphor at token `start` of sentence `sent`, best first."""
        for mention in self.same.get(sent, ()):
            if mention.end <= start:
                yield mention
        for earlier in range(sent - 1, max(-1, sent - window - 1), -1):
            yield from self.earlier.get(earlier, ())


class _Reader:
    """Mentions and anaphors of a Doc, read from its noun chunks and entities."""

    def __init__(self, doc: Doc, cues: Cues, sent_starts: list[int]) -> None:
        self.doc = doc
        self.cues = cues
        self.sent_starts = sent_starts
        self.actors = Span.has_extension("actor")
        self.conj_heads: set[int] = set()
        self.openers = BOTH_WORDS.union(*(cue.words for cue in (cues.demonstrative,
                                                                 cues.definite) if cue))

    def sent_of(self, i: int) -> int:
        return bisect_right(self.sent_starts, i) - 1

    def read(self) -> tuple[_Mentions, list[_Anaphor]]:
        doc = self.doc
        entity_at: dict[int, Span] = {}
        for ent in doc.ents:
            if ent.label_ in TYPE_OF_LABEL:
                entity_at[ent.root.i] = ent
        by_root: dict[int, Mention] = {}
        anaphors: list[_Anaphor] = []
        inner = self._inner_candidates()
        for chunk in doc.noun_chunks:
            root = chunk.root
            for i in inner[bisect_left(inner, chunk.start):bisect_left(inner, root.i)]:
                found = self._anaphor_in(doc[i], chunk, by_root)
                if found is not None:
                    anaphors.append(found)
            mention = self._mention(root, chunk.start, chunk.end, entity_at.get(root.i))
            if mention is None:
                continue
            by_root[root.i] = mention
            found = self._anaphor_of_root(chunk, mention)
            if found is not None:
                anaphors.append(found)
        for root, ent in entity_at.items():
            if root not in by_root:
                mention = self._mention(ent.root, ent.start, ent.end, ent)
                if mention is not None:
                    by_root[root] = mention
        mentions = sorted(by_root.values(), key=lambda m: m.start)
        mentions.extend(self._groups(by_root))
        mentions.sort(key=lambda m: (m.start, -m.end))
        anaphors.sort(key=lambda a: a.start)
        return _Mentions(mentions), anaphors

    def _mention(self, root: Token, start: int, end: int, ent: Span | None) -> Mention | None:
        if ent is not None:
            start, end = ent.start, ent.end
            kind = TYPE_OF_LABEL[ent.label_]
            actor = ent._.actor if self.actors else None
            actors: tuple[str, ...] = (actor,) if actor else ()
            label = ent.label_
            plural = ent.label_ == "NORP" and root.tag_ in PLURAL_TAGS
        elif root.pos_ in ("NOUN", "PROPN", "PRON"):
            if root.ent_type_:
                return None
            kind, actors, label, plural = "thing", (), "", root.tag_ in PLURAL_TAGS
        else:
            return None
        return Mention(start, end, root.i, self.sent_of(root.i), kind, plural,
                       root.dep_ in SUBJECT_DEPS, actors, root.lemma_.casefold(), label,
                       pronoun=ent is None and root.pos_ == "PRON",
                       words=frozenset(t.lower_ for t in ent) if ent is not None else frozenset())

    def _groups(self, by_root: dict[int, Mention]) -> list[Mention]:
        """Conjoined mentions as one plural mention ("Russia and Belarus" -> they)."""
        groups = []
        for root in sorted(self.conj_heads & by_root.keys()):
            mention, token = by_root[root], self.doc[root]
            if token.dep_ == "conj":
                continue
            members = [mention, *(by_root[c.i] for c in token.conjuncts if c.i in by_root)]
            if len(members) < 2:
                continue
            actors = tuple(dict.fromkeys(a for m in members for a in m.actors))
            kinds = {m.type for m in members}
            groups.append(Mention(min(m.start for m in members), max(m.end for m in members),
                                  root, mention.sent, kinds.pop() if len(kinds) == 1 else "thing",
                                  True, mention.subject, actors, "", mention.label,
                                  members=tuple(members)))
        return groups

    def _inner_candidates(self) -> list[int]:
        """Tokens that may be anaphors inside a noun chunk, found on the Doc's arrays:
        possessive pronouns and determiners of possessors ("its", "that government's");
        also notes the heads of conjuncts for `_groups`."""
        doc = self.doc
        strings = doc.vocab.strings
        tag, dep, lower, head = doc.to_array([TAG, DEP, LOWER, HEAD]).T
        heads = np.arange(len(doc)) + head.astype(np.int64)
        possessive = (tag == strings.add("PRP$")) & np.isin(
            lower, [strings.add(word) for word in self.cues.pronouns])
        determiner = (dep == strings.add("det")) & (dep[heads] == strings.add("poss"))
        self.conj_heads = set(heads[dep == strings.add("conj")].tolist())
        return np.flatnonzero(possessive | determiner).tolist()

    def _anaphor_in(self, token: Token, chunk: Span, by_root: dict[int, Mention]
                    ) -> _Anaphor | None:
        """A possessive pronoun or a possessor description inside a noun chunk."""
        cues = self.cues
        lower = token.lower_
        if token.tag_ == "PRP$" and lower in cues.pronouns:
            mention = Mention(token.i, token.i + 1, token.i, self.sent_of(token.i), "thing",
                              False, False, (), lower)
            return _Anaphor(token.i, token.i + 1, mention.sent, cues.pronouns[lower], mention)
        head = token.head
        if (token.dep_ == "det" and head.dep_ == "poss" and head.i < chunk.root.i
                and not any(t.ent_type_ in TYPE_OF_LABEL for t in self.doc[token.i:head.i + 1])):
            mention = self._mention(head, token.i, head.i + 1, None)
            if mention is not None:
                by_root[head.i] = mention
                return self._description(token, head, mention)
        return None

    def _anaphor_of_root(self, chunk: Span, mention: Mention) -> _Anaphor | None:
        root = chunk.root
        cues = self.cues
        lower = root.lower_
        if root.pos_ == "PRON" or root.tag_ in ("PRP", "DT"):
            if lower in cues.pronouns and not _dummy_it(root):
                return _Anaphor(root.i, root.i + 1, mention.sent, cues.pronouns[lower], mention)
            if (cues.demonstrative and lower in cues.demonstrative.words
                    and root.tag_ == "DT" and root.dep_ in SUBJECT_DEPS):
                return _Anaphor(root.i, root.i + 1, mention.sent, cues.demonstrative, mention,
                                previous_sentence=True)
            return None
        if mention.label or root.pos_ != "NOUN" or chunk[0].lower_ not in self.openers:
            return None
        dets = [c for c in root.children if c.dep_ in ("det", "predet") and c.i >= chunk.start]
        numbers = [c for c in root.children if c.dep_ == "nummod"]
        if cues.pair and lower in cues.pair.nouns and (
                any(d.lower_ in BOTH_WORDS for d in dets)
                or (any(d.lower_ == "the" for d in dets)
                    and any(n.lower_ in TWO_WORDS for n in numbers))):
            return _Anaphor(chunk.start, chunk.end, mention.sent, cues.pair, mention, pair=True)
        if len(dets) != 1 or any(c.ent_type_ in TYPE_OF_LABEL for c in chunk):
            return None
        return self._description(dets[0], root, mention)

    def _description(self, det: Token, head: Token, mention: Mention) -> _Anaphor | None:
        """'the'/'this' + noun: repeat or generalisation; a demonstrative also may point back
        to the previous sentence."""
        cues = self.cues
        lower = det.lower_
        demonstrative = cues.demonstrative is not None and lower in cues.demonstrative.words
        definite = cues.definite is not None and lower in cues.definite.words
        if not (demonstrative or definite):
            return None
        if definite and any(c.dep_ in POSTMODIFIER_DEPS for c in head.children):
            return None
        cue = cues.demonstrative if demonstrative else cues.definite
        assert cue is not None
        lemma = head.lemma_.casefold()
        return _Anaphor(det.i, head.i + 1, mention.sent, cue, mention,
                        noun=cues.nouns.get(lemma) or cues.nouns.get(head.lower_),
                        head_lemma=lemma)

    def link(self, anaphor: _Anaphor, mentions: _Mentions, scorer: _Evidence
             ) -> tuple[list[Mention], str]:
        """The antecedents of one anaphor (the best candidate, or two for a pair) and the
        id of the cue that linked them."""
        if anaphor.previous_sentence and not anaphor.head_lemma:
            return [], ""
        window = WINDOW if anaphor.cue.kind in ("pronoun", "pair") else DESCRIPTION_WINDOW
        candidates = (m for m in mentions.before(anaphor.sent, anaphor.start, window)
                      if m is not anaphor.mention and _final(m) is not anaphor.mention)
        if anaphor.cue.kind == "pronoun":
            for m in candidates:
                final = _final(m)
                if not final.pronoun and self._agrees(anaphor, m, final):
                    return [m], anaphor.cue.id
            return [], ""
        candidates = list(candidates)
        if anaphor.pair:
            chosen: list[Mention] = []
            for m in candidates:
                final = _final(m)
                if (self._fits(anaphor.cue, final, plural=False) and len(final.actors) == 1
                        and all(final.actors != c.actors for c in chosen)):
                    chosen.append(final)
                    if len(chosen) == 2:
                        return sorted(chosen, key=lambda c: c.start), anaphor.cue.id
            return [], ""
        for m in candidates:  # a repeated head or name word wins over a generalisation
            if not m.pronoun and (m.lemma == anaphor.head_lemma
                                  or anaphor.head_lemma in m.words):
                return [m], anaphor.cue.id
        for m in candidates:
            final = _final(m)
            if final.pronoun:
                continue
            rule = self._agrees(anaphor, m, final)
            if rule:
                return [m], rule
        generic = self.cues.generic
        if (anaphor.cue.kind == "demonstrative" and generic is not None
                and anaphor.head_lemma in generic.nouns):
            return self._by_evidence(anaphor, candidates, scorer)
        return [], ""

    def _by_evidence(self, anaphor: _Anaphor, candidates: list[Mention], scorer: _Evidence
                     ) -> tuple[list[Mention], str]:
        """'these launchers' after a sentence on missile systems: a demonstrative with a
        generic noun that neither repeats nor generalises a mention takes the most salient
        noun phrase of the same number, earlier in its sentence or in the sentence before,
        that carries category evidence."""
        doc = self.doc
        for m in candidates:
            if m.sent < anaphor.sent - 1 or m.pronoun or m.refers_to is not None:
                continue
            if m.type != "thing" or m.plural != anaphor.mention.plural:
                continue
            span = doc[m.start:m.end]
            if scorer.categories(span.start_char, span.end_char):
                return [m], anaphor.cue.id + ".evidence"
        return [], ""

    def _agrees(self, anaphor: _Anaphor, mention: Mention, final: Mention) -> str | None:
        """The id of the cue under which `mention` can be the anaphor's antecedent."""
        cue = anaphor.cue
        if cue.kind == "pronoun":
            plural = cue.number == "plural"
            if final.type == "group":
                return cue.id if plural else None
            fits = self._fits(cue, final, plural=plural if cue.number != "any" else None)
            return cue.id if fits else None
        # a description whose noun generalises the mention
        noun = anaphor.noun
        if noun is None or not final.label:
            return None
        plural = None if noun.number == "any" else anaphor.mention.plural
        return noun.id if self._fits(noun, final, plural=plural) else None

    @staticmethod
    def _fits(cue: Cue, mention: Mention, *, plural: bool | None) -> bool:
        if mention.type not in cue.types:
            return False
        if cue.labels and mention.label not in cue.labels:
            return False
        if cue.actors_only and not mention.actors:
            return False
        return plural is None or mention.plural == plural


def _dummy_it(token: Token) -> bool:
    """'it' as a placeholder subject: "it is unclear that ...", "it is expected to ..."."""
    if token.lower_ != "it":
        return False
    if token.dep_ == "expl":
        return True
    head = token.head
    if token.dep_ not in SUBJECT_DEPS:
        return False
    if head.lemma_ in DUMMY_IT_HEADS or token.dep_ == "nsubjpass":
        kids = list(head.children)
        if any(c.dep_ in CLAUSE_COMPLEMENTS for c in kids):
            return True
        return any(c.dep_ in CLAUSE_COMPLEMENTS for k in kids if k.dep_ in ("acomp", "attr")
                   for c in k.children)
    return False


#: Categories that a claim takes from the antecedents of its anaphors (gold convention:
#: military and economic follow from document context; historical needs its own anchor).
CONTEXT_CATEGORIES = ("economic", "military")
CONTEXT_RULE = "context."


def reference_records(refs: Iterable[Reference], text: str, offset: int = 0
                      ) -> list[dict[str, Any]]:
    """The claim record's `references`: anaphor, antecedent (with actor) and rule."""
    return [{"text": text[ref.start:ref.end], "start": ref.start + offset,
             "end": ref.end + offset,
             "antecedent": {"text": text[ref.antecedent_start:ref.antecedent_end],
                            "start": ref.antecedent_start + offset,
                            "end": ref.antecedent_end + offset, "actor": ref.actor},
             "rule": ref.rule}
            for ref in refs]


def context_evidence(refs: Iterable[Reference], categories: Iterable[str], text: str,
                     offset: int = 0) -> list[dict[str, Any]]:
    """Evidence for the categories a claim lacks but its anaphors' antecedents carry.

    One item per category and anaphor, `rule` "context." + the reference rule, `match` the
    anaphor, plus the antecedent's text and offsets so that an analyst sees why.
    """
    have = set(categories)
    found: dict[tuple[str, int, int], dict[str, Any]] = {}
    for ref in refs:
        for category in ref.categories:
            key = (category, ref.start, ref.end)
            if category in have or key in found:
                continue
            found[key] = {
                "category": category, "rule": CONTEXT_RULE + ref.rule.removeprefix("ref."),
                "match": text[ref.start:ref.end], "start": ref.start + offset,
                "end": ref.end + offset,
                "antecedent": {"text": text[ref.antecedent_start:ref.antecedent_end],
                               "start": ref.antecedent_start + offset,
                               "end": ref.antecedent_end + offset},
            }
    return list(found.values())


def take_actors(relations: Iterable[Relation], refs: Sequence[Reference], doc: Doc
                ) -> list[Relation]:
    """The relations, each argument without an actor given the actor of the anaphor that
    heads it ("it" -> BLR when it refers to Belarus; "the two countries" -> the first of
    both), before events are coded from the arguments' actors.

    Only an anaphor holding the argument's head counts: "its border" is not Belarus, nor is
    "the leaders of its parties". A reflexive ("itself") restates the subject and gives no
    actor, so "Moldova freed itself" is no event of Moldova on Moldova."""
    if not refs:
        return list(relations)
    return [replace(rel, subject=_with_actor(rel.subject, refs, doc),
                    object=_with_actor(rel.object, refs, doc),
                    arguments=tuple(_with_actor(arg, refs, doc) for arg in rel.arguments))
            for rel in relations]


def _with_actor(argument: Argument | None, refs: Sequence[Reference], doc: Doc
                ) -> Argument | None:
    if argument is None or argument.actor is not None or argument.head < 0:
        return argument
    head = doc[argument.head]
    if "Yes" in head.morph.get("Reflex"):
        return argument
    for ref in refs:
        if ref.actor and ref.start <= head.idx < ref.end:
            return replace(argument, actor=ref.actor)
    return argument
