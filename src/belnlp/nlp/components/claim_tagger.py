"""The rule layer: matches every category rule over a Doc and records the evidence.

All rules are compiled into two PhraseMatchers (terms on LOWER, lemmas on LEMMA), one Matcher
and one DependencyMatcher, so a Doc is scanned once per matcher whatever the number of rules.
The Matcher and the DependencyMatcher run only on the sentences that hold one of their patterns'
anchor words (anchors.py).
Lemma rules use a PhraseMatcher because the Matcher evaluates an "IN" set in Python for every
token and every pattern; a lemma rule's `pos` is checked on its hits instead. Each hit is kept as
`Evidence(category, rule, start, end, weight, value)` in `doc._.belnlp_evidence` (character
offsets into the Doc); the claim step (extract/claims.py) groups it by sentence. The Doc's time
anchors (extract/time.py) are found here once, kept in `doc._.belnlp_anchors`, and matched by
`anchor` rules; their evidence carries the anchor's normalised value.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import NamedTuple

from spacy.attrs import LEMMA
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from belnlp.nlp.components.anchors import AnchoredDependencyMatcher, AnchoredMatcher
from belnlp.nlp.extract.time import (
    GRANULARITIES,
    Anchor,
    TimeAnchors,
    article_date,
    clause_verb,
    is_past,
    load_cues,
    normalise_date,
)
from belnlp.rules import Rule, RuleError, default_rule_paths, load_rules

DATED_KINDS = frozenset({"date", "event"})


class Evidence(NamedTuple):
    category: str
    rule: str
    start: int
    end: int
    weight: float
    value: str | None = None


def register_extensions() -> None:
    """Doc extensions of the rule layer, registered once per process."""
    if not Doc.has_extension("belnlp_evidence"):
        Doc.set_extension("belnlp_evidence", default=None)
    if not Doc.has_extension("belnlp_ref_date"):
        Doc.set_extension("belnlp_ref_date", default=None)
    if not Doc.has_extension("belnlp_anchors"):
        Doc.set_extension("belnlp_anchors", default=None)


@Language.factory(
    "belnlp_claim_tagger", default_config={"rule_files": [], "default_rules": True}
)
def make_claim_tagger(
    nlp: Language, name: str, *, rule_files: list[str], default_rules: bool
) -> ClaimTagger:
    paths = [*(default_rule_paths() if default_rules else []), *rule_files]
    return ClaimTagger(nlp, load_rules(paths))


class ClaimTagger:
    """Finds rule evidence for categories; conditions use tense and dates from the parse."""

    def __init__(self, nlp: Language, rules: list[Rule]) -> None:
        register_extensions()
        self.rules = {rule.id: rule for rule in rules}
        self.categories = sorted({rule.category for rule in rules})
        self.phrases = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.lemmas = PhraseMatcher(nlp.vocab, attr="LEMMA")
        self.tokens = AnchoredMatcher(nlp.vocab, validate=True)
        self.dependencies = AnchoredDependencyMatcher(nlp.vocab, validate=True)
        self.entity_rules = [rule for rule in rules if rule.kind == "entity"]
        self.anchor_rules = [rule for rule in rules if rule.kind == "anchor"]
        self.anchors = TimeAnchors(nlp, load_cues())
        for rule in rules:
            try:
                self._add(nlp, rule)
            except (ValueError, KeyError, TypeError) as exc:
                problem = " ".join(str(exc).split())[:300]
                raise RuleError(f"{rule.source}: rule {rule.id!r}: spaCy rejects the pattern: "
                                f"{problem}") from exc

    def _add(self, nlp: Language, rule: Rule) -> None:
        if rule.kind == "terms":
            self.phrases.add(rule.id, list(nlp.tokenizer.pipe(rule.spec)))
        elif rule.kind == "lemmas":
            # a proper noun keeps its capital in the lemma ("Naval Infantry", "British Army")
            forms = dict.fromkeys(form for lemma in rule.spec
                                  for form in (lemma, lemma[:1].upper() + lemma[1:]))
            # A PhraseMatcher pattern may be its attribute's hashes: a Doc per form would
            # create a lexeme per form (0.1 s), and the LEMMA matcher reads only lemmas.
            self.lemmas.add(rule.id, [[nlp.vocab.strings.add(form)] for form in forms])
        elif rule.kind == "pattern":
            self.tokens.add(rule.id, rule.spec)
        elif rule.kind == "dependency":
            self.dependencies.add(rule.id, rule.spec)

    def __call__(self, doc: Doc) -> Doc:
        given = article_date(doc)
        reference = given or date.today()
        anchors = self.anchors(doc, given)
        doc._.belnlp_anchors = anchors
        strings = doc.vocab.strings
        hits: list[tuple[str, int, int]] = []
        if len(self.phrases):
            hits.extend((strings[m], s, e) for m, s, e in self.phrases(doc))
        if len(self.lemmas):
            for match_id, start, end in self.lemmas(doc):
                rule = self.rules[strings[match_id]]
                if not rule.pos or doc[start].pos_ in rule.pos:
                    hits.append((rule.id, start, end))
        if len(self.tokens):
            hits.extend((strings[m], s, e) for m, s, e in self.tokens(doc))
        if len(self.dependencies):
            for match_id, token_ids in self.dependencies(doc):
                hits.append((strings[match_id], min(token_ids), max(token_ids) + 1))
        if self.entity_rules:
            facts = _entity_facts(doc)
            for rule in self.entity_rules:
                hits.extend((rule.id, start, end) for start, end, *fact in facts
                            if _entity_matches(rule, *fact))
        values: dict[tuple[int, int], str | None] = {}
        if self.anchor_rules and anchors:
            for anchor in _matching_anchors(doc, anchors):
                values[anchor.token_start, anchor.token_end] = anchor.value
                hits.extend((rule.id, anchor.token_start, anchor.token_end)
                            for rule in self.anchor_rules if _anchor_matches(rule, anchor))
        evidence = []
        seen = set()
        lemmas = _SentenceLemmas(doc)
        for rule_id, start, end in sorted(hits, key=lambda h: (h[1], h[2], h[0])):
            rule = self.rules[rule_id]
            span = doc[start:end]
            if (rule_id, start, end) in seen or not _conditions_hold(rule, span, reference,
                                                                     lemmas):
                continue
            seen.add((rule_id, start, end))
            evidence.append(Evidence(rule.category, rule.id, span.start_char, span.end_char,
                                     rule.weight,
                                     values.get((start, end)) if rule.kind == "anchor" else None))
        doc._.belnlp_evidence = evidence
        return doc


def _entity_facts(doc: Doc) -> list[tuple[int, int, str, str, str | None]]:
    """(start, end, label, casefolded text, actor) of each entity, read once per Doc."""
    actors = Span.has_extension("actor")
    return [(ent.start, ent.end, ent.label_, ent.text.casefold(),
             ent._.actor if actors else None) for ent in doc.ents]


class _Candidate(NamedTuple):
    """An anchor and whether it is the most precise dated anchor of its sentence."""

    token_start: int
    token_end: int
    kind: str
    value: str | None
    granularity: str
    relation: str
    finest: bool


def _matching_anchors(doc: Doc, anchors: list[Anchor]) -> list[_Candidate]:
    """The anchors with their `finest` flag, computed per sentence."""
    by_sentence: dict[int, list[Anchor]] = defaultdict(list)
    for anchor in anchors:
        by_sentence[doc[anchor.token_start].sent.start].append(anchor)
    found = []
    for group in by_sentence.values():
        ranks = [GRANULARITIES.index(a.granularity) for a in group
                 if a.kind in DATED_KINDS and a.value is not None]
        best = min(ranks, default=None)
        found.extend(_Candidate(a.token_start, a.token_end, a.kind, a.value, a.granularity,
                                a.relation, _finest(a, best)) for a in group)
    return found


def _finest(anchor: Anchor, best: int | None) -> bool:
    """The most precise resolved date of its sentence; an unresolved date when none is."""
    if anchor.kind not in DATED_KINDS:
        return False
    if anchor.value is None:
        return best is None
    return GRANULARITIES.index(anchor.granularity) == best


def _anchor_matches(rule: Rule, anchor: _Candidate) -> bool:
    spec = rule.spec
    if "kinds" in spec and anchor.kind not in spec["kinds"]:
        return False
    if "relations" in spec and anchor.relation not in spec["relations"]:
        return False
    if "granularities" in spec and anchor.granularity not in spec["granularities"]:
        return False
    return anchor.finest or not spec["finest"]


def _entity_matches(rule: Rule, label: str, name: str, actor: str | None) -> bool:
    spec = rule.spec
    if "labels" in spec and label not in spec["labels"]:
        return False
    if "names" in spec and name not in spec["names"]:
        return False
    if "actors" in spec:
        return actor in spec["actors"]
    return True


class _SentenceLemmas:
    """The lower-cased lemmas of each sentence of one Doc, read once from its lemma array:
    the `unless` words of every hit in a sentence are looked up in the same set."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.array: list[int] | None = None
        self.sets: dict[int, frozenset[str]] = {}

    def of(self, sent: Span) -> frozenset[str]:
        lemmas = self.sets.get(sent.start)
        if lemmas is None:
            if self.array is None:
                self.array = self.doc.to_array(LEMMA).tolist()
            strings = self.doc.vocab.strings
            lemmas = self.sets[sent.start] = frozenset(
                strings[lemma].lower() for lemma in self.array[sent.start:sent.end])
        return lemmas


def _conditions_hold(rule: Rule, span: Span, reference: date, lemmas: _SentenceLemmas
                     ) -> bool:
    when = rule.when
    if rule.unless and not rule.unless.isdisjoint(lemmas.of(span.sent)):
        return False
    if when.get("tense") == "past" and not is_past(span.sent.root):
        return False
    if when.get("tense") == "past_clause" and not is_past(clause_verb(span.root)):
        return False
    if when.get("date_before_reference") and \
            normalise_date(span.text, reference).relation == "after":
        return False
    return True
