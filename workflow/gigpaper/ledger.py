"""The claims ledger: every number each edition prints, where it comes from, and whether the article agrees with it.

Run as a module to ask where a number comes from:
    python -m gigpaper.ledger where 40%
    python -m gigpaper.ledger where women_share_platform_workers
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from gigpaper import atomic
from gigpaper.bibliography import load as load_bibliography
from gigpaper.catalogue import FIGURES, LANGUAGES, TABLES
from gigpaper.errors import BuildError
from gigpaper.manuscript import CITATION, CITATION_BRACKET
from gigpaper.numbers import NumberRegistry, value_label
from gigpaper.paths import LEDGER
from gigpaper.validate import quote_found

LEDGER_COLUMNS = [
    "claim", "category", "registry_id", "place", "value_kk", "value_ru", "value_en", "kind", "unit", "status",
    "source_check", "formula", "finding", "raw_file", "raw_row", "raw_column", "citation_key", "cited_locator",
    "source_line", "statement", "obtained",
]  # fmt: skip
REFERENCE = re.compile(r"\bn\.([a-z][a-z0-9_]*)(?:\.(low|high|thousands))?")
CITATION_WITH_LOCATOR = re.compile(r"@([a-z][a-z0-9_]*)(?:,\s*([^;\]]+))?")


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


def number_uses(
    lang: str, sections: list[str], labels: str, tables: dict[str, list[str]]
) -> list[tuple[str, str, str]]:
    """(registry id, part, place) of every registry reference an edition's sources make."""
    uses = []
    for path in sorted(sections):
        text = Path(path).read_text(encoding="utf-8")
        uses += [(m.group(1), m.group(2) or "", f"prose: {Path(path).stem}") for m in REFERENCE.finditer(text)]
    with open(labels, encoding="utf-8") as handle:
        for key, text in _strings(yaml.safe_load(handle)):
            uses += [(m.group(1), m.group(2) or "", f"label: {key}") for m in REFERENCE.finditer(text)]
    for name, files in tables.items():
        for path in files:
            text = Path(path).read_text(encoding="utf-8")
            uses += [(m.group(1), m.group(2) or "", f"table {TABLES[name].number}") for m in REFERENCE.finditer(text)]
    return uses


# The raw files each figure plots every stated value of.
FIGURE_SOURCES = {"olo2024_online_labour_index.csv": "figure 1", "ppmi2024_gender_by_occupation.csv": "figure 2"}


def _figure_place(row: dict[str, Any]) -> str | None:
    if row["obtained"] == "derived":
        return None
    return FIGURE_SOURCES.get(Path(row["raw_file"]).name)


def _written(value: float) -> set[str]:
    """How the article may write a value in words: 500000 as '500' (мың, thousand) too."""
    forms = {f"{value:g}"}
    if value >= 1000 and value % 1000 == 0:
        forms.add(f"{value / 1000:g}")
    return forms


def _statement_agrees(row: dict[str, Any]) -> bool:
    digits = set(re.findall(r"\d+(?:[.,]\d+)?", str(row["statement"])))
    parts = [row["low"], row["high"]] if row["kind"] == "range" else [row["value"]]
    return all(_written(float(part)) & digits for part in parts)


def _claim_finding(
    claim: dict[str, Any], registry: pd.DataFrame, bibliography: dict[str, Any], online_labour_index: pd.DataFrame
) -> tuple[str, str]:
    """(status, finding) of one claim of the article about its data."""
    check = claim["check"]
    values = registry.set_index("id")
    numbers = check.get("numbers", [])
    for number_id in numbers:
        if number_id not in values.index:
            raise BuildError(f"manuscript/claims.yaml, claim {claim['id']}: no registry number '{number_id}'.")
    if check["type"] == "share_majority":
        shares = {n: float(values.loc[n, "value"]) for n in numbers}
        minority = {n: v for n, v in shares.items() if v <= 50}
        if minority:
            return "inconsistent", "data gives " + ", ".join(f"{n} = {v:g}%" for n, v in minority.items())
        return "consistent", "data gives " + ", ".join(f"{n} = {v:g}%" for n, v in shares.items())
    if check["type"] == "equal":
        parts = [tuple(values.loc[n, ["value", "low", "high"]].fillna(-1)) for n in numbers]
        described = " and ".join(
            f"{n} = {'/'.join(f'{p:g}' for p in part if p != -1)}" for n, part in zip(numbers, parts, strict=True)
        )
        return ("consistent" if len(set(parts)) == 1 else "inconsistent"), described
    if check["type"] == "source_predates_period":
        start = int(values.loc[check["period_start"], "value"])
        years = {ref["id"]: int(ref["issued"]) for ref in bibliography["references"]}
        cited = {n: values.loc[n, "citation_key"] for n in numbers}
        early = {n: key for n, key in cited.items() if isinstance(key, str) and years[key] < start}
        if early:
            return "inconsistent", "; ".join(
                f"{n} cites {k} ({years[k]}) for the period from {start}" for n, k in early.items()
            )
        return "consistent", f"sources are from {start} or later"
    if check["type"] == "lowest_in_year":
        findings = []
        stated = online_labour_index[online_labour_index["kind"] != "range"]
        for number_id in numbers:
            row = online_labour_index.set_index("raw_row").loc[int(values.loc[number_id, "raw_row"])]
            same_year = stated[(stated["year_start"] == row["year_start"]) & (stated["year_end"] == row["year_end"])]
            lower = same_year[same_year["value"] < row["value"]]
            if not lower.empty:
                return "inconsistent", f"lower in {row['year_start']}: {', '.join(lower['country'])}"
            findings.append(f"no stated value of {row['year_start']} is below {number_id} = {row['value']:g}")
        return "consistent", "; ".join(findings)
    if check["type"] == "reader":
        return check["reader_finding"], f"line {check['other_line']}: «{check['other_statement']}»"
    raise BuildError(f"manuscript/claims.yaml, claim {claim['id']}: unknown check type '{check['type']}'.")


