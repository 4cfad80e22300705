"""The reviewer page: findings, every number with its details, figures beside their values, sources, errata, checksums."""

from __future__ import annotations

import re
from collections import Counter
from itertools import groupby
from pathlib import Path
from typing import Any

from gigpaper import atomic, catalogue, templating
from gigpaper.catalogue import FIGURES, LANGUAGES, OLI_FIGURE, REVIEW_LANG
from gigpaper.claim_checks import DATA_CHANGED
from gigpaper.files import load_yaml
from gigpaper.manifest import manifest_text, outputs_as_written, write_manifest
from gigpaper.rows import read_text_rows, text_table

Rows = list[dict[str, str]]  # a CSV file's rows, every cell as text (gigpaper.rows.read_text_rows)


def _inline_svg(path: str, prefix: str) -> str:
    """The SVG element of a figure as valid HTML: its ids prefixed (two inline figures must not share an id, or
    the second one's glyphs and clip paths would point into the first) and made XML names (a gid may hold '+'),
    without matplotlib's RDF metadata (namespaces HTML does not allow) and with the empty glyph's path given
    its required `d`. The figure files themselves stay as matplotlib writes them."""
    text = Path(path).read_text(encoding="utf-8")
    text = re.sub(r"\s*<metadata>.*?</metadata>", "", text[text.index("<svg") :], count=1, flags=re.S)
    text = re.sub(r"<path (?![^>]*\bd=)", '<path d="" ', text)

    def local(ref: re.Match[str]) -> str:
        return ref.group(1) + prefix + "-" + re.sub(r"[^\w.:-]", "_", ref.group(2))

    return re.sub(r'(\bid="|href="#|url\(#)([^")]+)', local, text)


def _sort_number(text: str) -> str:
    """A numeric sort key for a printed value ('500 000', '20–30%', '<5'); blank when it has no number."""
    digits = re.search(r"\d+(?:[.,]\d+)?", re.sub(r"(?<=\d)[\s\u202f,](?=\d{3})", "", text))
    return digits.group(0).replace(",", ".") if digits else ""


def _ordered(values: list[str]) -> list[str]:
    return [v for v in dict.fromkeys(values) if v]


def number_summaries(ledger: Rows) -> list[dict[str, Any]]:
    """One summary per registry number: printed values, provenance, findings, source, lines; its places as details."""
    data = sorted((row for row in ledger if row["category"] == "data"), key=lambda row: row["registry_id"])
    summaries = []
    for number_id, group in groupby(data, key=lambda row: row["registry_id"]):
        rows = list(group)
        first = rows[0]
        findings = _ordered([f for row in rows for f in row["findings"].split("; ")])
        printed = {
            lang: _ordered(
                [
                    f"{row[f'value_{lang}']} {catalogue.thousand_word(lang)}"
                    if ".thousands@" in row["claim"]
                    else row[f"value_{lang}"]
                    for row in rows
                ]
            )
            for lang in LANGUAGES
        }
        summaries.append({
            "id": number_id, "printed": printed, "sort_value": _sort_number(" ".join(printed[REVIEW_LANG])),
            "provenance": first["provenance"], "findings": findings, "source_check": first["source_check"],
            "citation_key": first["citation_key"], "cited_locator": first["cited_locator"],
            "source_status": first["source_status"], "source_line": first["source_line"],
            "source_lines": first["source_lines"], "statement": first["statement"], "formula": first["formula"],
            "raw": f"{first['raw_file']}, row {first['raw_row']}, column {first['raw_column']}",
            "kind": first["kind"], "unit": first["unit"], "places": rows,
        })  # fmt: skip
    return summaries


# Which comparison shows a claim wrong, by the kind of test it applies (the ledger's `test` starts with it).
AGAINST_DATA = ("share_majority", "equal", "source_predates_period", "matches_data", "lowest_in_year",
                "highest_in_year", "exceeds", "raw_value")  # fmt: skip
AGAINST_SOURCE = ("citation_year", "top_in_source")


def _kind_of_test(claim: dict[str, Any]) -> str:
    return claim["test"].split(":", 1)[0]


def wrong_numbers(claims: Rows, checks: Rows) -> dict[str, Any]:
    """What the page opens with: the claims and numbers shown wrong, by what shows them wrong (the article's own
    data, the public source, the article itself), the claims without support, and the reading-dependent values."""
    findings = [claim for claim in claims if claim["verdict"] != "consistent"]
    oli_figure = f"figure {FIGURES[OLI_FIGURE].number}"  # the figure the OLI data check
    source = [row for row in checks if row["figure"] == oli_figure]

    def claims_of(kinds: tuple[str, ...] | None, verdict: str = "inconsistent") -> list[dict[str, Any]]:
        return [
            f for f in findings
            if f["verdict"] == verdict and (kinds is None or _kind_of_test(f) in kinds)
            and (kinds is not None or _kind_of_test(f) not in AGAINST_DATA + AGAINST_SOURCE)
        ]  # fmt: skip

    groups = {
        "data": claims_of(AGAINST_DATA),
        "source": claims_of(AGAINST_SOURCE),
        "itself": claims_of(None),
        "unsupported": claims_of(None, "unsupported"),
    }
    contradicted = [row for row in source if row["status"] == "contradicted by source"]
    uncertain = [row for row in source if row["status"] == "uncertain: depends on the reading"]
    numbers = {n for group in groups.values() for f in group for n in f["registry_id"].split()}
    numbers |= {c["registry_id"] for c in contradicted}
    return {
        **groups, "contradicted": contradicted, "uncertain": uncertain, "numbers": sorted(numbers),
        "claims": sum(len(group) for group in groups.values()),
    }  # fmt: skip


