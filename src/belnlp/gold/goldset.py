"""The gold set: reading and validating gold JSONL, importing annotation-tool exports,
and giving the gold texts back as articles to extract from.

A gold file holds a document line followed by the sentence lines of that document
(data/schemas/gold.schema.json); several documents may follow each other in one file.
Every line is checked against the schema, and every sentence and entity against the
document text, so that a scorer never silently compares offsets into different texts.

A field left out of a sentence line means "not annotated": the evaluation skips that
layer (categories, entities, actors, relations, modality) instead of counting every
prediction for it as false. An empty list means "annotated, and there is none".
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match
from spacy.language import Language

from belnlp.gold.tasks import (
    ACTOR_CONTROL,
    ATTRIBUTION_LABELS,
    CATEGORY_PREFIX,
    CLAIM_LABEL,
    MODALITY_CONTROL,
    MODALITY_PREFIX,
    NO_ACTOR,
)
from belnlp.ingest.articles import Article, content_id
from belnlp.jsonl import numbered_records
from belnlp.records import schema

SPLITS = ("all", "held-out", "tuned")
IMPORT_KINDS = ("doccano", "labelstudio", "prodigy")
QUESTION_ENDINGS = ("?", "?”", '?"', "?’", "?'", "?)")


class GoldError(ValueError):
    """A gold or annotation file that cannot be used; the message names file, line and problem."""


@dataclass(frozen=True, slots=True)
class GoldDocument:
    """One annotated document: its text and its sentence lines, in text order."""

    doc_id: str
    text: str
    title: str | None
    date: str | None
    held_out: bool
    source: str
    sentences: list[dict[str, Any]] = field(default_factory=list)

    @property
    def claims(self) -> list[dict[str, Any]]:
        return [sentence for sentence in self.sentences if sentence["claim"]]


def read_gold(paths: Iterable[str | Path]) -> list[GoldDocument]:
    """Gold documents from files and directories (every *.jsonl below, sorted), validated."""
    documents: list[GoldDocument] = []
    seen: set[str] = set()
    for given in paths:
        for path in _gold_files(Path(given)):
            for document in parse_gold(_read_lines(path), str(path)):
                if document.doc_id in seen:
                    raise GoldError(f"{path}: doc_id {document.doc_id!r} appears twice "
                                    "in the gold set")
                seen.add(document.doc_id)
                documents.append(document)
    return documents


def _gold_files(path: Path) -> list[Path]:
    if path.is_dir():
        files = sorted(p for p in path.rglob("*.jsonl") if p.is_file())
        if not files:
            raise GoldError(f"{path}: no gold .jsonl files in this directory")
        return files
    if not path.exists():
        raise GoldError(f"{path}: no such file or directory")
    return [path]


def _read_lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError as exc:
        raise GoldError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise GoldError(f"{path}: cannot read: {exc.strerror or exc}") from None


def parse_gold(lines: Iterable[str], source: str) -> list[GoldDocument]:
    """Gold documents from JSONL lines; the first bad line raises GoldError naming source:line."""
    validator = Draft202012Validator(schema("gold"))
    documents: list[GoldDocument] = []
    previous_end = 0
    for record, where in numbered_records(lines, source, GoldError):
        if not validator.is_valid(record):
            raise GoldError(f"{where}: {_schema_problem(record)}")
        if record["type"] == "document":
            documents.append(GoldDocument(
                doc_id=record["doc_id"], text=record["text"], title=record.get("title"),
                date=record.get("date"), held_out=record.get("held_out", False), source=source,
            ))
            previous_end = 0
            continue
        if not documents:
            raise GoldError(f"{where}: sentence line before any document line")
        _check_sentence(record, documents[-1].text, previous_end, where)
        previous_end = record["end"]
        documents[-1].sentences.append(record)
    if not documents:
        raise GoldError(f"{source}: no document line")
    return documents


def _schema_problem(record: Any) -> str:
    """The most telling schema error, checked against the branch the line's type asks for."""
    branches = {"document": 0, "sentence": 1}
    kind = record.get("type") if isinstance(record, dict) else None
    if kind not in branches:
        return "'type' must be \"document\" or \"sentence\""
    branch = Draft202012Validator(schema("gold")["oneOf"][branches[kind]])
    error = best_match(branch.iter_errors(record))
    place = "/".join(str(part) for part in error.absolute_path)
    return f"{place}: {error.message}" if place else error.message


