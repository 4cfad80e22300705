"""The reviewer page: findings, every number with its details, figures beside their values, sources, errata, checksums."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pandas as pd

from gigpaper import atomic, templating
from gigpaper.files import load_yaml
from gigpaper.manifest import check_outputs_as_written, manifest_text


def _inline_svg(path: str, prefix: str) -> str:
    """The SVG element of a figure, its ids prefixed: two inline figures must not share an id (the
    second one's glyphs and clip paths would point into the first)."""
    text = Path(path).read_text(encoding="utf-8")
    text = text[text.index("<svg") :]
    text = re.sub(r'\bid="([^"]+)"', rf'id="{prefix}-\1"', text)
    text = re.sub(r'href="#([^"]+)"', rf'href="#{prefix}-\1"', text)
    return re.sub(r"url\(#([^)]+)\)", rf"url(#{prefix}-\1)", text)


def _sort_number(text: str) -> str:
    """A numeric sort key for a printed value ('500 000', '20–30%', '<5'); blank when it has no number."""
    digits = re.search(r"\d+(?:[.,]\d+)?", re.sub(r"(?<=\d)[\s\u202f,](?=\d{3})", "", text))
    return digits.group(0).replace(",", ".") if digits else ""


def _ordered(values: list[str]) -> list[str]:
    return [v for v in dict.fromkeys(values) if v]


def number_summaries(ledger: pd.DataFrame) -> list[dict[str, Any]]:
    """One summary per registry number: printed values, provenance, findings, source, lines; its places as details."""
    data = ledger[ledger["category"] == "data"]
    summaries = []
    for number_id, rows in data.groupby("registry_id", sort=True):
        first = rows.iloc[0]
        findings = _ordered([f for cell in rows["findings"] for f in cell.split("; ")])
        printed = {lang: _ordered(list(rows[f"value_{lang}"])) for lang in ("kk", "ru", "en")}
        summaries.append({
            "id": number_id, "printed": printed, "sort_value": _sort_number(" ".join(printed["en"])),
            "provenance": first["provenance"], "findings": findings, "source_check": first["source_check"],
            "citation_key": first["citation_key"], "cited_locator": first["cited_locator"],
            "source_status": first["source_status"], "source_line": first["source_line"],
            "source_lines": first["source_lines"], "statement": first["statement"], "formula": first["formula"],
            "raw": f"{first['raw_file']}, row {first['raw_row']}, column {first['raw_column']}",
            "kind": first["kind"], "unit": first["unit"], "places": rows.to_dict("records"),
        })  # fmt: skip
    return summaries


def write_review(
    template: str, ledger: str, online_labour_index: str, gender_by_occupation: str, figure1: str, figure2: str,
    figure1_oli: str, source_check: str, datapackage: str, bibliography: str, errata: str, metadata: str,
    outputs: list[str], review: str,
) -> None:  # fmt: skip
    """One self-contained HTML page for reviewers: findings, every number with its details, figures beside
    their values, sources and their status, errata, checksums."""
    check_outputs_as_written(outputs)

    frame = pd.read_csv(ledger, dtype=str, keep_default_na=False)
    claims = frame[frame["category"] == "claim"]
    numbers = number_summaries(frame)
    references = load_yaml(bibliography)["references"]
    for ref in references:  # the copy-editor's English note, or the older per-language note
        note = ref.get("reviewer_note") or ref.get("note") or ""
        ref["review_note"] = note.get("en", "") if isinstance(note, dict) else str(note)
        ref["findings"] = _ordered(frame.loc[frame["claim"] == f"reference:{ref['id']}", "findings"].tolist())
    checks = pd.read_csv(source_check, dtype=str, keep_default_na=False)
    context = {
        "meta": load_yaml(metadata),
        "numbers": numbers,
        "findings": claims[claims["verdict"] == "inconsistent"].to_dict("records"),
        "checks": claims[claims["verdict"] != "inconsistent"].to_dict("records"),
        "counts": {
            "numbers": len(numbers),
            "findings": int((claims["verdict"] == "inconsistent").sum()),
            "consistent": int((claims["verdict"] == "consistent").sum()),
            "numbers_with_findings": sum(1 for n in numbers if n["findings"]),
            "provenance": pd.Series([n["provenance"] for n in numbers]).value_counts().sort_index().to_dict(),
            "unconfirmed_sources": sum(1 for ref in references if ref.get("status", "confirmed") != "confirmed"),
        },
        "other_rows": frame[~frame["category"].isin(["data", "claim", "reference"])].to_dict("records"),
        "figures": [
            {
                "number": 1,
                "svg": _inline_svg(figure1, "figure1"),
                "table": pd.read_csv(online_labour_index, dtype=str, keep_default_na=False),
            },
            {
                "number": 2,
                "svg": _inline_svg(figure2, "figure2"),
                "table": pd.read_csv(gender_by_occupation, dtype=str, keep_default_na=False),
            },
        ],  # fmt: skip
        "source_check": {
            "published": _inline_svg(figure1, "check-figure1"),
            "oli": _inline_svg(figure1_oli, "check-oli"),
            "table": checks,
            "counts": checks.groupby("figure")["status"].value_counts().sort_index().to_dict(),
        },
        "resources": load_yaml(datapackage)["resources"],
        "references": references,
        "errata": load_yaml(errata),
        "manifest": manifest_text(outputs).splitlines(),
    }
    env = templating.environment()
    env.autoescape = True  # an HTML page: every value from data is escaped
    page = templating.render(env.from_string(Path(template).read_text(encoding="utf-8")), context, template)
    atomic.write_text(review, page)
