"""One self-contained HTML page of a claims file, to read the claims in their articles.

Each article's text is shown with its claims highlighted in their categories' colours (a
claim with several categories gets stripes, one underline per category and a badge each),
entities marked with label and actor, and each claim's evidence in its tooltip and, on click,
in a panel. At the top, two SVG charts: claims per category per document, and the actor
network. Everything is inline (CSS, JS, SVG) and every piece of text is HTML-escaped, so the
file opens offline and an article cannot inject markup.
"""

from __future__ import annotations

import html
import math
from collections import Counter
from collections.abc import Iterable
from itertools import pairwise
from typing import Any

from belnlp.nlp.extract.events import QUADS
from belnlp.views.graph import actor_graph
from belnlp.views.speakers import speaker_attributes, speaker_line

#: Colours of the built-in categories; any other category takes the next of EXTRA_COLOURS.
CATEGORY_COLOURS = {"historical": "#b7791f", "economic": "#2f855a", "military": "#c53030"}
EXTRA_COLOURS = ("#2b6cb0", "#6b46c1", "#b83280", "#2c7a7b", "#975a16", "#4a5568")
NO_CATEGORY = "(none)"
NO_CATEGORY_COLOUR = "#a0aec0"
#: Seed of the actor network layout, so the same file always draws the same picture.
LAYOUT_SEED = 7
#: Network edge colours by the quad class of the dyad's events; grey without events.
QUAD_COLOURS = dict(zip(QUADS, ("#68d391", "#276749", "#ed8936", "#c53030"), strict=True))
NO_QUAD_COLOUR = "#4a5568"
STRIPE = 8

CSS = """
:root { color-scheme: light; }
body { margin: 0 auto; max-width: 1000px; padding: 1rem 1.5rem 4rem; color: #1a202c;
  font: 15px/1.55 system-ui, -apple-system, "Segoe UI", sans-serif; }
h1 { font-size: 1.5rem; margin: .5rem 0; }
h2 { font-size: 1.2rem; margin: 2rem 0 .25rem; }
.meta, .note { color: #4a5568; font-size: .85rem; margin: .2rem 0 .6rem; }
.note { color: #9b2c2c; }
.legend span { margin-right: .8rem; white-space: nowrap; }
.swatch { display: inline-block; width: .8em; height: .8em; border-radius: 2px;
  vertical-align: -.05em; margin-right: .25em; }
.charts { display: flex; flex-wrap: wrap; align-items: flex-start; gap: 1rem; margin: 1rem 0; }
.chart { flex: 1 1 440px; margin: 0; border: 1px solid #e2e8f0; border-radius: 6px;
  padding: .5rem; }
.chart figcaption { font-weight: 600; margin-bottom: .3rem; }
.chart svg { display: block; width: 100%; height: auto; }
.chart text { font: 11px system-ui, sans-serif; fill: #2d3748; }
nav ol { columns: 2; font-size: .9rem; }
.text { white-space: pre-wrap; font: 16px/1.7 Georgia, "Times New Roman", serif; }
.claim { border-radius: 3px; cursor: pointer; padding: 1px 0;
  -webkit-box-decoration-break: clone; box-decoration-break: clone; }
.claim.uncategorised { box-shadow: inset 0 -1px 0 #a0aec0; }
.claim:focus { outline: 2px solid #3182ce; }
.badge { font: 600 10px/1 system-ui, sans-serif; color: #fff; border-radius: 3px;
  padding: 2px 4px; margin-left: 4px; vertical-align: 2px; white-space: nowrap; }
mark.ent { background: #ffffffb0; color: inherit; border: 1px solid #a0aec0;
  border-radius: 3px; padding: 0 2px; }
.ent-label { font: 600 9px/1 system-ui, sans-serif; color: #4a5568; margin-left: 3px;
  vertical-align: 1px; }
.ev { text-decoration-line: underline; text-decoration-style: dotted;
  text-decoration-thickness: 2px; text-underline-offset: 5px; }
.evidence { display: none; }
.claim.open .evidence { display: block; white-space: normal; cursor: auto; margin: .3rem 0;
  padding: .4rem .6rem; background: #fff; border: 1px solid #cbd5e0; border-radius: 4px;
  font: 13px/1.4 system-ui, sans-serif; }
.evidence span { display: block; }
.claim.reported { font-style: italic; }
.claim.reported::before { content: attr(data-speaker) " says"; font: 600 10px/1 system-ui,
  sans-serif; color: #2d3748; background: #edf2f7; border: 1px solid #a0aec0;
  border-radius: 3px; padding: 1px 4px; margin-right: 4px; vertical-align: 2px;
  white-space: nowrap; font-style: normal; }
"""