def _check_sentence(record: dict[str, Any], text: str, previous_end: int, where: str) -> None:
    start = record["start"]
    if start < previous_end:
        raise GoldError(f"{where}: sentence starts at {start}, before the previous one ends "
                        f"({previous_end})")
    _check_span(record, text, where, "sentence")
    for index, entity in enumerate(record.get("entities", [])):
        _check_span(entity, text, where, f"entities/{index}")
    check_attribution(record, where)


def check_attribution(sentence: dict[str, Any], where: str) -> None:
    """Speaker and cue of a sentence's attribution must be substrings of its text."""
    attribution = sentence.get("attribution")
    for key in ("speaker", "cue") if attribution else ():
        if attribution[key] not in sentence["text"]:
            raise GoldError(f"{where}: attribution {key} {attribution[key]!r} is not in the "
                            "sentence text")


def _check_span(item: dict[str, Any], text: str, where: str, what: str) -> None:
    start, end = item["start"], item["end"]
    if not 0 <= start <= end <= len(text):
        raise GoldError(f"{where}: {what} offsets {start}-{end} lie outside the document text "
                        f"({len(text)} characters)")
    if text[start:end] != item["text"]:
        raise GoldError(f"{where}: {what} text {item['text']!r} differs from the document text "
                        f"at {start}-{end} ({text[start:end]!r})")


def select_split(documents: list[GoldDocument], split: str) -> list[GoldDocument]:
    """'all', 'held-out' (held_out true) or 'tuned' (the documents the rules were tuned on)."""
    if split == "all":
        return list(documents)
    if split == "held-out":
        return [document for document in documents if document.held_out]
    if split == "tuned":
        return [document for document in documents if not document.held_out]
    raise GoldError(f"unknown split {split!r}; use one of {', '.join(SPLITS)}")


def gold_articles(documents: Iterable[GoldDocument]) -> list[Article]:
    """The gold texts as articles, so that extraction sees exactly what the gold annotates."""
    return [Article(doc_id=document.doc_id, source=document.source, text=document.text,
                    encoding=None, meta={"date": document.date}) for document in documents]


def export_records(documents: Iterable[GoldDocument]) -> list[dict[str, Any]]:
    """Extract-ready JSONL records {id, text, date}: `belnlp extract` keeps the gold doc_ids."""
    return [{"id": document.doc_id, "text": document.text, "date": document.date}
            for document in documents]


# --- importing annotation-tool exports ---------------------------------------------------


@dataclass(slots=True)
class _Task:
    """One annotated text from a tool: spans and document labels, None where not annotated."""

    doc_id: str
    text: str
    spans: list[tuple[int, int, str]] | None
    labels: list[str] | None
    title: str | None = None
    date: str | None = None
    actors: dict[tuple[int, int], str | None] = field(default_factory=dict)
    claims: list[dict[str, Any]] | None = None  # belnlp task regions (see belnlp.gold.tasks)


def import_gold(kind: str, path: str | Path, nlp: Language | None = None, *,
                model: str | None = None) -> list[dict[str, Any]]:
    """Gold lines (document line, then sentence lines, per document) from a tool's export.

    Tools annotate whole texts, so the sentences are split here with spaCy (`nlp`, by
    default `model`'s parser with line breaks as sentence starts, as in extraction, loaded
    only when an export needs splitting). Every sentence is a claim (kind "body") except a
    question (kind "question"); titles and furniture cannot be told apart in an export.

    Categories: the tools give category labels per document (doccano labels, Label Studio
    choices, Prodigy accept/label), so a document's labels become the categories of every
    one of its claim sentences. That is exact when each task is one sentence, the usual way
    to annotate categories, and an approximation for longer tasks. Where an export carries
    no document labels at all, categories are left out (not annotated) rather than set to
    [], so that the evaluation skips them. Likewise entities are left out where an export
    has no span annotations at all. Span labels are upper-cased (spaCy's labels), document
    labels lower-cased (belnlp's categories); modality, actors and relations are never in
    an export and are left out.

    Exports of belnlp's own tasks (belnlp.gold.tasks) hold CLAIM regions: then the claims
    are those regions, with the categories, modality and actors the regions carry, and no
    sentence splitting is needed.
    """
    readers = {"doccano": _doccano, "labelstudio": _labelstudio, "prodigy": _prodigy}
    if kind not in readers:
        raise GoldError(f"unknown annotation tool {kind!r}; use one of {', '.join(IMPORT_KINDS)}")
    path = Path(path)
    tasks = list(readers[kind](path))
    if not tasks:
        raise GoldError(f"{path}: no annotated text in this export")
    _fill_layers(tasks)
    if any(label == CLAIM_LABEL for task in tasks for *_, label in task.spans or ()):
        for task in tasks:
            _claim_regions(task, f"{path}: document {task.doc_id!r}")
    else:
        nlp = nlp or sentence_splitter(model)
        for task, doc in zip(tasks, nlp.pipe(task.text for task in tasks), strict=True):
            task.claims = list(_sentence_claims(task, doc.sents))
    lines: list[dict[str, Any]] = []
    for task in tasks:
        lines.append({"type": "document", "doc_id": task.doc_id, "title": task.title,
                      "subtitle": None, "author": None, "date": task.date, "held_out": False,
                      "text": task.text})
        lines.extend(_sentence_lines(task))
    return lines


