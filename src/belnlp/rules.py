"""Category rules as data: loading and validating rule files before any document is read.

A rule file is JSONL, one rule per line. Each rule has an `id`, a `category` and exactly
one way of matching:

- `terms`: phrases matched case-insensitively on the token text (PhraseMatcher, LOWER);
- `lemmas`: single-token lemmas, optionally restricted by `pos`;
- `pattern`: a spaCy Matcher token pattern (a list of token dicts);
- `dependency`: a spaCy DependencyMatcher pattern;
- `entity`: entities by `labels`, `actors` and/or `names`;
- `anchor`: time anchors (nlp/extract/time.py) by `kinds`, `relations` to the article's date
  and `granularities`; `finest` keeps only the most precise resolved date of the sentence
  (or an unresolved one when the sentence has no resolved date).

`when` adds conditions on the parse: `{"tense": "past"}` needs the sentence's main clause in
the past tense or perfect aspect (`"past_clause"`: that or the clause holding the match);
`{"date_before_reference": true}` needs the matched span to be a date that does not lie after
the article's date. `unless` names sentence lemmas that
cancel the rule (`{"lemmas": ["souvenir"]}`: army badges sold as souvenirs are trade, not
military matters). `weight` (default 1.0) lets weak cues
count only together: a category is assigned when its evidence weighs 1.0 or more.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from belnlp.jsonl import data_text, identified_record, numbered_records

MATCH_KEYS = ("terms", "lemmas", "pattern", "dependency", "entity", "anchor")
RULE_KEYS = frozenset({"id", "category", "pos", "when", "unless", "weight", "note",
                       *MATCH_KEYS})
ENTITY_KEYS = frozenset({"labels", "actors", "names"})
WHEN_KEYS = frozenset({"tense", "date_before_reference"})
UNLESS_KEYS = frozenset({"lemmas"})
TENSES = frozenset({"past", "past_clause"})
ANCHOR_KEYS = frozenset({"kinds", "relations", "granularities", "finest"})
CATEGORY_RE = re.compile(r"^[a-z][a-z_]{1,30}$")
DEFAULT_RULE_FILES = ("historical.jsonl", "economic.jsonl", "military.jsonl")


class RuleError(ValueError):
    """A rule file that cannot be used; the message names file, line, rule and problem."""


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    category: str
    kind: str
    spec: Any
    pos: tuple[str, ...] = ()
    when: dict[str, Any] = field(default_factory=dict)
    unless: frozenset[str] = frozenset()
    weight: float = 1.0
    note: str | None = None
    source: str = ""


def default_rule_paths() -> list[Path]:
    """The rule files shipped inside the package."""
    folder = resources.files("belnlp") / "data" / "rules"
    return [Path(str(folder / name)) for name in DEFAULT_RULE_FILES]


def load_rules(paths: Iterable[str | Path]) -> list[Rule]:
    """Read and validate rule files in order; rule ids must be unique across them."""
    rules: list[Rule] = []
    seen: dict[str, str] = {}
    for path in paths:
        for rule in parse_rules(data_text(path, RuleError, "rules file"), str(path)):
            if rule.id in seen:
                raise RuleError(f"{rule.source}: rule {rule.id!r}: duplicate id "
                                f"(first at {seen[rule.id]})")
            seen[rule.id] = rule.source
            rules.append(rule)
    return rules


def parse_rules(text: str, name: str) -> list[Rule]:
    return [_parse_rule(raw, where)
            for raw, where in numbered_records(text.split("\n"), name, RuleError)]


def _parse_rule(raw: Any, where: str) -> Rule:
    rule_id, fail = identified_record(raw, where, RULE_KEYS, RuleError, ("a rule", "rule"))
    category = raw.get("category")
    if not isinstance(category, str) or not CATEGORY_RE.match(category):
        raise fail(f"'category' must be a lower-case word, got {category!r}")
    kinds = [key for key in MATCH_KEYS if key in raw]
    if len(kinds) != 1:
        raise fail(f"needs exactly one of {list(MATCH_KEYS)}, got {kinds}")
    kind = kinds[0]
    spec = _check_spec(kind, raw[kind], fail)
    pos = raw.get("pos", [])
    if not (isinstance(pos, list) and all(isinstance(p, str) and p.isupper() for p in pos)):
        raise fail("'pos' must be a list of upper-case POS tags")
    if pos and kind != "lemmas":
        raise fail("'pos' applies to 'lemmas' rules only")
    when = raw.get("when", {})
    _check_when(when, fail)
    unless = _check_unless(raw.get("unless", {}), fail)
    weight = raw.get("weight", 1.0)
    if isinstance(weight, bool) or not isinstance(weight, int | float) or not 0 < weight <= 10:
        raise fail(f"'weight' must be a number in (0, 10], got {weight!r}")
    note = raw.get("note")
    if note is not None and not isinstance(note, str):
        raise fail("'note' must be a string")
    return Rule(rule_id, category, kind, spec, tuple(pos), when, unless, float(weight), note,
                where)


def _check_spec(kind: str, spec: Any, fail) -> Any:
    if kind in ("terms", "lemmas"):
        if not isinstance(spec, list) or not spec or not all(
            isinstance(term, str) and term.strip() for term in spec
        ):
            raise fail(f"'{kind}' must be a non-empty list of strings")
        if kind == "lemmas" and any(len(term.split()) != 1 for term in spec):
            raise fail("'lemmas' are single words; use 'terms' for phrases")
        return tuple(spec)
    if kind == "pattern":
        if not isinstance(spec, list) or not spec or not all(isinstance(t, dict) for t in spec):
            raise fail("'pattern' must be a non-empty list of token objects")
        _check_regexes(spec, fail)
        return spec
    if kind == "dependency":
        if not isinstance(spec, list) or not spec or not all(isinstance(t, dict) for t in spec):
            raise fail("'dependency' must be a non-empty list of DependencyMatcher nodes")
        _check_regexes(spec, fail)
        return spec
    if kind == "anchor":
        return _check_anchor(spec, fail)
    if not isinstance(spec, dict) or not spec:
        raise fail("'entity' must be an object with labels, actors and/or names")
    unknown = set(spec) - ENTITY_KEYS
    if unknown:
        raise fail(f"unknown entity key(s) {sorted(unknown)}; allowed: {sorted(ENTITY_KEYS)}")
    for key, values in spec.items():
        if not isinstance(values, list) or not values or not all(
            isinstance(v, str) for v in values
        ):
            raise fail(f"entity '{key}' must be a non-empty list of strings")
    return {key: frozenset(v.casefold() if key == "names" else v for v in values)
            for key, values in spec.items()}


def _check_anchor(spec: Any, fail) -> dict[str, Any]:
    from belnlp.nlp.extract.time import ANCHOR_KINDS, GRANULARITIES, RELATIONS

    if not isinstance(spec, dict) or not spec:
        raise fail("'anchor' must be an object with kinds, relations, granularities, finest")
    unknown = set(spec) - ANCHOR_KEYS
    if unknown:
        raise fail(f"unknown anchor key(s) {sorted(unknown)}; allowed: {sorted(ANCHOR_KEYS)}")
    allowed = {"kinds": ANCHOR_KINDS, "relations": RELATIONS, "granularities": GRANULARITIES}
    checked: dict[str, Any] = {"finest": spec.get("finest", False)}
    if not isinstance(checked["finest"], bool):
        raise fail("anchor 'finest' must be true or false")
    for key, values in allowed.items():
        if key not in spec:
            continue
        given = spec[key]
        if not isinstance(given, list) or not given or not set(given) <= set(values):
            raise fail(f"anchor {key!r} must be a non-empty list of {sorted(values)}")
        checked[key] = frozenset(given)
    return checked


def _check_when(when: Any, fail) -> None:
    if not isinstance(when, dict):
        raise fail("'when' must be an object")
    unknown = set(when) - WHEN_KEYS
    if unknown:
        raise fail(f"unknown condition(s) {sorted(unknown)}; allowed: {sorted(WHEN_KEYS)}")
    if "tense" in when and when["tense"] not in TENSES:
        raise fail(f"unknown tense {when['tense']!r}; allowed: {sorted(TENSES)}")
    if "date_before_reference" in when and not isinstance(when["date_before_reference"], bool):
        raise fail("'date_before_reference' must be true or false")


def _check_unless(unless: Any, fail) -> frozenset[str]:
    if not isinstance(unless, dict):
        raise fail("'unless' must be an object")
    unknown = set(unless) - UNLESS_KEYS
    if unknown:
        raise fail(f"unknown 'unless' key(s) {sorted(unknown)}; allowed: {sorted(UNLESS_KEYS)}")
    lemmas = unless.get("lemmas", [])
    if not isinstance(lemmas, list) or not all(isinstance(x, str) for x in lemmas):
        raise fail("'unless.lemmas' must be a list of strings")
    return frozenset(lemma.lower() for lemma in lemmas)


def _check_regexes(node: Any, fail) -> None:
    """Reject invalid regular expressions and nested quantifiers that can backtrack forever."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "REGEX":
                if not isinstance(value, str):
                    raise fail("REGEX must be a string")
                try:
                    re.compile(value)
                except re.error as exc:
                    raise fail(f"invalid regular expression {value!r} ({exc})") from exc
                if nests_quantifiers(value):
                    raise fail(f"regular expression {value!r} nests quantifiers "
                               "(catastrophic backtracking); rewrite it without")
            else:
                _check_regexes(value, fail)
    elif isinstance(node, list):
        for item in node:
            _check_regexes(item, fail)