JS = """
function toggle(claim) { claim.classList.toggle("open"); }
document.addEventListener("click", function (event) {
  var claim = event.target.closest(".claim");
  if (claim && !event.target.closest(".evidence")) { toggle(claim); }
});
document.addEventListener("keydown", function (event) {
  if (event.key === "Enter" && event.target.classList.contains("claim")) {
    toggle(event.target);
  }
});
"""


def esc(value: Any) -> str:
    """Text safe in HTML content and in quoted attributes."""
    return html.escape(str(value), quote=True)


def category_colours(categories: Iterable[str]) -> dict[str, str]:
    """A colour per category: fixed for the built-in three, the palette in name order after."""
    colours = dict(CATEGORY_COLOURS)
    extra = iter(EXTRA_COLOURS)
    for category in sorted(set(categories) - set(colours)):
        colours[category] = next(extra, EXTRA_COLOURS[-1])
    return colours


def build_report(records: list[dict[str, Any]], documents: dict[str, dict[str, Any]],
                 *, source: str) -> str:
    """The whole HTML page for claim records and the document records they index."""
    by_doc: dict[str, list[dict[str, Any]]] = {}
    for record in records:
        by_doc.setdefault(record["doc_id"], []).append(record)
    colours = category_colours(c for record in records for c in record["categories"])
    per_category = Counter(c for record in records for c in record["categories"] or [NO_CATEGORY])
    legend = "".join(
        f'<span><i class="swatch" style="background:{colour}"></i>{esc(name)} '
        f"({per_category[name]})</span>"
        for name, colour in [*colours.items(), (NO_CATEGORY, NO_CATEGORY_COLOUR)]
        if per_category[name]
    )
    sections = [
        _document_section(index, doc_id, claims, documents.get(doc_id), colours)
        for index, (doc_id, claims) in enumerate(by_doc.items())
    ]
    contents = "".join(
        f'<li><a href="#doc-{index}">{esc(_doc_label(doc_id, claims, documents.get(doc_id)))}</a> '
        f"({len(claims)})</li>"
        for index, (doc_id, claims) in enumerate(by_doc.items())
    )
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>belnlp report: {esc(source)}</title><style>{CSS}</style></head><body>"
        f"<header><h1>Claims in {esc(source)}</h1>"
        f'<p class="meta">{len(by_doc)} documents · {len(records)} claims · '
        "hover a claim or a badge for its evidence, click a claim to pin it</p>"
        f'<p class="legend">{legend}</p></header>'
        '<section class="charts">'
        '<figure class="chart" id="chart-categories">'
        "<figcaption>Claims per category per document</figcaption>"
        f"{category_bars_svg(by_doc, documents, colours)}</figure>"
        '<figure class="chart" id="chart-actors">'
        "<figcaption>Actor network (subject → object of relations)</figcaption>"
        f"{actor_network_svg(records)}"
        f'<p class="legend">edges: {quad_legend()}</p></figure></section>'
        f"<nav><ol>{contents}</ol></nav>"
        f"{''.join(sections)}"
        f"<script>{JS}</script></body></html>\n"
    )


def _doc_label(doc_id: str, claims: list[dict[str, Any]], document: dict[str, Any] | None
               ) -> str:
    """The document's title, else the claims' title, else its id."""
    return (document or {}).get("title") or claims[0].get("title") or doc_id


def _document_section(index: int, doc_id: str, claims: list[dict[str, Any]],
                      document: dict[str, Any] | None, colours: dict[str, str]) -> str:
    """One article: heading, metadata and its text with the claims highlighted.

    Without the document's text (no documents file) the claims are shown one per paragraph.
    A claim whose text is not at its offsets in the document is shown unhighlighted and counted.
    """
    title = _doc_label(doc_id, claims, document)
    meta = [esc(claims[0]["source"]), f"{len(claims)} claims"]
    if document and document.get("date"):
        meta.insert(1, esc(document["date"]))
    note = ""
    if document is None:
        body = "\n\n".join(claim_html(claim, colours) for claim in claims)
        note = "The article text is not available (no document record); claims only."
    else:
        body, misplaced = _highlighted_text(document["text"], claims, colours)
        if misplaced:
            note = (f"{misplaced} claim(s) do not match the article text at their offsets "
                    "and are not highlighted: is this the right documents file?")
    return (
        f'<section class="doc" id="doc-{index}" data-doc-id="{esc(doc_id)}">'
        f"<h2>{esc(title)}</h2><p class=\"meta\">{' · '.join(meta)}</p>"
        + (f'<p class="note">{esc(note)}</p>' if note else "")
        + f'<div class="text">{body}</div></section>'
    )


