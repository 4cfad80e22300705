"""The claims ledger: every number each edition prints, where it comes from, and what a reviewer should know about it.

Each row keeps two things apart: the value's provenance (`sourced`, `stated without source`,
`derived`) and the findings about the article's claims that involve it (`findings`, naming each
claim and its lines). The article's claims are checked from manuscript/claims.yaml; each has a row
of its own (category `claim`) with its verdict and the lines of every passage it concerns.

The claim checks are in gigpaper.claim_checks, the rows of citations, references and numbering in
gigpaper.ledger_bibliography; `where` (gigpaper.where) reads the ledger this module writes.
"""

from __future__ import annotations

import csv
import re
from bisect import bisect_right
from collections import defaultdict
from functools import lru_cache
from pathlib import Path
from typing import Any

from gigpaper.as_published import published_values
from gigpaper.catalogue import FIGURES, LANGUAGES, PUBLISHED_LANG, TABLES, number_words
from gigpaper.catalogue import numbering as figure_table_numbers
from gigpaper.claim_checks import DATA_CHANGED, check_claims
from gigpaper.datapackage import load_descriptor, resource
from gigpaper.errors import BuildError
from gigpaper.files import load_yaml
from gigpaper.grammar import CITATION_BRACKET, JINJA_REFERENCE, REFERENCE, strings
from gigpaper.ledger_bibliography import bibliographic_rows, structural_rows
from gigpaper.numbers import NumberRegistry, value_label
from gigpaper.quotes import locate_quote, number_forms, stated_values
from gigpaper.rows import read_rows, read_text_rows, write_rows

