"""Plain-text and Markdown tables of records (rows with the same keys), as the evaluation
and diff reports print them: floats to three decimals, None as "-"."""

from __future__ import annotations

from typing import Any

DIGITS = 3

Record = dict[str, Any]


def cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.{DIGITS}f}"
    if isinstance(value, list):
        return " ".join(map(str, value))
    return str(value)


def text_table(rows: list[Record]) -> str:
    """Columns padded to width: numbers and counts right-aligned, text left-aligned."""
    if not rows:
        return "(none)"
    columns = list(rows[0])
    cells = [[cell(row[column]) for column in columns] for row in rows]
    widths = [max(len(column), *(len(line[i]) for line in cells))
              for i, column in enumerate(columns)]
    numeric = [all(isinstance(row[column], int | float) or row[column] is None for row in rows)
               and not all(isinstance(row[column], bool) for row in rows)
               for column in columns]

    def line(values: list[str]) -> str:
        return "  ".join(value.rjust(width) if right else value.ljust(width)
                         for value, width, right in zip(values, widths, numeric, strict=True)
                         ).rstrip()

    return "\n".join([line(columns), *(line(values) for values in cells)])


def markdown_table(rows: list[Record]) -> str:
    if not rows:
        return "(none)"
    columns = list(rows[0])
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    for row in rows:
        cells = (cell(row[column]).replace("|", "\\|").replace("\n", " ") for column in columns)
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)