def _highlighted_text(text: str, claims: list[dict[str, Any]], colours: dict[str, str]
                      ) -> tuple[str, int]:
    parts: list[str] = []
    position = misplaced = 0
    for claim in sorted(claims, key=lambda claim: (claim["start"], claim["end"])):
        start, end = claim["start"], claim["end"]
        if start < position or text[start:end] != claim["text"]:
            misplaced += 1
            continue
        parts.append(esc(text[position:start]))
        parts.append(claim_html(claim, colours))
        position = end
    parts.append(esc(text[position:]))
    return "".join(parts), misplaced


def claim_html(claim: dict[str, Any], colours: dict[str, str]) -> str:
    """A claim's span: its text with entity marks and evidence underlines, category badges,
    the evidence as tooltip and as a hidden panel that a click opens."""
    categories = claim["categories"]
    evidence_lines = [f"{item['category']}: {item['rule']} “{item['match']}”"
                      for item in claim["evidence"]]
    said = speaker_line(claim)
    tooltip = "\n".join([*evidence_lines, f"modality: {claim['modality']}",
                         *([said] if said else [])])
    badges = "".join(
        f'<span class="badge" style="background:{colours[category]}" '
        f'title="{esc(_category_evidence(claim, category))}">{esc(category)}</span>'
        for category in categories
    )
    panel = "".join(f"<span>{esc(line)}</span>" for line in [
        *(evidence_lines or ["no category evidence"]),
        f"modality: {claim['modality']}",
        *_time_lines(claim.get("time")),
        *([said] if said else []),
        *(_relation_line(relation) for relation in claim["relations"]),
    ])
    classes = ("claim" if categories else "claim uncategorised") + (" reported" if said else "")
    return (
        f'<span class="{classes}" tabindex="0" data-claim-id="{esc(claim["claim_id"])}" '
        f'data-categories="{esc(" ".join(categories))}"{speaker_attributes(claim)} '
        f'style="{_claim_style(categories, colours)}" title="{esc(tooltip)}">'
        f"{_claim_text(claim, colours)}{badges}"
        f'<span class="evidence">{panel}</span></span>'
    )


def _category_evidence(claim: dict[str, Any], category: str) -> str:
    matches = [f"{item['rule']} “{item['match']}”" for item in claim["evidence"]
               if item["category"] == category]
    return f"{category}: " + "; ".join(matches)


def _time_lines(time: dict[str, Any] | None) -> list[str]:
    """The claim's time frame and each anchor with its value and relation to the article."""
    if not time:
        return []
    anchors = [f"anchor: “{anchor['text']}” → {anchor['value'] or anchor['granularity']} "
               f"({anchor['relation']})" for anchor in time["anchors"]]
    return [f"time frame: {time['frame']}", *anchors]


def _relation_line(relation: dict[str, Any]) -> str:
    obj = relation["object"]["text"] if relation["object"] else "—"
    flags = " · negated" if relation["negated"] else ""
    event = relation.get("event")
    if event:
        flags += f" · {event['type']} {event['source']}→{event['target']} ({event['mode']})"
    return (f"({relation['subject']['text']}; {relation['predicate']['text']}; {obj}) "
            f"{relation['modality']}{flags}")


def _claim_style(categories: list[str], colours: dict[str, str]) -> str:
    """Tinted background (stripes for several categories) and one underline per category."""
    if not categories:
        return ""
    tints = [colours[category] + "38" for category in categories]
    if len(tints) == 1:
        background = tints[0]
    else:
        stops = ", ".join(f"{tint} {i * STRIPE}px {(i + 1) * STRIPE}px"
                          for i, tint in enumerate(tints))
        background = f"repeating-linear-gradient(135deg, {stops})"
    underlines = ", ".join(f"inset 0 -{2 * (i + 1)}px 0 {colours[category]}"
                           for i, category in enumerate(categories))
    return f"background: {background}; box-shadow: {underlines}"


