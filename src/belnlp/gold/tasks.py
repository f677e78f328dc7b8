"""Pre-annotated tasks for annotation tools: belnlp's claims out as Label Studio, doccano or
Prodigy tasks, so that analysts correct predictions instead of annotating from nothing.

One task is one document, with its whole text, so that a missed claim can be marked where
it is. Predictions become regions over that text:
- each claim is a `CLAIM` region; its categories and modality go with it (Label Studio:
  per-region choices; doccano and Prodigy, which have no per-region attributes: spans
  `cat:CATEGORY` and `modality:MODALITY` over the claim's range);
- each entity of a claim is a region with its spaCy label (Label Studio: its actor in a
  per-region text box, shown for entity regions);
- a claim's attribution, when it has one, gives a `SPEAKER` and a `CUE` region.

`belnlp gold import` reads these regions back (belnlp.gold.goldset), so an unchanged task
file becomes gold that scores 1.0 against the claims it came from.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import quoteattr

TOOLS = ("labelstudio", "doccano", "prodigy")

CLAIM_LABEL = "CLAIM"
SPEAKER_LABEL = "SPEAKER"
CUE_LABEL = "CUE"
ATTRIBUTION_LABELS = frozenset({SPEAKER_LABEL, CUE_LABEL})
CATEGORY_PREFIX = "cat:"
MODALITY_PREFIX = "modality:"
NO_ACTOR = "-"

DEFAULT_CATEGORIES = ("economic", "historical", "military")
MODALITIES = ("asserted", "possible", "necessary", "predicted")
ENTITY_LABELS = ("PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "EVENT", "LAW")

# Label Studio control names: the labelling config and the task results must agree on them.
TEXT_NAME = "text"
CLAIM_CONTROL = "claim"
ENTITY_CONTROL = "entity"
ATTRIBUTION_CONTROL = "attribution"
CATEGORIES_CONTROL = "categories"
MODALITY_CONTROL = "modality"
ACTOR_CONTROL = "actor"

Record = dict[str, Any]


class TasksError(ValueError):
    """Claims that cannot become tasks; the message names the file and the problem."""


@dataclass(slots=True)
class TaskDocument:
    """One document to annotate: its text and the claims predicted in it."""

    doc_id: str
    text: str
    title: str | None
    date: str | None
    claims: list[Record] = field(default_factory=list)


def task_documents(claims: Iterable[Record], documents: Mapping[str, Record] | None,
                   source: str = "claims") -> list[TaskDocument]:
    """Claims grouped by document, in file order, with the text their offsets index.

    The text is the document record's; without documents, it is rebuilt from the claims
    (each at its offsets, the text between them blanked), which keeps every offset valid.
    """
    grouped: dict[str, list[Record]] = {}
    for claim in claims:
        grouped.setdefault(claim["doc_id"], []).append(claim)
    result = []
    for doc_id, members in grouped.items():
        record = (documents or {}).get(doc_id)
        if documents is not None and record is None:
            raise TasksError(f"{source}: no document record for doc_id {doc_id!r}")
        text = record["text"] if record else rebuilt_text(members)
        for claim in members:
            if text[claim["start"]:claim["end"]] != claim["text"]:
                raise TasksError(f"{source}: claim {claim['claim_id']} is not the text of "
                                 f"document {doc_id!r} at {claim['start']}-{claim['end']}")
        first = members[0]
        result.append(TaskDocument(
            doc_id=doc_id, text=text,
            title=record.get("title") if record else first.get("title"),
            date=record.get("date") if record else None,
            claims=sorted(members, key=lambda claim: (claim["start"], claim["end"]))))
    return result


def rebuilt_text(claims: Iterable[Record]) -> str:
    """A text holding each claim at its offsets; a gap between claims becomes a line break
    followed by spaces."""
    chars: list[str] = []
    for claim in sorted(claims, key=lambda claim: claim["start"]):
        gap = claim["start"] - len(chars)
        if gap > 0:
            chars.extend("\n" + " " * (gap - 1))
        chars[claim["start"]:claim["end"]] = claim["text"]
    return "".join(chars)


def regions(document: TaskDocument) -> list[Record]:
    """Every predicted region of a document, tool-neutral: {start, end, label} plus
    `categories` and `modality` on claims and `actor` on entities."""
    found: list[Record] = []
    for claim in document.claims:
        found.append({"start": claim["start"], "end": claim["end"], "label": CLAIM_LABEL,
                      "categories": list(claim.get("categories") or []),
                      "modality": claim.get("modality")})
        found.extend({"start": entity["start"], "end": entity["end"], "label": entity["label"],
                      "actor": entity.get("actor")} for entity in claim.get("entities") or [])
        attribution = claim.get("attribution") or {}
        for label, part in ((SPEAKER_LABEL, "speaker"), (CUE_LABEL, "cue")):
            if attribution.get(part):
                found.append({"start": attribution[part]["start"],
                              "end": attribution[part]["end"], "label": label})
    return found


def build_tasks(tool: str, documents: list[TaskDocument], model_version: str) -> list[Record]:
    """The tasks in `tool`'s import format (Label Studio: one JSON list; the others: lines)."""
    writers = {"labelstudio": labelstudio_task, "doccano": doccano_task,
               "prodigy": prodigy_task}
    if tool not in writers:
        raise TasksError(f"unknown annotation tool {tool!r}; use one of {', '.join(TOOLS)}")
    return [writers[tool](document, model_version) for document in documents]


