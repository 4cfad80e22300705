"""The claims ledger: every number each edition prints, where it comes from, and what a reviewer should know about it.

Each row keeps two things apart: the value's provenance (`sourced`, `stated without source`,
`derived`) and the findings about the article's claims that involve it (`findings`, naming each
claim and its lines). The article's claims are checked from manuscript/claims.yaml; each has a row
of its own (category `claim`) with its verdict and the lines of every passage it concerns.

Run as a module to ask where a number comes from:
    python -m gigpaper.ledger where 40%
    python -m gigpaper.ledger where "500 thousand"
    python -m gigpaper.ledger where oli_usa_2020_2024.low
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from collections import defaultdict
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd

from gigpaper import atomic
from gigpaper.as_published import DATA_CHANGED, published_values
from gigpaper.bibliography import load as load_bibliography
from gigpaper.catalogue import FIGURES, LANGUAGES, PUBLISHED_LANG, TABLES
from gigpaper.catalogue import numbering as figure_table_numbers
from gigpaper.datapackage import load_descriptor, resource
from gigpaper.errors import BuildError
from gigpaper.files import load_yaml
from gigpaper.manuscript import CITATION, CITATION_BRACKET
from gigpaper.numbers import NumberRegistry, value_label
from gigpaper.paths import LEDGER
from gigpaper.validate import locate_quote, number_forms, stated_values

LEDGER_COLUMNS = [
    "claim", "category", "registry_id", "place", "value_kk", "value_ru", "value_en", "kind", "unit",
    "provenance", "verdict", "findings", "source_check", "formula", "raw_file", "raw_row", "raw_column",
    "citation_key", "cited_locator", "source_status", "source_line", "source_lines", "statement",
    "sentence_kk", "sentence_ru", "sentence_en", "obtained",
]  # fmt: skip
REFERENCE = re.compile(r"\bn\.([a-z][a-z0-9_]*)(?:\.(low|high|thousands))?")
JINJA_NUMBER = re.compile(r"\{\{\s*n\.([a-z][a-z0-9_]*)(?:\.(low|high|thousands))?\s*\}\}")
JINJA_REF = re.compile(r"\{\{\s*ref\.([a-z0-9_]+)\s*\}\}")
CITATION_WITH_LOCATOR = re.compile(r"@([a-z][a-z0-9_]*)(?:,\s*([^;\]]+))?")
# A sentence ends at . ! ? before a space and a capital, a digit, a quote or a bracket, or at a blank line.
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[«(\"A-ZА-ЯЁӘҒҚҢӨҰҮҺІ0-9{])|\n\s*\n")
# Numbers the editions write as words; the published words are checked by gigpaper.validate.
NUMBER_WORDS = {"kk": {6: r"алты"}, "ru": {6: r"шест[а-яё]*"}, "en": {6: r"six"}}
PROVENANCE = {"derived": "derived", "complement_of_stated": "derived"}


def _printed(numbers: NumberRegistry, number_id: str, part: str | None) -> str:
    quantity = getattr(numbers, number_id)
    return str(getattr(quantity, part) if part else quantity)


def _strings(value: Any, path: str = ""):
    """(dotted key, string) of every string in a YAML tree."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, str):
        yield path, value


def _sentence_at(text: str, position: int) -> str:
    """The sentence of `text` around `position`, on one line."""
    starts = [0] + [m.end() for m in SENTENCE_END.finditer(text) if m.end() <= position]
    start = starts[-1]
    end = next((m.start() for m in SENTENCE_END.finditer(text, position)), len(text))
    return re.sub(r"\s+", " ", text[start:end]).strip()


def _readable(text: str, numbers: NumberRegistry) -> str:
    """A template sentence as its edition prints it: numbers filled in, citations in brackets."""
    text = JINJA_NUMBER.sub(lambda m: _printed(numbers, m.group(1), m.group(2)), text)
    text = JINJA_REF.sub(lambda m: str(figure_table_numbers().get(m.group(1), m.group(0))), text)
    text = CITATION_BRACKET.sub(lambda m: "(" + m.group(0)[1:-1].replace("@", "") + ")", text)
    return re.sub(r"\s*\{#[^}]*\}|\{\{[^}]*\}\}|\{##.*?##\}", "", text).strip()