def _claim_text(claim: dict[str, Any], colours: dict[str, str]) -> str:
    """The claim's text cut at entity and evidence boundaries; entities become marks (label
    and actor shown after the name) and evidence matches get their category's underline."""
    text, base = claim["text"], claim["start"]

    def local(item: dict[str, Any]) -> tuple[int, int]:
        return max(0, item["start"] - base), min(len(text), item["end"] - base)

    entities = [(*local(entity), entity) for entity in claim["entities"]]
    entities = [(s, e, entity) for s, e, entity in entities if s < e]
    evidence = [(*local(item), item) for item in claim["evidence"]]
    cuts = sorted({0, len(text)} | {edge for s, e, _ in entities + evidence for edge in (s, e)})
    starts = {s: entity for s, e, entity in entities}
    ends = {e: entity for s, e, entity in entities}
    parts: list[str] = []
    open_entity = False
    for a, b in pairwise(cuts):
        if a in starts and not open_entity:
            entity = starts[a]
            actor = f" · actor {entity['actor']}" if entity["actor"] else ""
            parts.append(f'<mark class="ent" data-label="{esc(entity["label"])}" '
                         f'data-actor="{esc(entity["actor"] or "")}" '
                         f'title="{esc(entity["label"] + actor)}">')
            open_entity = True
        segment = esc(text[a:b])
        covering = [item for s, e, item in evidence if s <= a and b <= e]
        if covering:
            colour = colours.get(covering[0]["category"], NO_CATEGORY_COLOUR)
            segment = (f'<span class="ev" style="text-decoration-color:{colour}" '
                       f'title="{esc(covering[0]["rule"])}">{segment}</span>')
        parts.append(segment)
        if b in ends and open_entity:
            entity = ends[b]
            label = entity["label"] + (f" {entity['actor']}" if entity["actor"] else "")
            parts.append(f'<span class="ent-label">{esc(label)}</span></mark>')
            open_entity = False
    return "".join(parts)


def category_bars_svg(by_doc: dict[str, list[dict[str, Any]]],
                      documents: dict[str, dict[str, Any]], colours: dict[str, str]) -> str:
    """Horizontal bars: for each document, one bar per category with its number of claims."""
    names = [*sorted(colours), NO_CATEGORY]
    fill = {**colours, NO_CATEGORY: NO_CATEGORY_COLOUR}
    counts = {
        doc_id: Counter(c for claim in claims for c in claim["categories"] or [NO_CATEGORY])
        for doc_id, claims in by_doc.items()
    }
    shown = [name for name in names if any(count[name] for count in counts.values())]
    width, label_width, bar, gap = 640, 210, 12, 14
    plot = width - label_width - 40
    most = max((count[name] for count in counts.values() for name in shown), default=0) or 1
    height = max(40, len(by_doc) * (len(shown) * bar + gap) + gap)
    parts = [f'<svg viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
             f'role="img" aria-label="Claims per category per document">']
    y = gap
    for doc_id, claims in by_doc.items():
        label = _doc_label(doc_id, claims, documents.get(doc_id))
        short = label if len(label) <= 34 else label[:33] + "…"
        group_height = len(shown) * bar
        parts.append(f'<text x="{label_width - 8}" y="{y + group_height / 2 + 4:.1f}" '
                     f'text-anchor="end"><title>{esc(label)}</title>{esc(short)}</text>')
        for name in shown:
            count = counts[doc_id][name]
            length = plot * count / most
            parts.append(
                f'<rect class="bar" x="{label_width}" y="{y}" width="{length:.1f}" '
                f'height="{bar - 2}" fill="{fill[name]}"><title>{esc(label)} · {esc(name)}: '
                f"{count}</title></rect>"
                f'<text x="{label_width + length + 4:.1f}" y="{y + bar - 3}">{count}</text>'
            )
            y += bar
        y += gap
    if not by_doc:
        parts.append('<text x="10" y="24">no claims</text>')
    parts.append("</svg>")
    return "".join(parts)