def sentence_splitter(model: str | None = None) -> Language:
    """The installed spaCy model with line breaks as sentence starts, for imported texts."""
    import belnlp.nlp.components.line_breaks  # noqa: F401  (registers the factory)
    from belnlp.nlp.pipeline import DEFAULT_MODEL, load_model

    nlp = load_model(model or DEFAULT_MODEL)
    nlp.add_pipe("belnlp_line_breaks", before="parser")
    return nlp


def _fill_layers(tasks: list[_Task]) -> None:
    """A layer annotated on some task of an export is annotated (maybe empty) on all of them."""
    if any(task.spans is not None for task in tasks):
        for task in tasks:
            task.spans = task.spans or []
    if any(task.labels is not None for task in tasks):
        for task in tasks:
            task.labels = task.labels or []


def _sentence_claims(task: _Task, sents: Iterable) -> Iterator[dict[str, Any]]:
    """spaCy's sentences of a plain export: every one a claim with the document's labels,
    except questions."""
    for sent in sents:
        raw = sent.text
        start = sent.start_char + len(raw) - len(raw.lstrip())
        end = sent.end_char - (len(raw) - len(raw.rstrip()))
        if start >= end:
            continue
        question = task.text[start:end].endswith(QUESTION_ENDINGS)
        categories = None if task.labels is None else [] if question else task.labels
        yield {"start": start, "end": end, "claim": not question,
               "kind": "question" if question else "body", "categories": categories,
               "modality": None}


def _claim_regions(task: _Task, where: str) -> None:
    """Claims from belnlp's task regions: each CLAIM span is a claim; `cat:` and `modality:`
    spans belong to the claim they overlap most; SPEAKER and CUE spans are not entities.
    Categories are then annotated on every claim, as the task showed them."""
    spans = task.spans or []
    claims = sorted({(s, e) for s, e, label in spans if label == CLAIM_LABEL})
    for (_, end), (start, _) in zip(claims, claims[1:], strict=False):
        if start < end:
            raise GoldError(f"{where}: claim regions overlap at {start}-{end}")
    found = {span: {"start": span[0], "end": span[1], "claim": True, "kind": "body",
                    "categories": set(), "modality": None} for span in claims}
    entities = []
    for start, end, label in spans:
        if label.startswith((CATEGORY_PREFIX.upper(), MODALITY_PREFIX.upper())):
            best = max(claims, default=None,
                       key=lambda c: min(c[1], end) - max(c[0], start))
            if best is None or min(best[1], end) <= max(best[0], start):
                raise GoldError(f"{where}: {label.lower()} span {start}-{end} lies in no claim")
            prefix, value = label.lower().split(":", 1)
            if prefix + ":" == CATEGORY_PREFIX:
                found[best]["categories"].add(value)
            elif found[best]["modality"] not in (None, value):
                raise GoldError(f"{where}: claim {best[0]}-{best[1]} has two modalities")
            else:
                found[best]["modality"] = value
        elif label != CLAIM_LABEL and label not in ATTRIBUTION_LABELS:
            entities.append((start, end, label))
    task.spans = entities
    task.claims = [{**claim, "categories": sorted(claim["categories"])}
                   for claim in found.values()]