def number_uses(
    lang: str, sections: list[str], labels: str, tables: dict[str, list[str]], numbers: NumberRegistry | None = None
) -> list[tuple[str, str, str, str]]:
    """(registry id, part, place, sentence) of every registry reference an edition's sources make."""
    uses = []

    def sentence(text: str, position: int) -> str:
        return _readable(_sentence_at(text, position), numbers) if numbers else ""

    for path in sorted(sections):
        text = Path(path).read_text(encoding="utf-8")
        place = f"prose: {Path(path).stem}"
        uses += [(m.group(1), m.group(2) or "", place, sentence(text, m.start())) for m in REFERENCE.finditer(text)]
        for value, word in NUMBER_WORDS[lang].items():
            for match in re.finditer(rf"(?<!\w){word}(?!\w)", text, re.IGNORECASE):
                uses.append((f"=word:{value:g}", match.group(0), place, sentence(text, match.start())))
    for key, text in _strings(load_yaml(labels)):
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


@cache
def _descriptor() -> dict[str, Any]:
    return load_descriptor()


def table_file(name: str, lang: str) -> str:
    """The raw file of a table's cells in `lang`: the source itself for kk, else its translation."""
    entry = resource(_descriptor(), TABLES[name].source)
    return entry["path"] if lang == PUBLISHED_LANG else entry["translations"][lang]["path"]


def _figure_place(row: dict[str, Any]) -> str | None:
    """'figure 1' for a number a figure plots: its raw file is the main file of the figure's source."""
    if row["obtained"] == "derived":
        return None
    for figure in FIGURES.values():
        if Path(str(row["raw_file"])).name == resource(_descriptor(), figure.source)["path"]:
            return f"figure {figure.number}"
    return None


def _lines(row: dict[str, Any]) -> list[int]:
    """Every line of the published text that prints a registry number."""
    first = [] if pd.isna(row["source_line"]) else [int(row["source_line"])]
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


def _describe(values: pd.DataFrame, number_id: str) -> str:
    row = values.loc[number_id]
    parts = [row["low"], row["high"]] if row["kind"] == "range" else [row["value"]]
    unit = "%" if row["unit"] == "percent" else ""
    value = "–".join(f"{float(p):g}" for p in parts) + unit
    line = "" if pd.isna(row["source_line"]) else f", line {int(row['source_line'])}"
    return f"{number_id} = {value}{line}"


def _number_lines(values: pd.DataFrame, numbers: list[str]) -> list[int]:
    return [int(values.loc[n, "source_line"]) for n in numbers if not pd.isna(values.loc[n, "source_line"])]