def _checks_that_hold(claims: Rows, checks: Rows) -> list[dict[str, Any]]:
    """Claims that hold against the article's own numbers, each with what the public source says of those numbers."""
    status = {row["registry_id"]: f"{row['registry_id']}: {row['status']}" for row in checks if row["registry_id"]}
    held = []
    for claim in [claim for claim in claims if claim["verdict"] == "consistent"]:
        against = [status[n] for n in claim["registry_id"].split() if n in status and "agrees" not in status[n]]
        held.append({**claim, "source_says": "; ".join(against)})
    return held


def split_by_publication(claims: Rows) -> tuple[Rows, Rows]:
    """The claims the article's own data, the public source or the article itself show wrong (or leave without
    support), apart from those that fail only because data were changed after publication (the ledger's
    verdict, gigpaper.as_published)."""
    wrong = [claim for claim in claims if claim["verdict"] not in ("consistent", DATA_CHANGED)]
    return wrong, [claim for claim in claims if claim["verdict"] == DATA_CHANGED]


def _figure(number: int, svg: str, table: str) -> dict[str, Any]:
    """A figure as the page shows it: its SVG beside the values of its data table."""
    columns, rows = text_table(table)
    return {"number": number, "svg": svg, "columns": columns, "rows": rows}


def write_review(
    template: str, ledger: str, figures: list[str], figure_tables: list[str], figure1_oli: str, source_check: str,
    datapackage: str, bibliography: str, errata: str, metadata: str, outputs: list[str], review: str,
    translations: str | None = None,
) -> dict[str, str]:  # fmt: skip
    """One self-contained HTML page for reviewers: findings, every number with its details, figures beside
    their values, sources and their status, errata, checksums. Returns the checksum of each output, each read once."""
    digests = outputs_as_written(outputs)

    frame = read_text_rows(ledger)
    claims = [row for row in frame if row["category"] == "claim"]
    numbers = number_summaries(frame)
    references = load_yaml(bibliography)["references"]
    for ref in references:  # the copy-editor's note in the page's language, or the older per-language note
        note = ref.get("reviewer_note") or ref.get("note") or ""
        ref["review_note"] = note.get(REVIEW_LANG, "") if isinstance(note, dict) else str(note)
        ref["findings"] = _ordered([row["findings"] for row in frame if row["claim"] == f"reference:{ref['id']}"])
    checks = read_text_rows(source_check)
    article_findings, data_changed = split_by_publication(claims)
    context = {
        "meta": load_yaml(metadata),
        "numbers": numbers,
        "findings": article_findings,
        "data_changed": data_changed,
        "checks": _checks_that_hold(claims, checks),
        "wrong": wrong_numbers(claims, checks),
        "counts": {
            "numbers": len(numbers),
            "findings": len(article_findings),
            "consistent": sum(1 for claim in claims if claim["verdict"] == "consistent"),
            "numbers_with_findings": sum(1 for n in numbers if n["findings"]),
            "provenance": dict(sorted(Counter(n["provenance"] for n in numbers).items())),
            "unconfirmed_sources": sum(1 for ref in references if ref.get("status", "confirmed") != "confirmed"),
        },
        "other_rows": [row for row in frame if row["category"] not in ("data", "claim", "reference")],
        "figures": [
            _figure(figure.number, _inline_svg(svg, name), table)
            for (name, figure), svg, table in zip(FIGURES.items(), figures, figure_tables, strict=True)
        ],
        "source_check": {  # the source check tests the figure of the OLI data against the OLI's own files
            "published": _inline_svg(figures[list(FIGURES).index(OLI_FIGURE)], f"check-{OLI_FIGURE}"),
            "oli": _inline_svg(figure1_oli, "check-oli"),
            "table": checks,
            "counts": dict(sorted(Counter((row["figure"], row["status"]) for row in checks).items())),
            "shown": ["registry_id", "country", "period", "stated", "source_value", "readings", "status", "cited"],
        },
        "resources": load_yaml(datapackage)["resources"],
        "references": references,
        "errata": load_yaml(errata),
        "manifest": manifest_text(digests).splitlines(),
        "translations": Path(translations).read_text(encoding="utf-8").splitlines() if translations else [],
    }
    env = templating.environment()
    env.autoescape = True  # an HTML page: every value from data is escaped
    compiled = templating.compiled(env, Path(template).read_text(encoding="utf-8"), template)
    page = templating.render(compiled, context, template)
    atomic.write_text(review, page)
    return digests


def write_review_and_manifest(manifest: str, **page: Any) -> None:
    """The reviewer page, then the manifest of every output and the page, in one step: each file the manifest
    lists is an input of the page or the page itself, so neither is ever made without the other."""
    digests = write_review(**page)
    write_manifest({**digests, **outputs_as_written([page["review"]])}, manifest)
