"""Tables 1-2 as Pandoc Markdown blocks (caption, pipe table, source note) in one language."""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

from gigpaper import atomic, templating
from gigpaper.catalogue import FIGURES, TABLES
from gigpaper.files import load_labels
from gigpaper.numbers import NumberRegistry


def _cell(text: str, numbers: NumberRegistry, where: str, citation: str = "") -> str:
    """Fill a cell's registry references, escape what came from data, then add its citation."""
    rendered = templating.escape_markdown(templating.fill_references(text, numbers, where))
    if citation:
        # The article cites at the end of the cell, before its full stop.
        body, stop = (rendered[:-1], ".") if rendered.endswith(".") else (rendered, "")
        rendered = f"{body} [@{citation}]{stop}"
    return re.sub(r"\s+", " ", rendered)


def caption_line(kind: str, name: str, labels: dict[str, Any], context: dict[str, Any], label_file: str) -> str:
    """'Кесте 1. …' or 'Сурет 1 – …': the numbered caption of a table or figure."""
    number = (TABLES if kind == "table" else FIGURES)[name].number
    caption = templating.render(labels[f"{kind}s"][name]["caption"], context, f"{label_file}: {kind}s.{name}.caption")
    return f"{labels[f'{kind}_prefix']} {number}{labels[f'{kind}_separator']}{caption}"


def source_note(kind: str, name: str, labels: dict[str, Any], context: dict[str, Any], label_file: str) -> str:
    note = templating.render(labels[f"{kind}s"][name]["note"], context, f"{label_file}: {kind}s.{name}.note")
    # One note, three formats: a class for the HTML stylesheet, a Word style, Typst text properties.
    attributes = '.source-note custom-style="Source Note" typst:text:size="8.5pt" typst:text:style="\\"italic\\""'
    return f"::: {{{attributes}}}\n{note}\n:::\n"


def table_markdown(
    name: str, rows: pd.DataFrame, labels: dict[str, Any], registry: NumberRegistry, label_file: str
) -> str:
    context = {"n": registry}
    columns = TABLES[name].columns
    headers = [
        templating.render(labels["tables"][name]["headers"][c], context, f"{label_file}: tables.{name}.headers.{c}")
        for c in columns
    ]
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join(":" + "-" * width for width in columns.values()) + "|"]
    for row in rows.to_dict("records"):
        cells = []
        for column in columns:
            where = f"{row['raw_file']}, row {row['raw_row']}, column '{column}'"
            citation = row.get(f"{column}_citation") or ""
            cells.append(_cell(str(row[column]), registry, where, citation if isinstance(citation, str) else ""))
        lines.append("| " + " | ".join(cells) + " |")
    caption = caption_line("table", name, labels, context, label_file)
    return (
        f": {caption} {{#tbl-{name}}}\n\n"
        + "\n".join(lines)
        + "\n\n"
        + source_note("table", name, labels, context, label_file)
    )


def render_table(table: str, registry: str, labels: str, lang: str, name: str, markdown: str) -> None:
    rows = pd.read_csv(table, dtype=str, keep_default_na=False)
    rows = rows[rows["lang"] == lang]
    text = table_markdown(name, rows, load_labels(labels), NumberRegistry.from_csv(registry, lang), labels)
    atomic.write_text(markdown, text)