def _claim_finding(
    claim: dict[str, Any], registry: pd.DataFrame, bibliography: dict[str, Any], tables: dict[str, pd.DataFrame]
) -> tuple[str, str, list[int]]:
    """(verdict, what the data or the other passage says, the lines it rests on) of one claim."""
    check = claim["check"]
    values = registry.set_index("id")
    numbers = check.get("numbers", [])
    for number_id in numbers + [check[k] for k in ("number", "period_start") if k in check]:
        if number_id not in values.index:
            raise BuildError(f"manuscript/claims.yaml, claim {claim['id']}: no registry number '{number_id}'.")
    kind = check["type"]
    if kind == "share_majority":
        shares = {n: float(values.loc[n, "value"]) for n in numbers}
        minority = [n for n, v in shares.items() if v <= 50]
        majority = [n for n in shares if n not in minority]
        detail = "; ".join(
            f"{label}: " + ", ".join(_describe(values, n) for n in group)
            for label, group in (("women a minority", minority), ("women a majority", majority))
            if group
        )
        return ("inconsistent" if minority else "consistent"), detail, _number_lines(values, numbers)
    if kind == "equal":
        parts = [tuple(values.loc[n, ["value", "low", "high"]].fillna(-1)) for n in numbers]
        detail = " and ".join(_describe(values, n) for n in numbers)
        return ("consistent" if len(set(parts)) == 1 else "inconsistent"), detail, _number_lines(values, numbers)
    if kind == "source_predates_period":
        start = int(values.loc[check["period_start"], "value"])
        years = {ref["id"]: int(ref["issued"]) for ref in bibliography["references"]}
        cited = {n: values.loc[n, "citation_key"] for n in numbers}
        early = {n: key for n, key in cited.items() if isinstance(key, str) and years[key] < start}
        lines = _number_lines(values, numbers + [check["period_start"]])
        if early:
            detail = "; ".join(f"{n} cites {k} ({years[k]}) for the period from {start}" for n, k in early.items())
            return "inconsistent", detail + f" ({_describe(values, check['period_start'])})", lines
        return "consistent", f"sources are from {start} or later", lines
    if kind in ("lowest_in_year", "highest_in_year"):
        oli = tables["online_labour_index"]
        by_row = oli.set_index("raw_row")
        lines, findings = _number_lines(values, numbers), []
        for number_id in numbers:
            row = by_row.loc[int(values.loc[number_id, "raw_row"])]
            year = row["year_start"]
            others = oli[(oli["year_start"] <= year) & (oli["year_end"] >= year) & (oli["country"] != row["country"])]
            # A range over the period counts with its nearer end; a bound with its value.
            if kind == "lowest_in_year":
                beyond = others[others["value"].fillna(others["low"]) < row["value"]]
            else:
                beyond = others[others["value"].fillna(others["high"]) > row["value"]]
            word = "lower" if kind == "lowest_in_year" else "higher"
            if not beyond.empty:
                countries = ", ".join(
                    f"{c} (line {n})" for c, n in zip(beyond["country"], beyond["source_line"], strict=True)
                )
                return "inconsistent", f"{word} in {year}: {countries}", lines
            findings.append(f"no stated value of {year} is {word} than {_describe(values, number_id)}")
            lines += [int(n) for n in others["source_line"]]
        return "consistent", "; ".join(findings), sorted(set(lines))
    if kind == "matches_data":
        table = tables[check["table"]]
        column = table[check["column"]]
        summaries = {
            "min": lambda: column.min(), "max": lambda: column.max(),
            "only": lambda: column.iloc[0] if column.nunique() == 1 else None,
            "count_except": lambda: column[~column.isin(check.get("except", []))].nunique(),
        }  # fmt: skip
        data = summaries[check["summary"]]()
        stated = float(values.loc[check["number"], "value"])
        detail = (
            f"{_describe(values, check['number'])}; the data ({check['table']}, {check['summary']} of "
            f"{check['column']}) gives {data if data is not None else 'several values'}"
        )
        return ("consistent" if data is not None and float(data) == stated else "inconsistent"), detail, []
    if kind == "citation_year":
        by_key = {ref["id"]: ref for ref in bibliography["references"]}
        cited = int(by_key[check["key"]]["issued"])
        published = int(check["published"])
        detail = f"cited as {cited}; {check['evidence']} gives {published}"
        return ("consistent" if cited == published else "inconsistent"), detail, []
    if kind == "reader":
        return check["reader_finding"], "", []
    raise BuildError(f"manuscript/claims.yaml, claim {claim['id']}: unknown check type '{kind}'.")


def check_claims(
    claim_list: list[dict[str, Any]], registry: pd.DataFrame, bibliography: dict[str, Any],
    tables: dict[str, pd.DataFrame],
) -> list[dict[str, Any]]:  # fmt: skip
    """Each claim with its verdict, the finding in words, and every line involved (its own first)."""
    checked = []
    for claim in claim_list:  # their quotes stand at their lines: the input check (gigpaper.checks) saw to it
        verdict, detail, data_lines = _claim_finding(claim, registry, bibliography, tables)
        others = "; ".join(f"line {o['line']}: «{o['statement']}»" for o in claim.get("others", []))
        text = " — ".join(part for part in (claim["says"].strip(), detail, others) if part)
        if claim.get("note"):
            text += f". {claim['note'].strip()}"
        lines = [claim["source_line"]] + [o["line"] for o in claim.get("others", [])] + data_lines
        checked.append({**claim, "verdict": verdict, "text": text, "lines": list(dict.fromkeys(lines))})
    return checked