def _source_checks(path: str) -> dict[str, str]:
    """The source check's status and reason of each registry id it checked (data/processed/source_check.csv)."""
    check = pd.read_csv(path, dtype=str, keep_default_na=False)
    return {row.registry_id: f"{row.status}: {row.reason}" for row in check.itertuples() if row.registry_id}


def build_ledger(
    registry: str, online_labour_index: str, claims: str, bibliography: str, article: str, metadata: str, editions: list[str],
    sections: list[str], labels: list[str], tables: list[str], source_check: str, ledger: str,
) -> None:  # fmt: skip
    """One row per number printed (per place), with its values in the three editions, provenance and status."""
    numbers_frame = pd.read_csv(registry, dtype={"raw_row": str, "cited_locator": str})
    numbers = {lang: NumberRegistry(numbers_frame.to_dict("records"), lang) for lang in LANGUAGES}
    records = {row["id"]: row for row in numbers_frame.to_dict("records")}
    with open(claims, encoding="utf-8") as handle:
        claim_list = yaml.safe_load(handle)["claims"]
    references = load_bibliography(bibliography)
    oli_table = pd.read_csv(online_labour_index)
    article_lines = Path(article).read_text(encoding="utf-8").splitlines()
    # Figure 1 and Figure 2 values beside the public data they cite (data/processed/source_check.csv).
    checked = _source_checks(source_check)

    # Status of each registry number, and the claims that involve it.
    status, formula, finding = {}, {}, defaultdict(list)
    claim_rows = []
    for claim in claim_list:
        for line, quote in [(claim["source_line"], claim["statement"])] + (
            [(claim["check"]["other_line"], claim["check"]["other_statement"])]
            if "other_line" in claim["check"]
            else []
        ):
            if not quote_found(article_lines, line, quote):
                raise BuildError(
                    f"manuscript/claims.yaml, claim {claim['id']}: «{quote}» is not at line {line} of {article}."
                )
        verdict, detail = _claim_finding(claim, numbers_frame, references, oli_table)
        text = f"{claim['says'].strip()} — {detail}" + (f". {claim['note'].strip()}" if claim.get("note") else "")
        if verdict == "inconsistent":
            for number_id in claim["check"].get("numbers", []):
                finding[number_id].append(f"claim {claim['id']}: {text}")
        claim_rows.append({
            "claim": f"claim:{claim['id']}", "category": "claim", "registry_id": " ".join(claim["check"].get("numbers", [])),
            "place": "article text", "status": verdict, "finding": text, "source_line": claim["source_line"],
            "statement": claim["statement"],
        })  # fmt: skip
    for number_id, row in records.items():
        if row["obtained"] in ("derived", "complement_of_stated"):
            status[number_id], formula[number_id] = "derived", row["derivation"]
        elif not _statement_agrees(row):
            status[number_id] = "inconsistent"
            finding[number_id].append(f"the raw value disagrees with the article's words «{row['statement']}»")
        else:
            status[number_id] = "sourced" if isinstance(row["citation_key"], str) else "stated without source"
        if finding[number_id]:
            status[number_id] = "inconsistent"

    # Where each edition prints each number.
    by_lang = {lang: [p for p in sections if f"/{lang}/" in p] for lang in LANGUAGES}
    label_files = {Path(p).stem: p for p in labels}
    printed: dict[tuple[str, str, str], dict[str, str]] = defaultdict(dict)
    for lang in LANGUAGES:
        table_files = {
            name: [p for p in tables if p.endswith(f"{stem}.csv" if lang == "kk" else f"{stem}.{lang}.csv")]
            for name, stem in (("table1", "table1_platform_employment"), ("table2", "table2_platforms_kz"))
        }
        for number_id, part, place in number_uses(lang, by_lang[lang], label_files[lang], table_files):
            if number_id not in records:
                raise BuildError(f"{place} ({lang}) uses '{number_id}', which the number registry does not hold.")
            printed[(number_id, part, place)][lang] = _printed(numbers[lang], number_id, part)
        for number_id, row in records.items():
            place = _figure_place(row)
            if place:
                printed[(number_id, "", place)][lang] = value_label(
                    row["kind"], row["value"], row["low"], row["high"], lang, row["unit"]
                )

    rows = []
    for (number_id, part, place), values in sorted(printed.items()):
        row = records[number_id]
        rows.append({
            "claim": f"{number_id}{'.' + part if part else ''}@{place}", "category": "data", "registry_id": number_id,
            "place": place, **{f"value_{lang}": values.get(lang, "") for lang in LANGUAGES}, "kind": row["kind"],
            "unit": row["unit"], "status": status[number_id], "source_check": checked.get(number_id, ""),
            "formula": formula.get(number_id, ""),
            "finding": " | ".join(finding[number_id]),
            **{k: row[k] for k in ("raw_file", "raw_row", "raw_column", "citation_key", "cited_locator", "source_line",
                                   "statement", "obtained")},
        })  # fmt: skip
    rows += claim_rows
    rows += _bibliographic_rows(editions, references)
    rows += _structural_rows(metadata, editions)
    frame = pd.DataFrame(rows).reindex(columns=LEDGER_COLUMNS)
    frame["source_line"] = frame["source_line"].astype("Int64")
    atomic.write_csv(ledger, frame)