def actor_network_svg(records: list[dict[str, Any]]) -> str:
    """The actor network: actors in relations drawn with a seeded spring layout (node size by
    mentions, edge width by relations, curved arrows so that A→B and B→A stay apart); actors
    only mentioned, in a row below, so they do not squeeze the connected ones together."""
    import networkx as nx

    graph = actor_graph(records)
    width, height, margin, row = 640, 440, 36, 34
    parts = [f'<svg viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
             'role="img" aria-label="Actor network">'
             f"<defs>{''.join(_arrow(i, c) for i, c in enumerate(_edge_colours()))}</defs>"]
    if not graph:
        parts.append('<text x="10" y="24">no actors</text></svg>')
        return "".join(parts)
    linked = [node for node in graph if graph.degree(node)]
    alone = [node for node in graph if not graph.degree(node)]
    per_row = (width - 2 * margin) // 60
    rows = -(-len(alone) // per_row)
    bottom = height - margin - rows * row
    # Laid out undirected: a directed pair pulls twice and packs hubs into a knot.
    undirected = graph.subgraph(linked).to_undirected()
    layout = nx.spring_layout(undirected, seed=LAYOUT_SEED) if linked else {}
    xs = [float(x) for x, _ in layout.values()]
    ys = [float(y) for _, y in layout.values()]
    place = {node: (_scale(float(x), min(xs), max(xs), margin, width - margin),
                    _scale(float(y), min(ys), max(ys), margin, bottom))
             for node, (x, y) in layout.items()}
    for index, node in enumerate(alone):
        line, column = divmod(index, per_row)
        place[node] = (margin + 30 + column * 60, bottom + row * (line + 1))
    radius = {node: min(18.0, 4 + 1.5 * math.sqrt(data["mentions"]))
              for node, data in graph.nodes(data=True)}
    for source, target, data in graph.edges(data=True):
        (x1, y1), (x2, y2) = place[source], place[target]
        parts.append(_edge_path(x1, y1, x2, y2, radius[source], radius[target], data,
                                f"{source} → {target}"))
    for node, data in graph.nodes(data=True):
        x, y = place[node]
        names = data["names"].replace("|", ", ")
        colour = "#3182ce" if graph.degree(node) else "#a0aec0"
        parts.append(
            f'<g class="node"><title>{esc(node)}: {data["mentions"]} mentions'
            f"{' (' + esc(names) + ')' if names else ''}</title>"
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius[node]:.1f}" fill="{colour}" '
            'fill-opacity="0.85" stroke="#fff" stroke-width="1.5"/>'
            f'<text x="{x:.1f}" y="{y - radius[node] - 3:.1f}" text-anchor="middle">'
            f"{esc(node)}</text></g>"
        )
    parts.append("</svg>")
    return "".join(parts)


def _edge_colours() -> list[str]:
    return [NO_QUAD_COLOUR, *QUAD_COLOURS.values()]


def _arrow(index: int, colour: str) -> str:
    return (f'<marker id="arrow{index}" viewBox="0 0 10 10" refX="9" refY="5" '
            'markerUnits="userSpaceOnUse" markerWidth="9" markerHeight="9" '
            f'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="{colour}"/>'
            "</marker>")


def quad_legend() -> str:
    """The legend of the network's edge colours."""
    items = [*QUAD_COLOURS.items(), ("no event", NO_QUAD_COLOUR)]
    return "".join(f'<span><i class="swatch" style="background:{colour}"></i>{esc(name)}</span>'
                   for name, colour in items)


def _scale(value: float, low: float, high: float, start: float, stop: float) -> float:
    if high - low < 1e-9:
        return (start + stop) / 2
    return start + (value - low) / (high - low) * (stop - start)


def _edge_path(x1: float, y1: float, x2: float, y2: float, r1: float, r2: float,
               data: dict[str, Any], name: str) -> str:
    """A gently curved arrow from the rim of one node to the rim of the other."""
    dx, dy = x2 - x1, y2 - y1
    length = math.hypot(dx, dy) or 1.0
    ux, uy = dx / length, dy / length
    sx, sy = x1 + ux * r1, y1 + uy * r1
    ex, ey = x2 - ux * (r2 + 2), y2 - uy * (r2 + 2)
    bend = 0.12 * length
    cx, cy = (sx + ex) / 2 - uy * bend, (sy + ey) / 2 + ux * bend
    stroke = 1 + math.log2(data["weight"])
    quad = data.get("quad", "")
    colour = QUAD_COLOURS.get(quad, NO_QUAD_COLOUR)
    events = data.get("events", "")
    score = f" · cooperation {data['cooperation']:+.2f}" if "cooperation" in data else ""
    tip = (f"{name} · {data['weight']} relation(s) · {data['predicates'].replace('|', ', ')}"
           f"{' · events: ' + events.replace('|', ', ') if events else ''}{score}"
           f" · claims: {data['claim_ids'].replace('|', ', ')}")
    return (f'<path class="edge" data-quad="{esc(quad)}" '
            f'd="M{sx:.1f},{sy:.1f} Q{cx:.1f},{cy:.1f} {ex:.1f},{ey:.1f}" '
            f'fill="none" stroke="{colour}" stroke-opacity="0.8" stroke-width="{stroke:.1f}" '
            f'marker-end="url(#arrow{_edge_colours().index(colour)})"><title>{esc(tip)}</title>'
            "</path>")