def _source_checks(path: str) -> dict[str, str]:
    """The source check's status and reason of each registry id it checked (data/processed/source_check.csv)."""
    check = pd.read_csv(path, dtype=str, keep_default_na=False)
    return {row.registry_id: f"{row.status}: {row.reason}" for row in check.itertuples() if row.registry_id}


def build_ledger(
    registry: str, online_labour_index: str, gender_by_occupation: str, claims: str, bibliography: str, article: str,
    metadata: str, editions: list[str], sections: list[str], labels: list[str], tables: list[str], source_check: str,
    ledger: str,
) -> None:  # fmt: skip
    """One row per number printed (per place), with its values in the three editions, provenance and findings."""
    numbers_frame = pd.read_csv(registry, dtype={"raw_row": str, "cited_locator": str, "other_lines": str})
    numbers = {lang: NumberRegistry(numbers_frame.to_dict("records"), lang) for lang in LANGUAGES}
    records = {row["id"]: row for row in numbers_frame.to_dict("records")}
    claim_list = load_yaml(claims)["claims"]
    references = load_bibliography(bibliography)
    by_key = {ref["id"]: ref for ref in references["references"]}
    data_tables = {
        "online_labour_index": pd.read_csv(online_labour_index),
        "gender_by_occupation": pd.read_csv(gender_by_occupation),
    }
    article_lines = Path(article).read_text(encoding="utf-8").splitlines()
    # Figure 1 and Figure 2 values beside the public data they cite (data/processed/source_check.csv).
    source_checks = _source_checks(source_check)

    def source_status(key: Any) -> str:
        status = by_key[key].get("status", "") if isinstance(key, str) and key in by_key else ""
        return "" if status in ("", "confirmed") else status

    # The findings of each claim, on every number and work it involves.
    checked = check_claims(claim_list, numbers_frame, references, data_tables)
    # A claim that holds of the values as published fails only because data were changed since.
    held_as_published = {
        c["id"]
        for c in check_claims(claim_list, published_values(numbers_frame, article_lines), references, data_tables)
        if c["verdict"] != "inconsistent"
    }
    for claim in checked:
        if claim["verdict"] == "inconsistent" and claim["id"] in held_as_published:
            claim["verdict"] = DATA_CHANGED
    findings: dict[str, list[str]] = defaultdict(list)
    claim_rows = []
    for claim in checked:
        involved = claim["check"].get("numbers", []) + [n for k, n in claim["check"].items() if k == "number"]
        if claim["verdict"] == "inconsistent":
            label = f"{claim['id']} (lines {', '.join(map(str, claim['lines']))})"
            for number_id in involved:
                findings[number_id].append(label)
            for key in claim["check"].get("citations", []) + [n for k, n in claim["check"].items() if k == "key"]:
                findings[f"citation:{key}"].append(label)
        claim_rows.append({
            "claim": f"claim:{claim['id']}", "category": "claim", "registry_id": " ".join(involved),
            "place": "article text", "verdict": claim["verdict"], "findings": claim["text"],
            "source_line": claim["source_line"], "source_lines": " ".join(map(str, claim["lines"])),
            "statement": claim["statement"],
            "sentence_kk": published_sentence(article_lines, claim["source_line"], claim["statement"].split()[0]),
        })  # fmt: skip

    # A raw value the article's words do not print (the data was corrected after publication).
    for number_id, row in records.items():
        if row["obtained"] == "derived" or pd.isna(row["source_line"]) or not isinstance(row["statement"], str):
            continue
        line = int(row["source_line"])
        record = {k: (None if pd.isna(v) else v) for k, v in row.items()}
        if row["obtained"] == "complement_of_stated":
            continue  # its statement prints the other share, checked on that share's row
        unprinted = [v for v in stated_values(record) if locate_quote(article_lines, line, row["statement"], v) is None]
        if unprinted:
            claim_id = f"raw_value_differs_{number_id}"
            findings[number_id].append(f"{claim_id} (lines {line})")
            claim_rows.append({
                "claim": f"claim:{claim_id}", "category": "claim", "registry_id": number_id, "place": "article text",
                "verdict": DATA_CHANGED, "source_line": line, "source_lines": str(line), "statement": row["statement"],
                "findings": f"The raw value ({', '.join(f'{v:g}' for v in unprinted)}, {row['raw_file']} row "
                f"{row['raw_row']}) is not what the article's words print: «{row['statement']}».",
                "sentence_kk": published_sentence(article_lines, line, None),
            })  # fmt: skip

    # Where each edition prints each number, with the sentence it stands in.
    by_lang = {lang: [p for p in sections if f"/{lang}/" in p] for lang in LANGUAGES}
    label_files = {Path(p).stem: p for p in labels}
    printed: dict[tuple[str, str, str], dict[str, tuple[str, str]]] = defaultdict(dict)
    # Numbers the published text writes only as a word ("алты"): the editions write them as words too.
    words = {
        float(row["value"]): number_id
        for number_id, row in records.items()
        if row["kind"] != "range" and _lines(row)
        and not line_prints_digits(article_lines, _lines(row)[0], float(row["value"]))
    }  # fmt: skip
    for lang in LANGUAGES:
        table_files = {name: [p for p in tables if Path(p).name == table_file(name, lang)] for name in TABLES}
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
            place = _figure_place(row)
            if place:
                label = value_label(row["kind"], row["value"], row["low"], row["high"], lang, row["unit"])
                printed[(number_id, "", place)][lang] = (label, "")
    for number_id in records:  # a number the published text prints that no edition does
        if not any(key[0] == number_id for key in printed) and _lines(records[number_id]):
            printed[(number_id, "", "published text only")] = {}

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
            "sentence_kk": published_sentence(article_lines, lines[0], form) if lines else "",
            **{f"sentence_{lang}": values.get(lang, ("", ""))[1] for lang in ("ru", "en")},
            **{k: row[k] for k in ("raw_file", "raw_row", "raw_column", "citation_key", "cited_locator", "source_line",
                                   "statement", "obtained")},
        })  # fmt: skip
    rows += claim_rows
    rows += _bibliographic_rows(editions, references, findings, source_status)
    rows += _structural_rows(metadata, editions, article_lines)
    frame = pd.DataFrame(rows).reindex(columns=LEDGER_COLUMNS)
    frame["source_line"] = frame["source_line"].astype("Int64")
    atomic.write_csv(ledger, frame)