def _bibliographic_rows(editions: list[str], references: dict[str, Any]) -> list[dict[str, Any]]:
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
            "place": "citation", **{f"value_{lang}": value for lang in LANGUAGES}, "status": "bibliographic",
            "citation_key": key, "cited_locator": locator,
        })  # fmt: skip
    for ref in references["references"]:
        fields = {f: ref[f] for f in ("issued", "volume", "issue", "page", "DOI", "ISBN", "title", "note") if f in ref}
        numbers = sorted(
            {n for v in fields.values() for n in re.findall(r"\d+", yaml.safe_dump(v, allow_unicode=True))}
        )
        if numbers:
            rows.append({
                "claim": f"reference:{ref['id']}", "category": "reference", "place": "reference list",
                **{f"value_{lang}": " ".join(numbers) for lang in LANGUAGES}, "status": "bibliographic",
                "citation_key": ref["id"], "finding": "" if ref["status"] == "confirmed" else "unconfirmed source",
            })  # fmt: skip
    return rows


def _structural_rows(metadata: str, editions: list[str]) -> list[dict[str, Any]]:
    """Numbers that are not data: the journal's issue, DOI and ISSN, and the numbering of sections, figures, tables."""
    with open(metadata, encoding="utf-8") as handle:
        meta = yaml.safe_load(handle)
    rows = []
    for field in ("issn", "year", "issue", "doi"):
        value = str(meta[field])
        rows.append({"claim": f"metadata:{field}", "category": "metadata", "place": "title block and running head",
                     **{f"value_{lang}": value for lang in LANGUAGES}, "status": "bibliographic"})  # fmt: skip
    sections = max(Path(p).read_text(encoding="utf-8").count("{#sec-") for p in editions)
    numbering = [("section", n) for n in range(1, sections + 1)]
    numbering += [("figure", f.number) for f in FIGURES.values()] + [("table", t.number) for t in TABLES.values()]
    for kind, number in numbering:
        rows.append({"claim": f"numbering:{kind}:{number}", "category": "numbering", "place": f"{kind} number",
                     **{f"value_{lang}": str(number) for lang in LANGUAGES}, "status": "numbering"})  # fmt: skip
    return rows


def where(query: str, ledger: str | Path = LEDGER) -> pd.DataFrame:
    """Ledger rows of a registry id, or of a number as printed in any edition ('40%', '40', '500 000')."""
    frame = pd.read_csv(ledger, dtype=str, keep_default_na=False)
    mentions = frame["registry_id"].str.split().apply(lambda ids: query in ids)
    if mentions.any():  # its rows, then the article's claims about it
        return frame[mentions]
    digits = re.sub(r"\D", "", query)
    printed = frame[["value_kk", "value_ru", "value_en"]].map(lambda v: re.sub(r"\D", "", v))
    exact = frame[[query.strip() in {a, b, c} for a, b, c in frame[["value_kk", "value_ru", "value_en"]].values]]
    if not exact.empty:
        return exact
    return frame[(printed == digits).any(axis=1)] if digits else frame.iloc[0:0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    ask = sub.add_parser("where", help="print the ledger rows of a number or a registry id")
    ask.add_argument("query")
    ask.add_argument("--ledger", default=str(LEDGER))
    args = parser.parse_args()
    if not Path(args.ledger).exists():
        sys.exit(f"{args.ledger} does not exist yet: run ./paper build first.")
    rows = where(args.query, args.ledger)
    if rows.empty:
        sys.exit(f"No number printed as '{args.query}' and no registry id '{args.query}' in {args.ledger}.")
    for row in rows.to_dict("records"):
        print("\n".join(f"{key:>14}: {value}" for key, value in row.items() if value) + "\n")


if __name__ == "__main__":
    main()
