"""One label per name per document, and full names teaching their short forms.

Read sentence by sentence, en_core_web_sm gives one city PERSON, ORG and GPE in three
sentences of one article. A document pass settles each name once: the entity ruler's or the
alias table's label wins; else a label a full name teaches its short form ("Maia Sandu" →
"Sandu" PERSON with the same actor, "Vostok Holdings" → "Vostok" ORG); else a gazetteer
place stays GPE; else the weighted majority of its mentions. Mentions of a settled short
form that the model missed are added. Settings: data/cues/label_vote.json.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy
from spacy.attrs import LOWER
from spacy.language import Language
from spacy.tokens import Doc, Span

from belnlp.jsonl import data_file, json_object
from belnlp.nlp.components.actors import Actors, is_place, load_aliases
from belnlp.nlp.components.actors import normalised as normalise

VOTE_KEYS = frozenset({"_doc", "labels", "org_suffixes", "sentence_start_weight"})


class VoteError(ValueError):
    """A label-vote settings file that cannot be used; the message names the file."""


@dataclass(frozen=True, slots=True)
class VoteSettings:
    labels: frozenset[str]
    org_suffixes: frozenset[str]
    sentence_start_weight: float


def load_settings(path: str | Path | None = None) -> VoteSettings:
    """Read and validate the vote settings (the packaged file by default)."""
    return data_file(path, "cues/label_vote.json", _parse_settings, VoteError,
                     "vote settings file")


def _parse_settings(text: str, name: str) -> VoteSettings:
    raw = json_object(text, name, VOTE_KEYS, VoteError)
    for key in ("labels", "org_suffixes"):
        if not isinstance(raw[key], list) or not all(isinstance(v, str) and v for v in raw[key]):
            raise VoteError(f"{name}: {key!r} must be a list of non-empty strings")
    weight = raw["sentence_start_weight"]
    if not isinstance(weight, int | float) or not 0 < weight <= 1:
        raise VoteError(f"{name}: 'sentence_start_weight' must be a number in (0, 1]")
    return VoteSettings(frozenset(raw["labels"]), frozenset(raw["org_suffixes"]), float(weight))


@dataclass(slots=True)
class Verdict:
    """The settled label of a name, and the actor a full name hands to its short form."""

    label: str
    taught: bool = False
    actor: str | None = None


@Language.factory("belnlp_label_vote", default_config={"aliases": None, "settings": None})
def make_label_vote(nlp: Language, name: str, *, aliases: str | None,
                    settings: str | None) -> LabelVote:
    return LabelVote(Actors(load_aliases(aliases)), load_settings(settings))


class LabelVote:
    """Gives every mention of a name in a Doc the same label (runs after the actors)."""

    def __init__(self, actors: Actors, settings: VoteSettings) -> None:
        if not Span.has_extension("geo"):
            Span.set_extension("geo", default=None)
        self.actors = actors
        self.settings = settings

    def __call__(self, doc: Doc) -> Doc:
        ents = list(doc.ents)
        names = [ent for ent in ents if ent.label_ in self.settings.labels]
        if not names:
            return doc
        verdicts = self.verdicts(names)
        if not verdicts:
            return doc
        changed = False
        result = []
        for ent in ents:
            verdict = verdicts.get(normalise(ent.text)) if ent.label_ in self.settings.labels \
                else None
            if verdict is not None and verdict.label != ent.label_ and not self.fixed(ent):
                ent = self.relabel(ent, verdict)
                changed = True
            elif verdict is not None and verdict.taught and ent._.actor is None:
                ent._.actor = verdict.actor
            result.append(ent)
        added = self.missed_mentions(doc, result, verdicts)
        if changed or added:
            doc.ents = sorted([*result, *added], key=lambda span: span.start)
            for span in added:
                span._.actor = verdicts[normalise(span.text)].actor
        return doc

    def fixed(self, ent: Span) -> bool:
        """The ruler's and the alias table's labels are never outvoted."""
        return bool(ent.ent_id_) or normalise(ent.text) in self.actors.table

    def verdicts(self, names: list[Span]) -> dict[str, Verdict]:
        """The settled label of every name that needs one, by the precedence above."""
        fixed: dict[str, str] = {}
        places: set[str] = set()
        votes: dict[str, Counter[str]] = defaultdict(Counter)
        taught: dict[str, Verdict] = {}
        for ent in names:
            key = normalise(ent.text)
            if self.fixed(ent):
                fixed.setdefault(key, ent.label_)
            elif ent._.geo is not None:
                places.add(key)
            weight = self.settings.sentence_start_weight if ent[0].is_sent_start else 1.0
            votes[key][ent.label_] += weight
            short = self.short_form(ent)
            if short is not None:
                taught.setdefault(normalise(short), Verdict(ent.label_, True, ent._.actor))
        verdicts: dict[str, Verdict] = {}
        for key, counts in votes.items():
            if key in fixed:
                verdicts[key] = Verdict(fixed[key])
            elif key in taught:
                verdicts[key] = taught[key]
            elif key in places:
                verdicts[key] = Verdict("GPE")
            elif len(counts) > 1:
                (label, best), (_, second) = counts.most_common(2)
                if best > second:
                    verdicts[key] = Verdict(label)
        for key, verdict in taught.items():
            if key not in fixed:
                verdicts.setdefault(key, verdict)
        return verdicts

    def short_form(self, ent: Span) -> str | None:
        """A person's surname, or an organisation's name without its legal suffix."""
        if len(ent) < 2 or not ent[-1].is_title and not ent[-1].is_upper:
            return None
        if ent.label_ == "PERSON" and ent[-1].is_alpha and len(ent[-1]) > 2:
            return ent[-1].text
        if ent.label_ == "ORG" and ent[-1].text in self.settings.org_suffixes:
            short = ent[:-1]
            if short[0].is_title and all(t.is_alpha or t.is_punct for t in short):
                return short.text
        return None

    def relabel(self, ent: Span, verdict: Verdict) -> Span:
        span = Span(ent.doc, ent.start, ent.end, label=verdict.label, kb_id=ent.kb_id_,
                    span_id=ent.id_)
        if verdict.label != "GPE":
            span._.geo = None
        if verdict.taught:
            span._.actor = verdict.actor
        else:
            alias = self.actors.lookup(span)
            span._.actor = (alias.actor if alias is not None
                            and not (alias.kind == "capital" and is_place(span)) else None)
        return span

    def missed_mentions(self, doc: Doc, ents: list[Span], verdicts: dict[str, Verdict]
                        ) -> list[Span]:
        """Proper-noun mentions of a taught short form that no entity covers."""
        wanted = {}
        for key, verdict in verdicts.items():
            if verdict.taught:
                tokens = key.split()
                wanted[doc.vocab.strings[tokens[0]]] = (key, verdict)
        if not wanted:
            return []
        covered = numpy.zeros(len(doc), dtype=bool)
        for ent in ents:
            covered[ent.start:ent.end] = True
        folded = doc.to_array([LOWER]).ravel()
        added = []
        for index in numpy.flatnonzero(numpy.isin(folded, list(wanted))):
            key, verdict = wanted[int(folded[index])]
            length = len(key.split())
            span = doc[int(index):int(index) + length]
            if (len(span) == length and not covered[span.start:span.end].any()
                    and normalise(span.text) == key and span[0].pos_ == "PROPN"
                    and (span[0].is_title or span[0].is_upper)):
                added.append(Span(doc, span.start, span.end, label=verdict.label))
                covered[span.start:span.end] = True
        return added