def line_prints_digits(article_lines: list[str], line: int, value: float) -> bool:
    """Whether the line prints the value in digits (not only as a word)."""
    return bool(re.search(rf"(?<!\d){re.escape(f'{value:g}')}(?!\d)", article_lines[line - 1]))


def _bibliographic_rows(
    editions: list[str], references: dict[str, Any], findings: dict[str, list[str]], source_status: Any
) -> list[dict[str, Any]]:
    """Citation years and pages, and the numbers of each reference entry."""
    by_key = {ref["id"]: ref for ref in references["references"]}
    cited: dict[tuple[str, str], set[str]] = defaultdict(set)
    for path in editions:
        text = Path(path).read_text(encoding="utf-8")
        for bracket in CITATION_BRACKET.findall(text):
            for key, locator in CITATION_WITH_LOCATOR.findall(bracket):
                cited[(key, (locator or "").strip())].add(Path(path).name)
        for key in CITATION.findall(CITATION_BRACKET.sub("", text)):
            cited[(key, "")].add(Path(path).name)
    rows = []
    for (key, locator), _files in sorted(cited.items()):
        year = str(by_key[key]["issued"])
        value = f"{year}: {locator}" if locator else year
        rows.append({
            "claim": f"citation:{key}{':' + locator if locator else ''}", "category": "citation", "registry_id": "",
            "place": "citation", **{f"value_{lang}": value for lang in LANGUAGES}, "provenance": "bibliographic",
            "citation_key": key, "cited_locator": locator, "source_status": source_status(key),
            "findings": "; ".join(findings.get(f"citation:{key}", [])),
        })  # fmt: skip
    for ref in references["references"]:
        fields = {
            "year": ref.get("issued"), "volume": ref.get("volume"), "issue": ref.get("issue"),
            "pages": ref.get("page"), "DOI": ref.get("DOI"), "ISBN": ref.get("ISBN"),
        }  # fmt: skip
        described = [f"{name} {value}" for name, value in fields.items() if value not in (None, "")]
        values = {}
        for lang in LANGUAGES:  # numbers inside a title or a printed note, labelled as such
            extra = [
                f"{name} «{text}»"
                for name in ("title", "note")
                for text in [_in_language(ref.get(name), lang)]
                if re.search(r"\d", text)
            ]
            values[f"value_{lang}"] = "; ".join(described + extra)
        rows.append({
            "claim": f"reference:{ref['id']}", "category": "reference", "place": "reference list", **values,
            "provenance": "bibliographic", "citation_key": ref["id"], "source_status": source_status(ref["id"]),
            "findings": "; ".join(findings.get(f"citation:{ref['id']}", [])),
        })  # fmt: skip
    return rows