def _meta(document: TaskDocument) -> Record:
    return {"doc_id": document.doc_id, "title": document.title, "date": document.date}


def span_labels(region: Record) -> list[str]:
    """The flat span labels of a region, for tools without per-region attributes."""
    if region["label"] != CLAIM_LABEL:
        return [region["label"]]
    labels = [CLAIM_LABEL] + [CATEGORY_PREFIX + c for c in region["categories"]]
    if region["modality"]:
        labels.append(MODALITY_PREFIX + region["modality"])
    return labels


def doccano_task(document: TaskDocument, model_version: str) -> Record:
    """doccano sequence-labelling JSONL: `text` and `label` [[start, end, label], ...];
    the other keys become the example's metadata. The project must allow overlapping spans."""
    spans = [[r["start"], r["end"], label] for r in regions(document)
             for label in span_labels(r)]
    return {"text": document.text, "label": spans, **_meta(document),
            "model_version": model_version}


def prodigy_task(document: TaskDocument, model_version: str) -> Record:
    """Prodigy JSONL for `spans.manual` (overlapping spans): `text`, `spans` and `meta`."""
    spans = [{"start": r["start"], "end": r["end"], "label": label} for r in regions(document)
             for label in span_labels(r)]
    meta = {"id": document.doc_id, "title": document.title, "date": document.date,
            "model_version": model_version}
    return {"text": document.text, "spans": spans, "meta": meta}


def labelstudio_task(document: TaskDocument, model_version: str) -> Record:
    """A Label Studio task with `data` and one `predictions` entry whose results name the
    controls of `labelstudio_config`; per-region results share their region's id."""
    results: list[Record] = []
    for number, region in enumerate(regions(document)):
        region_id = f"r{number}"
        value = {"start": region["start"], "end": region["end"],
                 "text": document.text[region["start"]:region["end"]]}
        control = (CLAIM_CONTROL if region["label"] == CLAIM_LABEL
                   else ATTRIBUTION_CONTROL if region["label"] in ATTRIBUTION_LABELS
                   else ENTITY_CONTROL)
        results.append(_ls_result(region_id, control, "labels",
                                  {**value, "labels": [region["label"]]}))
        if region["label"] == CLAIM_LABEL:
            if region["categories"]:
                results.append(_ls_result(region_id, CATEGORIES_CONTROL, "choices",
                                          {**value, "choices": region["categories"]}))
            if region["modality"]:
                results.append(_ls_result(region_id, MODALITY_CONTROL, "choices",
                                          {**value, "choices": [region["modality"]]}))
        elif region["label"] not in ATTRIBUTION_LABELS:
            actor = region.get("actor") or NO_ACTOR
            results.append(_ls_result(region_id, ACTOR_CONTROL, "textarea",
                                      {"start": region["start"], "end": region["end"],
                                       "text": [actor]}))
    return {"data": {TEXT_NAME: document.text, **_meta(document)},
            "predictions": [{"model_version": model_version, "result": results}]}


def _ls_result(region_id: str, control: str, kind: str, value: Record) -> Record:
    return {"id": region_id, "from_name": control, "to_name": TEXT_NAME, "type": kind,
            "value": value}