def _sentence_lines(task: _Task) -> Iterator[dict[str, Any]]:
    spans = sorted(task.spans or [])
    for claim in task.claims or []:
        start, end = claim["start"], claim["end"]
        line: dict[str, Any] = {"type": "sentence", "start": start, "end": end,
                                "text": task.text[start:end], "claim": claim["claim"],
                                "kind": claim["kind"]}
        if claim["categories"] is not None:
            line["categories"] = sorted(set(claim["categories"]))
        if claim["modality"] is not None:
            line["modality"] = claim["modality"]
        if task.spans is not None:
            line["entities"] = [_entity(task, s, e, label) for s, e, label in spans
                                if start <= s < end]
        yield line


def _entity(task: _Task, start: int, end: int, label: str) -> dict[str, Any]:
    entity: dict[str, Any] = {"text": task.text[start:end], "label": label, "start": start,
                              "end": end}
    if (start, end) in task.actors:
        entity["actor"] = task.actors[start, end]
    return entity


def _span(text: str, start: Any, end: Any, label: Any, where: str) -> tuple[int, int, str]:
    """A checked span with surrounding whitespace trimmed and its label upper-cased."""
    if not (isinstance(start, int) and isinstance(end, int) and isinstance(label, str)):
        raise GoldError(f"{where}: a span needs integer start and end and a string label")
    if not 0 <= start < end <= len(text):
        raise GoldError(f"{where}: span {start}-{end} lies outside the text "
                        f"({len(text)} characters)")
    piece = text[start:end]
    start += len(piece) - len(piece.lstrip())
    end -= len(piece) - len(piece.rstrip())
    if start >= end:
        raise GoldError(f"{where}: span covers only whitespace")
    return start, end, label.upper()


def _labels(values: Iterable[Any], where: str) -> list[str]:
    labels = list(values)
    if not all(isinstance(value, str) for value in labels):
        raise GoldError(f"{where}: document labels must be strings")
    return [label.lower() for label in labels]