def _in_language(value: Any, lang: str) -> str:
    if isinstance(value, dict):
        return str(value.get(lang) or value.get("en") or "")
    return "" if value is None else str(value)


def _structural_rows(metadata: str, editions: list[str], article_lines: list[str]) -> list[dict[str, Any]]:
    """Numbers that are not data: the journal's issue, DOI and ISSN, its page, and the numbering of sections, figures, tables."""
    meta = load_yaml(metadata)
    running_head = [i for i, text in enumerate(article_lines, 1) if "ISSN" in text and str(meta["issn"]) in text]
    rows = []
    for field in ("issn", "year", "issue", "doi"):
        value = str(meta[field])
        lines = [n for n in running_head if value in article_lines[n - 1]]
        rows.append({"claim": f"metadata:{field}", "category": "metadata", "place": "title block and running head",
                     **{f"value_{lang}": value for lang in LANGUAGES}, "provenance": "bibliographic",
                     "source_line": lines[0] if lines else None, "source_lines": " ".join(map(str, lines))})  # fmt: skip
    # The journal's page number, printed alone on a line of the extracted text (page furniture).
    for number, text in enumerate(article_lines, 1):
        if re.fullmatch(r"\s*\d{1,4}\s*", text):
            rows.append({"claim": f"published:page:{text.strip()}", "category": "metadata", "place": "published page number",
                         "provenance": "bibliographic", "source_line": number, "source_lines": str(number),
                         "statement": text.strip(),
                         "findings": "", "formula": "page furniture of the journal; the editions number their own pages"})  # fmt: skip
    sections = max(Path(p).read_text(encoding="utf-8").count("{#sec-") for p in editions)
    numbering = [("section", n) for n in range(1, sections + 1)]
    numbering += [("figure", f.number) for f in FIGURES.values()] + [("table", t.number) for t in TABLES.values()]
    for kind, number in numbering:
        rows.append({"claim": f"numbering:{kind}:{number}", "category": "numbering", "place": f"{kind} number",
                     **{f"value_{lang}": str(number) for lang in LANGUAGES}, "provenance": "numbering"})  # fmt: skip
    return rows


# ---- where: a number in any form an edition prints it, or an id ----------------------------------------------

SPACES = re.compile(r"[\s\u00a0\u202f\u2009\u2007]+")
THOUSAND_WORDS = re.compile(r"\s*(thousands?|мың\w*|тысяч\w*|тыс\.?)\s*$", re.IGNORECASE)
QUALIFIERS = {
    "lower_bound": re.compile(r"^(>|≥|over|more than|above|более|свыше|больше|выше|астам)\s*", re.IGNORECASE),
    "upper_bound": re.compile(r"^(<|≤|below|under|less than|менее|меньше|ниже|аз)\s*", re.IGNORECASE),
    "approximate": re.compile(r"^(≈|~|about|around|approximately|около|примерно|шамамен)\s*", re.IGNORECASE),
}
# Number words of the three languages (stems cover Russian cases: шесть, шести).
WORDS = {
    1: r"one|один|одна|одно|бір", 2: r"two|дв[аеу][хм]?|екі", 3: r"three|тр[иеё][хм]?|үш", 4: r"four|четыр[её]?\w*|төрт",
    5: r"five|пят[ьи]\w*|бес", 6: r"six|шест[ьи]\w*|алты", 7: r"seven|сем[ьи]\w*|жеті", 8: r"eight|вос[еь]м\w*|сегіз",
    9: r"nine|девят[ьи]\w*|тоғыз", 10: r"ten|десят[ьи]\w*|он",
}  # fmt: skip