def nests_quantifiers(pattern: str) -> bool:
    """True when an unbounded repeat sits in a repeat with a range: (a+)+, ((ab)+)*, (\\w+ ?){2,}.

    Such a pattern can try exponentially many ways to split a token that almost matches.
    Read from the parse tree of the standard library's own regex parser, so any nesting of
    groups is seen; atomic groups and possessive repeats never backtrack and are allowed.
    """
    from re import _constants as op
    from re import _parser

    def walk(items, repeated: bool) -> bool:
        for code, arg in items:
            if code in (op.MAX_REPEAT, op.MIN_REPEAT):
                low, high, inner = arg
                if repeated and high == op.MAXREPEAT:
                    return True
                if walk(inner, repeated or high > max(low, 1)):
                    return True
            elif code is op.SUBPATTERN and walk(arg[3], repeated):
                return True
            elif code is op.BRANCH and any(walk(branch, repeated) for branch in arg[1]):
                return True
            elif code in (op.ASSERT, op.ASSERT_NOT) and walk(arg[1], repeated):
                return True
        return False

    return walk(_parser.parse(pattern), False)


def rules_hash(rules: Iterable[Rule]) -> str:
    """Digest of the rules' content, for provenance and caching."""
    digest = hashlib.sha256()
    for rule in rules:
        payload = [rule.id, rule.category, rule.kind, _jsonable(rule.spec), list(rule.pos),
                   rule.when, sorted(rule.unless), rule.weight]
        digest.update(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode())
    return digest.hexdigest()[:16]


def _jsonable(spec: Any) -> Any:
    if isinstance(spec, dict):
        return {key: _jsonable(value) for key, value in sorted(spec.items())}
    if isinstance(spec, frozenset):
        return sorted(spec)
    if isinstance(spec, tuple):
        return list(spec)
    return spec