def _text_of(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise GoldError(f"{where}: no text (a non-empty string is needed)")
    return value


def _jsonl_records(path: Path) -> Iterator[tuple[dict[str, Any], str]]:
    for record, where in numbered_records(_read_lines(path), str(path), GoldError):
        if not isinstance(record, dict):
            raise GoldError(f"{where}: record is not a JSON object")
        yield record, where


def _doc_id(value: Any, text: str) -> str:
    return str(value) if value is not None else content_id(text)


def _doccano(path: Path) -> Iterator[_Task]:
    """doccano JSONL: spans in "entities" or "label" ([start, end, label] or
    {start_offset, end_offset, label}); plain strings in "label" are document labels."""
    for record, where in _jsonl_records(path):
        text = _text_of(record.get("text"), where)
        items = record.get("entities", [])
        label_field = record.get("label", [])
        if not isinstance(items, list) or not isinstance(label_field, list):
            raise GoldError(f"{where}: 'entities' and 'label' must be lists")
        items = items + [item for item in label_field if not isinstance(item, str)]
        spans = [_doccano_span(text, item, where) for item in items]
        labels = _labels((item for item in label_field if isinstance(item, str)), where)
        has_spans = "entities" in record or bool(spans)
        yield _Task(_doc_id(record.get("doc_id", record.get("id")), text), text,
                    spans if has_spans else None, labels or None,
                    _optional_text(record.get("title")), _optional_text(record.get("date")))


def _doccano_span(text: str, item: Any, where: str) -> tuple[int, int, str]:
    if isinstance(item, list) and len(item) == 3:
        return _span(text, *item, where)
    if isinstance(item, dict):
        return _span(text, item.get("start_offset"), item.get("end_offset"), item.get("label"),
                     where)
    raise GoldError(f"{where}: a span must be [start, end, label] or "
                    "{start_offset, end_offset, label}")


def _labelstudio(path: Path) -> Iterator[_Task]:
    """Label Studio JSON export: a list of tasks; the first annotation that was not
    cancelled counts ("labels" results are spans, "choices" results document labels, or
    a region's when they share its id); tasks without one are not gold and are skipped."""
    try:
        tasks = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise GoldError(f"{path}: cannot read: {exc}") from None
    except json.JSONDecodeError as exc:
        raise GoldError(f"{path}:{exc.lineno}: not valid JSON ({exc.msg})") from None
    if not isinstance(tasks, list):
        raise GoldError(f"{path}: a Label Studio JSON export is a list of tasks")
    for index, task in enumerate(tasks):
        where = f"{path}: task {index}"
        if not isinstance(task, dict) or not isinstance(task.get("data"), dict):
            raise GoldError(f"{where}: a task is an object with a 'data' object")
        text = _text_of(task["data"].get("text"), f"{where}: data.text")
        done = [a for a in task.get("annotations") or [] if not a.get("was_cancelled")]
        if not done:
            continue
        spans, labels, actors = _labelstudio_results(text, done[0].get("result") or [], where)
        data = task["data"]
        yield _Task(_doc_id(data.get("doc_id", task.get("id")), text), text, spans, labels,
                    _optional_text(data.get("title")), _optional_text(data.get("date")),
                    actors)


def _labelstudio_results(text: str, results: list[Any], where: str
                         ) -> tuple[list[tuple[int, int, str]] | None, list[str] | None,
                                    dict[tuple[int, int], str | None]]:
    """Spans, document labels and actors of one annotation. A result sharing a region's id
    (or carrying offsets) is about that region: its choices become `cat:`/`modality:` spans
    over it and its text box the actor; other choices are document labels."""
    spans: list[tuple[int, int, str]] | None = None
    labels: list[str] | None = None
    actors: dict[tuple[int, int], str | None] = {}
    places: dict[Any, tuple[int, int]] = {}
    attribution_ids: set[Any] = set()
    for result in results:
        value = result.get("value") or {}
        if result.get("type") == "labels":
            spans = spans or []
            for label in value.get("labels") or []:
                span = _span(text, value.get("start"), value.get("end"), label, where)
                spans.append(span)
                if result.get("id") is None:
                    continue
                if span[2] in ATTRIBUTION_LABELS:
                    attribution_ids.add(result["id"])
                else:
                    places.setdefault(result["id"], span[:2])
    for result in results:
        value = result.get("value") or {}
        if result.get("id") in attribution_ids:
            continue  # about a SPEAKER or CUE region: attribution is not imported
        place = places.get(result["id"]) if result.get("id") is not None else None
        if place is None and isinstance(value.get("start"), int):
            place = _span(text, value.get("start"), value.get("end"), "", where)[:2]
        if result.get("type") == "choices" and place is not None:
            prefix = (MODALITY_PREFIX if result.get("from_name") == MODALITY_CONTROL
                      else CATEGORY_PREFIX)
            spans = spans or []
            spans.extend((*place, (prefix + choice).upper())
                         for choice in _labels(value.get("choices") or [], where))
        elif result.get("type") == "choices":
            labels = (labels or []) + _labels(value.get("choices") or [], where)
        elif (result.get("type") == "textarea" and result.get("from_name") == ACTOR_CONTROL
              and place is not None):
            typed = [t.strip() for t in value.get("text") or [] if isinstance(t, str)]
            actors[place] = typed[0] if typed and typed[0] not in ("", NO_ACTOR) else None
    return spans, labels, actors


def _optional_text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _prodigy(path: Path) -> Iterator[_Task]:
    """Prodigy/spaCy JSONL: "spans" [{start, end, label}], document labels from "accept"
    (choice interface) or an accepted "label" (binary classification). Records with the
    same text are merged; ignored records are skipped, and a rejected record counts only
    as a binary "not this label" answer (the text is then annotated for categories)."""
    tasks: dict[str, _Task] = {}
    for record, where in _jsonl_records(path):
        answer = record.get("answer", "accept")
        binary = isinstance(record.get("label"), str) and "spans" not in record
        if answer == "ignore" or (answer == "reject" and not binary):
            continue
        text = _text_of(record.get("text"), where)
        meta = record.get("meta") if isinstance(record.get("meta"), dict) else {}
        task = tasks.setdefault(text, _Task(_doc_id(meta.get("id"), text), text, None, None,
                                            _optional_text(meta.get("title")),
                                            _optional_text(meta.get("date"))))
        if "spans" in record:
            items = record["spans"]
            if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
                raise GoldError(f"{where}: 'spans' must be a list of objects")
            spans = [_span(text, i.get("start"), i.get("end"), i.get("label"), where)
                     for i in items]
            task.spans = sorted(set(task.spans or []) | set(spans))
        if "accept" in record:
            if not isinstance(record["accept"], list):
                raise GoldError(f"{where}: 'accept' must be a list")
            task.labels = (task.labels or []) + _labels(record["accept"], where)
        elif binary:
            accepted = [record["label"]] if answer == "accept" else []
            task.labels = (task.labels or []) + _labels(accepted, where)
    yield from tasks.values()