def _word_number(text: str) -> float | None:
    text = text.strip().lower()
    return next((float(n) for n, pattern in WORDS.items() if re.fullmatch(pattern, text)), None)


RANGE = re.compile(r"^(\d+(?:[.,]\d+)?)\s*(?:[-–—]|to|до)\s*(\d+(?:[.,]\d+)?)$")


def _number(text: str) -> float | None:
    """'500 000', '500,000', '500 000' -> 500000; '2,5' -> 2.5; anything else -> None."""
    text = SPACES.sub(" ", text.strip())
    if re.fullmatch(r"\d{1,3}(?:[ ,]\d{3})+", text):
        return float(re.sub(r"[ ,]", "", text))
    if re.fullmatch(r"\d+(?:[.,]\d+)?", text):
        return float(text.replace(",", "."))
    return None


def parse_query(query: str) -> dict[str, Any] | None:
    """A printed number in any edition's form: its values, whether a range, percent, and its qualifier."""
    text = SPACES.sub(" ", query).strip()
    qualifier = None
    for kind, pattern in QUALIFIERS.items():
        if pattern.search(text):
            qualifier, text = kind, pattern.sub("", text)
    scale = 1000 if THOUSAND_WORDS.search(text) else 1
    text = THOUSAND_WORDS.sub("", text)
    percent = "%" in text
    text = text.replace("%", "").strip()
    text = re.sub(r"(?<=\d)[\s]?-?(ға|ге|қа|ке|нан|нен|дан|ден|тан|тен|тен|ды|ді|ы|і)$", "", text)  # Kazakh endings
    found = RANGE.match(text)
    if found and _number(found.group(1)) is not None and _number(found.group(2)) is not None:
        return {"values": (_number(found.group(1)), _number(found.group(2))), "range": True, "percent": percent,
                "qualifier": qualifier}  # fmt: skip
    value = _number(text) if _number(text) is not None else _word_number(text)
    if value is None:
        return None
    return {"values": (value * scale,), "range": False, "percent": percent, "qualifier": qualifier}


def _row_numbers(row: dict[str, str]) -> tuple[set[tuple[float, ...]], set[float]]:
    """(whole values the row prints, every number in it) from its printed values."""
    whole, parts = set(), set()
    scale = 1000 if row["claim"].split("@")[0].endswith(".thousands") else 1
    values = [row[f"value_{lang}"] for lang in LANGUAGES]
    if row["category"] == "metadata" and not any(values):  # printed in the published text only
        values = [row["statement"]]
    for value in values:
        printed = SPACES.sub(" ", value).strip()
        if _word_number(printed) is not None:
            whole.add((_word_number(printed),))
            parts.add(_word_number(printed))
            continue
        bare = re.sub(r"^[<>≈~≤≥]\s*", "", printed).replace("%", "").strip()
        found = RANGE.match(bare)
        if found:
            pair = (_number(found.group(1)), _number(found.group(2)))
            if None not in pair:
                whole.add(pair)
                parts.update(pair)
        elif _number(bare) is not None:
            whole |= {(_number(bare),), (_number(bare) * scale,)}  # as printed, and what it stands for
            parts.update({_number(bare), _number(bare) * scale})
        for run in re.findall(r"\d{1,3}(?:[ ,]\d{3})+(?!\d)|\d+(?:[.,]\d+)?", printed):
            if _number(run) is not None:
                parts.add(_number(run))
    return whole, parts


