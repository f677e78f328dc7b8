"""The rule layer: matches every category rule over a Doc and records the evidence.

All rules are compiled into two PhraseMatchers (terms on LOWER, lemmas on LEMMA), one Matcher
and one DependencyMatcher, so a Doc is scanned once per matcher whatever the number of rules.
The Matcher and the DependencyMatcher run only on the sentences that hold one of their patterns'
anchor words (anchors.py).
Lemma rules use a PhraseMatcher because the Matcher evaluates an "IN" set in Python for every
token and every pattern; a lemma rule's `pos` is checked on its hits instead. Each hit is kept as
`Evidence(category, rule, start, end, weight)` in `doc._.belnlp_evidence` (character
offsets into the Doc); the claim step (extract/claims.py) groups it by sentence.
"""

from __future__ import annotations

import re
from datetime import date
from typing import NamedTuple

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token

from belnlp.nlp.components.anchors import AnchoredDependencyMatcher, AnchoredMatcher
from belnlp.rules import Rule, RuleError, default_rule_paths, load_rules

PAST_TAGS = frozenset({"VBD"})
AUX_DEPS = frozenset({"aux", "auxpass", "cop"})
YEAR_RE = re.compile(r"\b(1[0-9]{3}|20[0-9]{2})(?:s|’s|'s)?\b")
FUTURE_DATE_RE = re.compile(r"\b(?:next|coming|upcoming|future|forthcoming|tomorrow)\b", re.I)


class Evidence(NamedTuple):
    category: str
    rule: str
    start: int
    end: int
    weight: float


def register_extensions() -> None:
    """Doc extensions of the rule layer, registered once per process."""
    if not Doc.has_extension("belnlp_evidence"):
        Doc.set_extension("belnlp_evidence", default=None)
    if not Doc.has_extension("belnlp_ref_date"):
        Doc.set_extension("belnlp_ref_date", default=None)


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
            self.lemmas.add(rule.id, [Doc(nlp.vocab, words=[lemma], lemmas=[lemma])
                                      for lemma in rule.spec])
        elif rule.kind == "pattern":
            self.tokens.add(rule.id, rule.spec)
        elif rule.kind == "dependency":
            self.dependencies.add(rule.id, rule.spec)

    def __call__(self, doc: Doc) -> Doc:
        reference = _reference_date(doc)
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
        evidence = []
        seen = set()
        for rule_id, start, end in sorted(hits, key=lambda h: (h[1], h[2], h[0])):
            rule = self.rules[rule_id]
            span = doc[start:end]
            if (rule_id, start, end) in seen or not _conditions_hold(rule, span, reference):
                continue
            seen.add((rule_id, start, end))
            evidence.append(
                Evidence(rule.category, rule.id, span.start_char, span.end_char, rule.weight)
            )
        doc._.belnlp_evidence = evidence
        return doc


def _entity_facts(doc: Doc) -> list[tuple[int, int, str, str, str | None]]:
    """(start, end, label, casefolded text, actor) of each entity, read once per Doc."""
    actors = Span.has_extension("actor")
    return [(ent.start, ent.end, ent.label_, ent.text.casefold(),
             ent._.actor if actors else None) for ent in doc.ents]


def _entity_matches(rule: Rule, label: str, name: str, actor: str | None) -> bool:
    spec = rule.spec
    if "labels" in spec and label not in spec["labels"]:
        return False
    if "names" in spec and name not in spec["names"]:
        return False
    if "actors" in spec:
        return actor in spec["actors"]
    return True


def _conditions_hold(rule: Rule, span: Span, reference: date) -> bool:
    when = rule.when
    if rule.unless and any(token.lemma_.lower() in rule.unless for token in span.sent):
        return False
    if when.get("tense") == "past" and not is_past(span.sent.root):
        return False
    if when.get("date_before_reference") and not date_not_after(span.text, reference):
        return False
    return True


def is_past(verb: Token) -> bool:
    """Past tense or perfect aspect in the clause of `verb` ("signed", "was", "has led")."""
    if verb.tag_ in PAST_TAGS:
        return True
    auxes = [child for child in verb.children if child.dep_ in AUX_DEPS]
    if any(aux.tag_ in PAST_TAGS for aux in auxes):
        return True
    return verb.tag_ == "VBN" and any(aux.lemma_ == "have" for aux in auxes)


def date_not_after(text: str, reference: date) -> bool:
    """A date expression that does not point after the reference date (no year: trusted)."""
    if FUTURE_DATE_RE.search(text):
        return False
    years = [int(match.group(1)) for match in YEAR_RE.finditer(text)]
    return all(year <= reference.year for year in years)


def _reference_date(doc: Doc) -> date:
    given = doc._.belnlp_ref_date
    if given:
        try:
            return date.fromisoformat(given)
        except ValueError:
            pass
    return date.today()