def labelstudio_config(documents: list[TaskDocument]) -> str:
    """The labelling config (XML) whose control names the tasks' predictions use.

    Entity labels are the scored ones plus any the claims hold; categories are the
    built-in ones plus any that user rules added.
    """
    found = [region for document in documents for region in regions(document)]
    entities = sorted(set(ENTITY_LABELS) | {r["label"] for r in found
                                            if r["label"] != CLAIM_LABEL
                                            and r["label"] not in ATTRIBUTION_LABELS})
    categories = sorted(set(DEFAULT_CATEGORIES) | {c for r in found
                                                   for c in r.get("categories", ())})

    def labels(name: str, values: Iterable[str]) -> list[str]:
        return ([f"  <Labels name={quoteattr(name)} toName={quoteattr(TEXT_NAME)}>"]
                + [f"    <Label value={quoteattr(value)}/>" for value in values]
                + ["  </Labels>"])

    def choices(name: str, values: Iterable[str], choice: str) -> list[str]:
        return ([f"  <Choices name={quoteattr(name)} toName={quoteattr(TEXT_NAME)} "
                 f'perRegion="true" choice="{choice}" visibleWhen="region-selected" '
                 f"whenLabelValue={quoteattr(CLAIM_LABEL)}>"]
                + [f"    <Choice value={quoteattr(value)}/>" for value in values]
                + ["  </Choices>"])

    lines = ["<View>", "  <Style>.htx-text { white-space: pre-wrap; }</Style>",
             *labels(CLAIM_CONTROL, [CLAIM_LABEL]), *labels(ENTITY_CONTROL, entities),
             *labels(ATTRIBUTION_CONTROL, [SPEAKER_LABEL, CUE_LABEL]),
             f'  <Text name={quoteattr(TEXT_NAME)} value="$text"/>',
             *choices(CATEGORIES_CONTROL, categories, "multiple"),
             *choices(MODALITY_CONTROL, MODALITIES, "single"),
             f"  <TextArea name={quoteattr(ACTOR_CONTROL)} toName={quoteattr(TEXT_NAME)} "
             'perRegion="true" maxSubmissions="1" editable="true" visibleWhen="region-selected" '
             f"whenLabelValue={quoteattr(','.join(entities))} "
             f'placeholder="actor ({NO_ACTOR}: none)"/>',
             "</View>"]
    return "\n".join(lines) + "\n"


def span_label_set(documents: list[TaskDocument]) -> list[str]:
    """Every flat span label the tasks may need (doccano, Prodigy's `--label`): those the
    claims use plus the built-in categories, every modality and the scored entity labels."""
    used = {label for document in documents for region in regions(document)
            for label in span_labels(region)}
    defaults = {CLAIM_LABEL, *ENTITY_LABELS, *ATTRIBUTION_LABELS,
                *(CATEGORY_PREFIX + c for c in DEFAULT_CATEGORIES),
                *(MODALITY_PREFIX + m for m in MODALITIES)}
    return sorted(used | defaults)


def config_path_for(tasks_path: str) -> str:
    """Where the Label Studio config goes beside a tasks file: tasks.json → tasks.config.xml."""
    stem = tasks_path.removesuffix(".json").removesuffix(".jsonl")
    return stem + ".config.xml"


def model_version(documents: list[TaskDocument]) -> str:
    """What made the predictions, from the claims' provenance: belnlp, model and rules."""
    for document in documents:
        for claim in document.claims:
            prov = claim.get("provenance") or {}
            return (f"belnlp {prov.get('belnlp', '?')} {prov.get('model', '?')} "
                    f"{prov.get('model_version', '?')} rules {prov.get('rules_hash', '?')}")
    return "belnlp"


def write_tasks(tool: str, documents: list[TaskDocument], output: str,
                config: str | None = None) -> None:
    """Write the tasks to `output` (`-`: stdout), and Label Studio's config to `config`,
    each atomically. Label Studio takes one JSON list; doccano and Prodigy take JSONL."""
    from belnlp.records import AtomicWriter
    from belnlp.views.outputs import write_text

    tasks = build_tasks(tool, documents, model_version(documents))
    if tool == "labelstudio":
        text = json.dumps(tasks, ensure_ascii=False, indent=1) + "\n"
        if output == "-":
            sys.stdout.write(text)
        else:
            write_text(output, text)
        if config is not None:
            write_text(config, labelstudio_config(documents))
        return
    with AtomicWriter(output) as out:
        for task in tasks:
            out.write(task)