def where(query: str, ledger: str | Path = LEDGER) -> pd.DataFrame:
    """Ledger rows of a registry id (with a part: `oli_usa_2020_2024.low`), a claim id, or a number as any
    edition prints it ('40%', '>30', '20-30%', '500 000', '500 thousand', '≈5'). Exact matches first, then
    partial ones (a range end, a citation's year or page), each labelled in the column `match`."""
    query = query.strip()
    if not query:
        raise ValueError("Give a number as printed (40%, 500 000, 20–30%) or an id (women_share_platform_workers).")
    frame = pd.read_csv(ledger, dtype=str, keep_default_na=False)
    ids = frame["registry_id"].str.split()
    base, _, part = query.removeprefix("claim:").partition(".")
    mentions = ids.apply(lambda found: base in found)
    if mentions.any():  # its rows (of that part, if given), then the article's claims about it
        own = frame[mentions & (frame["category"] == "data")]
        if part:
            own = own[own["claim"].str.startswith(f"{base}.{part}@")]
        claims = frame[mentions & (frame["category"] == "claim")]
        return pd.concat([own.assign(match="id"), claims.assign(match="claim about it")])
    claim_id = query.removeprefix("claim:")
    if (frame["claim"] == f"claim:{claim_id}").any():
        named = frame[frame["claim"] == f"claim:{claim_id}"]
        involved = frame[(frame["category"] != "claim") & frame["findings"].str.contains(rf"\b{re.escape(claim_id)}\b")]
        return pd.concat([named.assign(match="claim"), involved.assign(match="involved in the claim")])
    by_name = frame[frame["claim"].str.lower() == query.lower()]
    if not by_name.empty:
        return by_name.assign(match="id")
    parsed = parse_query(query)
    if parsed is None:
        return frame.iloc[0:0].assign(match="")
    exact, partial = [], []
    for index, row in frame.iterrows():
        whole, parts = _row_numbers(row)
        same = tuple(parsed["values"]) in whole
        if same and parsed["percent"] and row["unit"] not in ("percent", "") and "%" not in row["value_en"]:
            same = False
        if same and parsed["qualifier"] and row["kind"] != parsed["qualifier"]:  # '<5' is not '≈5
            same = False
        if same:
            exact.append(index)
        elif set(parsed["values"]) <= parts:
            partial.append(index)
    return pd.concat([frame.loc[exact].assign(match="exact"), frame.loc[partial].assign(match="partial")])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    ask = sub.add_parser("where", help="print the ledger rows of a number or a registry id")
    ask.add_argument("query", nargs="+", help="a number as printed (40%%, 500 000, 20–30%%), a registry or claim id")
    ask.add_argument("--ledger", default=str(LEDGER))
    args = parser.parse_args()
    query = " ".join(args.query)
    if not Path(args.ledger).exists():
        sys.exit(f"{args.ledger} does not exist yet: run ./paper build first.")
    try:
        rows = where(query, args.ledger)
    except ValueError as error:
        sys.exit(str(error))
    if rows.empty:
        sys.exit(f"No number printed as '{query}' and no registry or claim id '{query}' in {args.ledger}.")
    print(describe(rows, query), end="")


# Fields of a number that are the same wherever it is printed; shown once, then its places.
NUMBER_FIELDS = (
    "registry_id", "kind", "unit", "provenance", "findings", "source_check", "formula", "citation_key", "cited_locator",
    "source_status", "raw_file", "raw_row", "raw_column", "source_line", "source_lines", "statement", "sentence_kk",
)  # fmt: skip


def describe(rows: pd.DataFrame, query: str) -> str:
    """`where`'s answer as text: per match kind, each number once with every place it is printed, then other rows."""
    out = []
    for match, group in rows.groupby("match", sort=False):
        numbers = group[group["category"] == "data"]
        others = group[group["category"] != "data"]
        count = numbers["registry_id"].nunique() + len(others)
        out.append(f"== {match} match{'es' if count != 1 else ''} for '{query}': {count} ==\n")
        for _, places in numbers.groupby("registry_id", sort=False):
            first = places.iloc[0]
            out += [f"{key:>15}: {first[key]}" for key in NUMBER_FIELDS if first[key]]
            out.append(f"{'printed':>15}: place: kk | ru | en")
            for _, p in places.iterrows():
                part = p["claim"].split("@")[0].partition(".")[2]  # low, high or thousands
                label = f"{p['place']} ({part})" if part else p["place"]
                out.append(f"{'':>15}  {label}: {p['value_kk']} | {p['value_ru']} | {p['value_en']}")
            out.append("")
        for _, row in others.iterrows():
            out += [f"{key:>15}: {value}" for key, value in row.items() if value and key != "match"]
            out.append("")
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    main()
