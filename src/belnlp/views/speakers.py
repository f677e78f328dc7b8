"""Who says it, in the views: speaker columns for inspect, the speaker line and marker of
the report, and the speaker edges of the actor graph.

Records written before claims carried `attribution` read as the author's own claims.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from typing import Any

import networkx as nx
import pandas as pd

#: Summary keys for claims the author makes, and for speakers without an actor.
AUTHOR = "(author)"
NO_ACTOR = "(no actor)"
JOIN = "|"


def speaker_columns(records: list[dict[str, Any]]) -> dict[str, list[Any]]:
    """speaker, speaker_actor and cue per claim record (None for the author's claims)."""
    attributions = [record.get("attribution") or {} for record in records]
    return {
        "speaker": [item.get("speaker", {}).get("text") for item in attributions],
        "speaker_actor": [item.get("speaker", {}).get("actor") for item in attributions],
        "cue": [item.get("cue", {}).get("text") for item in attributions],
    }


def speaker_counts(claims: pd.DataFrame) -> pd.Series:
    """Claims per speaker actor, with AUTHOR for the author's own and NO_ACTOR for speakers
    that have no actor."""
    keys = claims["speaker_actor"].where(claims["speaker_actor"].notna(), NO_ACTOR)
    keys = keys.where(claims["speaker"].notna(), AUTHOR)
    return keys.value_counts()


def speaker_line(claim: dict[str, Any]) -> str | None:
    """"said by: X (ACTOR) · cue “said” [rule] · indirect" for a reported claim."""
    attribution = claim.get("attribution")
    if not attribution:
        return None
    speaker, cue = attribution["speaker"], attribution["cue"]
    actor = f" ({speaker['actor']})" if speaker["actor"] else ""
    return (f"said by: {speaker['text']}{actor} · cue “{cue['text']}” [{cue['rule']}] · "
            f"{attribution['type']}")


def speaker_attributes(claim: dict[str, Any]) -> str:
    """The report's data attributes of a reported claim (its CSS shows "X says" before it,
    outside the text, so the article text stays as it is)."""
    attribution = claim.get("attribution")
    if not attribution:
        return ""
    speaker = attribution["speaker"]
    return (f' data-speaker="{escape(speaker["actor"] or speaker["text"])}"'
            f' data-cue="{escape(attribution["cue"]["text"])}"')


def add_speaker_edges(graph: nx.DiGraph, records: Iterable[dict[str, Any]]) -> nx.DiGraph:
    """Edges from each speaker's actor to the actors its claims are about (their entities'
    and relation arguments' actors, other than the speaker's own).

    Edge attributes: speaker_claims (number of such claims) and speaker_claim_ids; an edge
    that only speakers make has weight 0 and no predicates. Every edge gets both attributes,
    so that GraphML and GEXF files have one schema.
    """
    claims: dict[tuple[str, str], dict[str, None]] = {}
    categories: dict[tuple[str, str], set[str]] = {}
    for record in records:
        attribution = record.get("attribution")
        speaker = attribution["speaker"]["actor"] if attribution else None
        if not speaker:
            continue
        for target in sorted(_actors(record) - {speaker}):
            claims.setdefault((speaker, target), {})[record["claim_id"]] = None
            categories.setdefault((speaker, target), set()).update(record["categories"])
    for actor in sorted({actor for pair in claims for actor in pair}):
        if actor not in graph:
            graph.add_node(actor, label=actor, mentions=0, names="")
    for _, _, data in graph.edges(data=True):
        data.update(speaker_claims=0, speaker_claim_ids="")
    for (speaker, target), ids in sorted(claims.items()):
        if not graph.has_edge(speaker, target):
            graph.add_edge(speaker, target, weight=0, predicates="", categories="",
                           claim_ids="")
        data = graph.edges[speaker, target]
        joined = set(filter(None, data["categories"].split(JOIN))) | categories[speaker, target]
        data.update(speaker_claims=len(ids), speaker_claim_ids=JOIN.join(ids),
                    categories=JOIN.join(sorted(joined)))
    return graph


def _actors(record: dict[str, Any]) -> set[str]:
    actors = {entity["actor"] for entity in record["entities"]}
    for relation in record["relations"]:
        actors.add(relation["subject"]["actor"])
        actors.add((relation["object"] or {}).get("actor"))
    return actors - {None}
