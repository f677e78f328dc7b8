"""Human-readable view of a claim and its evidence, for analysts tuning rules."""

from __future__ import annotations

from belnlp.records import Claim
from belnlp.views.speakers import speaker_line


def format_claim(claim: Claim) -> str:
    """The claim, its categories and modality, each rule that fired and what it matched."""
    lines = [
        f"claim {claim.claim_id}  [{claim.start}:{claim.end}]",
        f"  text:       {claim.text}",
        f"  categories: {', '.join(claim.categories) or '(none)'}",
        f"  modality:   {claim.modality}",
    ]
    said = speaker_line(claim.to_record())
    if said:
        lines.append(f"  {said}")
    for item in claim.evidence:
        lines.append(f"    {item['category']:<11} {item['rule']:<28} "
                     f"{item['match']!r} [{item['start']}:{item['end']}]")
        if "antecedent" in item:
            lines.append(f"{'':45}<- {item['antecedent']['text']!r} "
                         f"[{item['antecedent']['start']}:{item['antecedent']['end']}]")
    for ent in claim.entities:
        actor = f" -> {ent['actor']}" if ent["actor"] else ""
        lines.append(f"  entity:     {ent['text']!r} {ent['label']}{actor}")
    for ref in claim.references:
        actor = f" -> {ref['antecedent']['actor']}" if ref["antecedent"]["actor"] else ""
        lines.append(f"  reference:  {ref['text']!r} -> {ref['antecedent']['text']!r}{actor} "
                     f"({ref['rule']})")
    for rel in claim.relations:
        obj = rel["object"]["text"] if rel["object"] else "-"
        flags = " ".join(f for f, on in (("negated", rel["negated"]),) if on)
        lines.append(f"  relation:   ({rel['subject']['text']}; {rel['predicate']['text']}; "
                     f"{obj}) {rel['modality']} {flags}".rstrip())
        if rel.get("event"):
            event = rel["event"]
            lines.append(f"    event:    {event['source']} {event['type']} {event['target']} "
                         f"({event['quad']}, {event['mode']}) {event['rule']}")
    return "\n".join(lines)
