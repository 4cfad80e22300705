"""Tables 1-2 as Pandoc Markdown blocks (caption, pipe table, source note) in one language."""

from __future__ import annotations

import re
from typing import Any

from gigpaper import atomic, templating
from gigpaper.catalogue import FIGURES, TABLES
from gigpaper.files import load_labels
from gigpaper.numbers import NumberRegistry
from gigpaper.rows import read_text_rows


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
    name: str, rows: list[dict[str, str]], labels: dict[str, Any], registry: NumberRegistry, label_file: str
) -> str:
    context = {"n": registry}
    columns = TABLES[name].columns
    headers = [
        templating.render(labels["tables"][name]["headers"][c], context, f"{label_file}: tables.{name}.headers.{c}")
        for c in columns
    ]
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join(":" + "-" * width for width in columns.values()) + "|"]
    for row in rows:
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


def language_rows(table: str, lang: str) -> list[dict[str, str]]:
    """One language's rows of a tidy table, every cell as its text (no pandas to import for it)."""
    return [row for row in read_text_rows(table) if row["lang"] == lang]


def render_tables(tables: list[str], registry: str, labels: str, lang: str, markdown: list[str]) -> None:
    """Every table of the catalogue in one language, tables[i] the tidy source of markdown[i] (in catalogue
    order). One job per language: the labels and the registry are read once for all its tables."""
    numbers, texts = NumberRegistry.from_csv(registry, lang), load_labels(labels)
    for name, table, path in zip(TABLES, tables, markdown, strict=True):
        atomic.write_text(path, table_markdown(name, language_rows(table, lang), texts, numbers, labels))
