"""The actor network of a claims file: who acts on whom, by which predicates, in which claims.

Nodes are actors (spec §3) with how often entities and anaphors that refer to them ("it"
-> BLR) mention them; an edge runs from a relation's subject actor to its object actor (each
actor of an anaphor such as "the two countries"; for a relation coded as a political event,
the event's target actor), one edge per ordered actor pair, gathering every relation between
them, with the event types and a cooperation–conflict score of the dyad. Relations whose
subject or object has no actor, or whose two actors are the same, add no edge. List-valued
attributes are strings joined with "|" so that GraphML and GEXF, which hold only scalars, keep them.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx

from belnlp.nlp.extract.events import REALISED_MODES, dyad_score
from belnlp.views.outputs import atomic_path, predicate_lemma

JOIN = "|"
#: Output formats by file suffix.
SUFFIXES = (".graphml", ".gexf", ".json")
#: Surface forms kept per actor node ("Belarus|Minsk|Lukashenko").
NAMES_PER_ACTOR = 5


def _argument_actors(argument: dict[str, Any] | None, references: Iterable[dict[str, Any]]
                     ) -> list[str]:
    """An argument's actor, or all the actors of the anaphor that gave it ("the two
    countries" -> both)."""
    if argument is None or not argument["actor"]:
        return []
    inside = [ref for ref in references
              if argument["start"] <= ref["start"] and ref["end"] <= argument["end"]]
    for ref in inside:
        if ref["antecedent"]["actor"] == argument["actor"]:
            same = [other["antecedent"]["actor"] for other in inside
                    if (other["start"], other["end"]) == (ref["start"], ref["end"])]
            return list(dict.fromkeys(actor for actor in same if actor))
    return [argument["actor"]]


def _actor_pairs(relation: dict[str, Any], references: Iterable[dict[str, Any]]
                 ) -> list[tuple[str, str]]:
    """The (subject actor, object actor) pairs of a relation, without self-loops; a political
    event's target stands for the object."""
    references = list(references)
    event = relation.get("event")
    targets = ([event["target"]] if event and event.get("target")
               else _argument_actors(relation["object"], references))
    return [(subject, obj) for subject in _argument_actors(relation["subject"], references)
            for obj in targets if subject != obj]


def _add_relation(edge: _Edge, relation: dict[str, Any], record: dict[str, Any]) -> None:
    edge.relations += 1
    lemma = predicate_lemma(relation["predicate"]["text"])
    edge.predicates["not " + lemma if relation["negated"] else lemma] += 1
    edge.categories.update(record["categories"])
    edge.claims[record["claim_id"]] = None
    if relation.get("event"):
        edge.events.append(relation["event"])


@dataclass
class _Edge:
    relations: int = 0
    predicates: Counter[str] = field(default_factory=Counter)
    categories: set[str] = field(default_factory=set)
    claims: dict[str, None] = field(default_factory=dict)
    events: list[dict[str, Any]] = field(default_factory=list)


def actor_graph(records: Iterable[dict[str, Any]]) -> nx.DiGraph:
    """The directed actor network of claim records.

    Node attributes: mentions (int), names (most frequent surface forms). Edge attributes:
    weight (number of relations), predicates (predicate lemmas, "not " before a negated one,
    most frequent first), categories (of the claims), claim_ids (in file order), and from
    the relations' events: events (types, most frequent first), quad (the most frequent
    quad class of the realised events, else "") and, when there are realised events,
    cooperation (their mean cooperation–conflict score, −1 to 1).
    """
    mentions: Counter[str] = Counter()
    names: dict[str, Counter[str]] = {}
    edges: dict[tuple[str, str], _Edge] = {}
    for record in records:
        for entity in record["entities"]:
            actor = entity["actor"]
            if actor:
                mentions[actor] += 1
                names.setdefault(actor, Counter())[entity["text"]] += 1
        references = record.get("references", ())
        for ref in references:
            if ref["antecedent"]["actor"]:
                mentions[ref["antecedent"]["actor"]] += 1
        for relation in record["relations"]:
            for subject, obj in _actor_pairs(relation, references):
                _add_relation(edges.setdefault((subject, obj), _Edge()), relation, record)
    graph = nx.DiGraph()
    for actor in sorted(set(mentions) | {actor for pair in edges for actor in pair}):
        surface = names.get(actor, Counter()).most_common(NAMES_PER_ACTOR)
        graph.add_node(actor, label=actor, mentions=mentions[actor],
                       names=JOIN.join(text for text, _ in surface))
    for (subject, obj), edge in sorted(edges.items()):
        ranked = sorted(edge.predicates.items(), key=lambda item: (-item[1], item[0]))
        graph.add_edge(subject, obj, weight=edge.relations,
                       predicates=JOIN.join(lemma for lemma, _ in ranked),
                       categories=JOIN.join(sorted(edge.categories)),
                       claim_ids=JOIN.join(edge.claims), **_event_attributes(edge.events))
    return graph


def _event_attributes(events: list[dict[str, Any]]) -> dict[str, Any]:
    """events, quad and (when defined) cooperation of one dyad."""
    types = Counter(event["type"] for event in events)
    quads = Counter(event["quad"] for event in events if event["mode"] in REALISED_MODES)
    attributes: dict[str, Any] = {
        "events": JOIN.join(t for t, _ in sorted(types.items(), key=lambda i: (-i[1], i[0]))),
        "quad": min(quads.items(), key=lambda item: (-item[1], item[0]))[0] if quads else "",
    }
    score = dyad_score(events)
    if score is not None:
        attributes["cooperation"] = score
    return attributes


def write_graph(graph: nx.DiGraph, path: str | Path) -> None:
    """Write GraphML, GEXF or node-link JSON (networkx's layout) by suffix, atomically."""
    suffix = Path(path).suffix.lower()
    if suffix not in SUFFIXES:
        raise ValueError(f"{path}: unknown graph format {suffix or '(no suffix)'}; "
                         f"use one of {', '.join(SUFFIXES)}")
    with atomic_path(path) as tmp:
        if suffix == ".graphml":
            nx.write_graphml(graph, tmp)
        elif suffix == ".gexf":
            nx.write_gexf(graph, tmp)
        else:
            data = nx.node_link_data(graph)
            tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n",
                           encoding="utf-8")