LEDGER_COLUMNS = [
    "claim", "category", "registry_id", "place", *(f"value_{lang}" for lang in LANGUAGES), "kind", "unit",
    "provenance", "verdict", "test", "findings", "source_check", "formula", "raw_file", "raw_row", "raw_column",
    "citation_key", "cited_locator", "source_status", "source_line", "source_lines", "statement",
    *(f"sentence_{lang}" for lang in LANGUAGES), "obtained",
]  # fmt: skip
PUBLISHED_SENTENCE = f"sentence_{PUBLISHED_LANG}"  # the published text's sentence, by its line
JINJA_REF = re.compile(r"\{\{\s*ref\.([a-z0-9_]+)\s*\}\}")
# A sentence ends at . ! ? before a space and a capital, a digit, a quote or a bracket, or at a blank line.
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[«(\"A-ZА-ЯЁӘҒҚҢӨҰҮҺІ0-9{])|\n\s*\n")
# Numbers the editions write as words; the published words are checked by gigpaper.validate.
# By how the value was obtained; otherwise `sourced` when the article cites a source. A number a revision added
# always cites the work it comes from (gigpaper.validate).
PROVENANCE = {
    "derived": "derived",
    "complement_of_stated": "derived",
    "added_after_publication": "added after publication",
}


def _printed(numbers: NumberRegistry, number_id: str, part: str | None) -> str:
    quantity = getattr(numbers, number_id)
    return str(getattr(quantity, part) if part else quantity)


@lru_cache(maxsize=64)
def _sentence_breaks(text: str) -> tuple[list[int], list[int]]:
    """Where each sentence break of `text` starts and ends: found once per text, not once per number in it."""
    breaks = list(SENTENCE_END.finditer(text))
    return [m.start() for m in breaks], [m.end() for m in breaks]


def _sentence_at(text: str, position: int) -> str:
    """The sentence of `text` around `position`, on one line: from the end of the last break that ends at or
    before `position` to the start of the first break a search from `position` finds."""
    starts, ends = _sentence_breaks(text)
    before = bisect_right(ends, position)
    start = ends[before - 1] if before else 0
    if before < len(starts) and starts[before] < position:  # inside a break: a search from here finds another
        end = next((m.start() for m in SENTENCE_END.finditer(text, position)), len(text))
    else:
        end = starts[before] if before < len(starts) else len(text)
    return re.sub(r"\s+", " ", text[start:end]).strip()


def _readable(text: str, numbers: NumberRegistry) -> str:
    """A template sentence as its edition prints it: numbers filled in, citations in brackets."""
    text = JINJA_REFERENCE.sub(lambda m: _printed(numbers, m.group(1), m.group(2)), text)
    numbering = figure_table_numbers()
    text = JINJA_REF.sub(lambda m: str(numbering.get(m.group(1), m.group(0))), text)
    text = CITATION_BRACKET.sub(lambda m: "(" + m.group(0)[1:-1].replace("@", "") + ")", text)
    return re.sub(r"\s*\{#[^}]*\}|\{\{[^}]*\}\}|\{##.*?##\}", "", text).strip()


@lru_cache
def _word_patterns(lang: str) -> list[tuple[int, re.Pattern[str]]]:
    """Each number the language writes as a word, and the pattern of a whole word of its forms: compiled once."""
    return [
        (value, re.compile(rf"(?<!\w)(?:{word})(?!\w)", re.IGNORECASE)) for value, word in number_words(lang).items()
    ]


def number_uses(
    lang: str, sections: list[str], labels: str, tables: dict[str, list[str]], numbers: NumberRegistry
) -> list[tuple[str, str, str, str]]:
    """(registry id, part, place, sentence) of every registry reference an edition's sources make."""
    uses = []
    readable: dict[str, str] = {}  # a sentence with several numbers is filled in once

    def sentence(text: str, position: int) -> str:
        raw = _sentence_at(text, position)
        if raw not in readable:
            readable[raw] = _readable(raw, numbers)
        return readable[raw]

    for path in sorted(sections):
        text = Path(path).read_text(encoding="utf-8")
        place = f"prose: {Path(path).stem}"
        uses += [(m.group(1), m.group(2) or "", place, sentence(text, m.start())) for m in REFERENCE.finditer(text)]
        for value, word in _word_patterns(lang):
            for match in word.finditer(text):
                uses.append((f"=word:{value:g}", match.group(0), place, sentence(text, match.start())))
    for key, text in strings(load_yaml(labels)):
        uses += [(m.group(1), m.group(2) or "", f"label: {key}", sentence(text, 0)) for m in REFERENCE.finditer(text)]
    for name, files in tables.items():
        for path in files:
            with open(path, encoding="utf-8", newline="") as handle:
                cells = [cell for row in csv.reader(handle) for cell in row]
            uses += [
                (m.group(1), m.group(2) or "", f"table {TABLES[name].number}", sentence(cell, m.start()))
                for cell in cells
                for m in REFERENCE.finditer(cell)
            ]
    return uses


def table_file(descriptor: dict[str, Any], name: str, lang: str) -> str:
    """The raw file of a table's cells in `lang`: the source itself for kk, else its translation."""
    entry = resource(descriptor, TABLES[name].source)
    return entry["path"] if lang == PUBLISHED_LANG else entry["translations"][lang]["path"]


def _figure_place(row: dict[str, Any], descriptor: dict[str, Any]) -> str | None:
    """'figure 1' for a number a figure plots: its raw file is the main file of the figure's source."""
    if row["obtained"] == "derived":
        return None
    for figure in FIGURES.values():
        if Path(str(row["raw_file"])).name == resource(descriptor, figure.source)["path"]:
            return f"figure {figure.number}"
    return None


def _lines(row: dict[str, Any]) -> list[int]:
    """Every line of the published text that prints a registry number."""
    first = [] if row["source_line"] is None else [int(row["source_line"])]
    return first + [int(n) for n in str(row.get("other_lines") or "").split() if n.isdigit()]


def published_sentence(article_lines: list[str], line: int, anchor: str | None = None) -> str:
    """The published sentence at `line`, found from `anchor` (the printed number) on that line."""
    first = max(line - 6, 1)
    window = article_lines[first - 1 : line + 6]
    offset = sum(len(text) + 1 for text in window[: line - first])
    here = article_lines[line - 1]
    match = re.search(re.escape(anchor), here) if anchor else None
    text = re.sub(r"(\w)-\n(\w)", r"\1-\2", "\n".join(window))
    return _sentence_at(text, min(offset + (match.start() if match else 0), len(text) - 1))


def _source_checks(path: str) -> dict[str, str]:
    """The source check's status and reason of each registry id it checked (data/processed/source_check.csv)."""
    return {
        row["registry_id"]: "; ".join(
            part for part in (f"{row['status']}: {row['reason']}", row["readings"], row["source_note"]) if part
        )
        for row in read_text_rows(path)
        if row["registry_id"]
    }


def quoted_sentence(article_lines: list[str], line: int, statement: str) -> str:
    """The published sentence that holds a claim's quote (which starts on `line`), on one line. Only . ! ? and a
    list item's dash end a sentence here: the extracted text breaks paragraphs with blank lines mid-sentence."""
    first = max(line - 6, 1)
    window = "\n".join(article_lines[first - 1 : line + 12])
    flat = re.sub(r"\s+", " ", re.sub(r"(\w)-\n(\w)", r"\1-\2", window))
    before = len(re.sub(r"\s+", " ", "\n".join(article_lines[first - 1 : line - 1]) + "\n")) if line > first else 0
    quote = re.sub(r"\s+", " ", statement).strip()
    start = flat.find(quote, max(before - 1, 0))
    if start < 0:
        return published_sentence(article_lines, line, statement.split()[0])
    ends = [m.end() for m in re.finditer(r"[.!?](?=\s)|\s-\s", flat[:start])]
    stop = re.compile(r"[.!?](?=\s|$)").search(flat, start + len(quote) - 1)
    return flat[(ends[-1] if ends else 0) : stop.end() if stop else len(flat)].strip()


def _claim_rows(
    checked: list[dict[str, Any]], article_lines: list[str], findings: dict[str, list[str]]
) -> list[dict[str, Any]]:
    """One row per claim with its verdict; each inconsistent claim is also noted on every number and work it involves."""
    rows = []
    for claim in checked:
        involved = claim["check"].get("numbers", []) + [n for k, n in claim["check"].items() if k == "number"]
        if claim["verdict"] != "consistent":  # inconsistent, or unsupported
            label = f"{claim['id']} (lines {', '.join(map(str, claim['lines']))})"
            for number_id in involved:
                findings[number_id].append(label)
            for key in claim["check"].get("citations", []) + [n for k, n in claim["check"].items() if k == "key"]:
                findings[f"citation:{key}"].append(label)
        rows.append({
            "claim": f"claim:{claim['id']}", "category": "claim", "registry_id": " ".join(involved),
            "place": "article text", "verdict": claim["verdict"], "test": claim["test"], "findings": claim["text"],
            "source_line": claim["source_line"], "source_lines": " ".join(map(str, claim["lines"])),
            "statement": claim["statement"],
            PUBLISHED_SENTENCE: quoted_sentence(article_lines, claim["source_line"], claim["statement"]),
        })  # fmt: skip
    return rows


def _raw_value_rows(
    records: dict[str, dict[str, Any]], article_lines: list[str], findings: dict[str, list[str]]
) -> list[dict[str, Any]]:
    """A finding for each raw value the article's words do not print (the data was corrected after publication)."""
    rows = []
    for number_id, row in records.items():
        if row["obtained"] == "derived" or row["source_line"] is None or row["statement"] is None:
            continue
        line = int(row["source_line"])
        if row["obtained"] == "complement_of_stated":
            continue  # its statement prints the other share, checked on that share's row
        unprinted = [v for v in stated_values(row) if locate_quote(article_lines, line, row["statement"], v) is None]
        if unprinted:
            claim_id = f"raw_value_differs_{number_id}"
            findings[number_id].append(f"{claim_id} (lines {line})")
            rows.append({
                "claim": f"claim:{claim_id}", "category": "claim", "registry_id": number_id, "place": "article text",
                "verdict": DATA_CHANGED, "source_line": line, "source_lines": str(line), "statement": row["statement"],
                "test": "raw_value: the raw value of a number must be what the article's words print",
                "findings": f"The raw value ({', '.join(f'{v:g}' for v in unprinted)}, {row['raw_file']} row "
                f"{row['raw_row']}) is not what the article's words print: «{row['statement']}».",
                PUBLISHED_SENTENCE: published_sentence(article_lines, line, None),
            })  # fmt: skip
    return rows


Printed = dict[tuple[str, str, str], dict[str, tuple[str, str]]]  # (id, part, place) -> lang -> (value, sentence)


def _printed_places(
    records: dict[str, dict[str, Any]], numbers: dict[str, NumberRegistry], article_lines: list[str],
    sections: list[str], labels: list[str], tables: list[str], descriptor: dict[str, Any],
) -> Printed:  # fmt: skip
    """Where each edition prints each number, with the sentence it stands in."""
    by_lang = {lang: [p for p in sections if f"/{lang}/" in p] for lang in LANGUAGES}
    label_files = {Path(p).stem: p for p in labels}
    printed: Printed = defaultdict(dict)
    # Numbers the published text writes only as a word ("алты"): the editions write them as words too.
    words = {
        float(row["value"]): number_id
        for number_id, row in records.items()
        if row["kind"] != "range" and _lines(row)
        and not line_prints_digits(article_lines, _lines(row)[0], float(row["value"]))
    }  # fmt: skip
    for lang in LANGUAGES:
        table_files = {
            name: [p for p in tables if Path(p).name == table_file(descriptor, name, lang)] for name in TABLES
        }
        for number_id, part, place, sentence in number_uses(
            lang, by_lang[lang], label_files[lang], table_files, numbers[lang]
        ):
            if number_id.startswith("=word:"):  # a number written as a word
                value = float(number_id.removeprefix("=word:"))
                if value in words:
                    printed[(words[value], "", place)][lang] = (part, sentence)
                continue
            if number_id not in records:
                raise BuildError(f"{place} ({lang}) uses '{number_id}', which the number registry does not hold.")
            printed[(number_id, part, place)][lang] = (_printed(numbers[lang], number_id, part), sentence)
        for number_id, row in records.items():
            place = _figure_place(row, descriptor)
            if place:
                label = value_label(row["kind"], row["value"], row["low"], row["high"], lang, row["unit"])
                printed[(number_id, "", place)][lang] = (label, "")
    for number_id in records:  # a number the published text prints that no edition does
        if not any(key[0] == number_id for key in printed) and _lines(records[number_id]):
            printed[(number_id, "", "published text only")] = {}
    return printed


def _data_rows(
    printed: Printed, records: dict[str, dict[str, Any]], article_lines: list[str], findings: dict[str, list[str]],
    source_checks: dict[str, str], source_status: Any,
) -> list[dict[str, Any]]:  # fmt: skip
    """One row per number and place it is printed, with its values in the three editions and its provenance."""
    rows = []
    for (number_id, part, place), values in sorted(printed.items()):
        row = records[number_id]
        lines = _lines(row)
        anchor = number_forms(float(row["value"] if row["kind"] != "range" else row["low"]))
        here = article_lines[lines[0] - 1] if lines else ""
        form = next((f for f in anchor if f in here), None)
        rows.append({
            "claim": f"{number_id}{'.' + part if part else ''}@{place}", "category": "data", "registry_id": number_id,
            "place": place, **{f"value_{lang}": values.get(lang, ("", ""))[0] for lang in LANGUAGES},
            "kind": row["kind"], "unit": row["unit"],
            "provenance": PROVENANCE.get(row["obtained"])
            or ("sourced" if isinstance(row["citation_key"], str) else "stated without source"),
            "findings": "; ".join(findings[number_id]), "source_check": source_checks.get(number_id, ""),
            "formula": row["derivation"] if isinstance(row["derivation"], str) else "",
            "source_status": source_status(row["citation_key"]), "source_lines": " ".join(map(str, lines)),
            PUBLISHED_SENTENCE: published_sentence(article_lines, lines[0], form) if lines else "",
            **{f"sentence_{lang}": values.get(lang, ("", ""))[1] for lang in LANGUAGES if lang != PUBLISHED_LANG},
            **{k: row[k] for k in ("raw_file", "raw_row", "raw_column", "citation_key", "cited_locator", "source_line",
                                   "statement", "obtained")},
        })  # fmt: skip
    return rows


def build_ledger(
    registry: str, online_labour_index: str, gender_by_occupation: str, claims: str, bibliography: str, article: str,
    metadata: str, editions: list[str], sections: list[str], labels: list[str], tables: list[str], source_check: str,
    datapackage: str, oli_worker_shares: str, ledger: str,
) -> None:  # fmt: skip
    """One row per number printed (per place), with its values in the three editions, provenance and findings."""
    registry_rows = read_rows(registry, text=("raw_row", "cited_locator", "other_lines"))
    numbers = {lang: NumberRegistry(registry_rows, lang) for lang in LANGUAGES}
    records = {row["id"]: row for row in registry_rows}
    references = load_yaml(bibliography)
    by_key = {ref["id"]: ref for ref in references["references"]}
    data_tables = {
        "online_labour_index": read_rows(online_labour_index),
        "gender_by_occupation": read_rows(gender_by_occupation),
        # As text: the checks read only its years and ranks, and typing all 15,000 cells cost 0.03 s.
        "oli_worker_shares": read_text_rows(oli_worker_shares),
    }
    article_lines = Path(article).read_text(encoding="utf-8").splitlines()

    def source_status(key: Any) -> str:
        status = by_key[key].get("status", "") if isinstance(key, str) and key in by_key else ""
        return "" if status in ("", "confirmed") else status

    findings: dict[str, list[str]] = defaultdict(list)  # filled by the claim rows, read by the data rows
    claim_list = load_yaml(claims)["claims"]
    checked = check_claims(claim_list, registry_rows, references, data_tables)
    # A claim that holds of the values as published fails only because data were changed since.
    held_as_published = {
        c["id"]
        for c in check_claims(claim_list, published_values(registry_rows, article_lines), references, data_tables)
        if c["verdict"] != "inconsistent"
    }
    for claim in checked:
        if claim["verdict"] == "inconsistent" and claim["id"] in held_as_published:
            claim["verdict"] = DATA_CHANGED
    rows = _claim_rows(checked, article_lines, findings)
    rows += _raw_value_rows(records, article_lines, findings)
    printed = _printed_places(records, numbers, article_lines, sections, labels, tables, load_descriptor(datapackage))
    # Figure 1 and Figure 2 values beside the public data they cite (data/processed/source_check.csv).
    data = _data_rows(printed, records, article_lines, findings, _source_checks(source_check), source_status)
    rows = data + rows  # the data rows first, as the ledger has always listed them
    rows += bibliographic_rows(editions, references, findings, source_status, article_lines)
    rows += structural_rows(metadata, editions, article_lines)
    write_rows(ledger, rows, LEDGER_COLUMNS)


def line_prints_digits(article_lines: list[str], line: int, value: float) -> bool:
    """Whether the line prints the value in digits (not only as a word)."""
    return bool(re.search(rf"(?<!\d){re.escape(f'{value:g}')}(?!\d)", article_lines[line - 1]))
