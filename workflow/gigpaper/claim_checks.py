"""The article's claims (manuscript/claims.yaml) checked against its own numbers, data and sources.

Each claim names a check `type`; CHECKS maps each type to one small function that returns the
verdict, what the data or the other passage says, and the lines it rests on.
"""

from __future__ import annotations

from typing import Any

from gigpaper.errors import BuildError

# The registry's rows by id, and the data tables by name, as gigpaper.rows reads them (None where blank).
Values = dict[str, dict[str, Any]]
Tables = dict[str, list[dict[str, Any]]]
# The claims ledger's verdict for what holds of the article as published (gigpaper.as_published.published_values)
# but not of the data as changed since; the reviewer page sets these claims apart.
DATA_CHANGED = "data changed after publication"


def _describe(values: Values, number_id: str) -> str:
    row = values[number_id]
    parts = [row["low"], row["high"]] if row["kind"] == "range" else [row["value"]]
    unit = "%" if row["unit"] == "percent" else ""
    value = "–".join(f"{float(p):g}" for p in parts) + unit
    line = "" if row["source_line"] is None else f", line {int(row['source_line'])}"
    return f"{number_id} = {value}{line}"


def _number_lines(values: Values, numbers: list[str]) -> list[int]:
    return [int(values[n]["source_line"]) for n in numbers if values[n]["source_line"] is not None]


Finding = tuple[str, str, list[int]]  # (verdict, what the data or the other passage says, the lines it rests on)


def _share_majority(check: dict, values: Values, bibliography: dict, tables: Tables) -> Finding:
    """'Women dominate X': every share named must be above 50%."""
    numbers = check["numbers"]
    shares = {n: float(values[n]["value"]) for n in numbers}
    minority = [n for n, v in shares.items() if v <= 50]
    majority = [n for n in shares if n not in minority]
    detail = "; ".join(
        f"{label}: " + ", ".join(_describe(values, n) for n in group)
        for label, group in (("women a minority", minority), ("women a majority", majority))
        if group
    )
    return ("inconsistent" if minority else "consistent"), detail, _number_lines(values, numbers)


def _equal(check: dict, values: Values, bibliography: dict, tables: Tables) -> Finding:
    """Two passages print the same quantity: their values must be the same."""
    numbers = check["numbers"]
    parts = [tuple(-1 if values[n][c] is None else values[n][c] for c in ("value", "low", "high")) for n in numbers]
    detail = " and ".join(_describe(values, n) for n in numbers)
    return ("consistent" if len(set(parts)) == 1 else "inconsistent"), detail, _number_lines(values, numbers)


def _source_predates_period(check: dict, values: Values, bibliography: dict, tables: Tables) -> Finding:
    """A value said to describe a period must not cite a work published before the period began."""
    numbers = check["numbers"]
    start = int(values[check["period_start"]]["value"])
    years = {ref["id"]: int(ref["issued"]) for ref in bibliography["references"]}
    cited = {n: values[n]["citation_key"] for n in numbers}
    early = {n: key for n, key in cited.items() if isinstance(key, str) and years[key] < start}
    lines = _number_lines(values, numbers + [check["period_start"]])
    if early:
        detail = "; ".join(f"{n} cites {k} ({years[k]}) for the period from {start}" for n, k in early.items())
        return "inconsistent", detail + f" ({_describe(values, check['period_start'])})", lines
    return "consistent", f"sources are from {start} or later", lines


def _beyond(value: float | None, than: float | None, word: str) -> bool:
    """Whether `value` is lower (higher) than `than`; a missing value is neither."""
    if value is None or than is None:
        return False
    return value < than if word == "lower" else value > than


def _extreme_in_year(word: str):
    """'X is the lowest (highest) in its year': no other stated value of that year lies beyond it."""

    def check_extreme(check: dict, values: Values, bibliography: dict, tables: Tables) -> Finding:
        numbers = check["numbers"]
        oli = tables["online_labour_index"]
        by_row = {row["raw_row"]: row for row in oli}
        lines, findings = _number_lines(values, numbers), []
        for number_id in numbers:
            row = by_row[int(values[number_id]["raw_row"])]
            year = row["year_start"]
            others = [o for o in oli if o["year_start"] <= year <= o["year_end"] and o["country"] != row["country"]]
            # A range over the period counts with its nearer end; a bound with its value.
            end = "low" if word == "lower" else "high"
            beyond = [
                o for o in others if _beyond(o["value"] if o["value"] is not None else o[end], row["value"], word)
            ]
            if beyond:
                countries = ", ".join(f"{o['country']} (line {o['source_line']})" for o in beyond)
                return "inconsistent", f"{word} in {year}: {countries}", lines
            findings.append(f"no stated value of {year} is {word} than {_describe(values, number_id)}")
            lines += [int(o["source_line"]) for o in others]
        return "consistent", "; ".join(findings), sorted(set(lines))

    check_extreme.__doc__ = (
        f"'X is the {word.replace('er', 'est')} in its year': no other stated value of that year lies {word}."
    )
    return check_extreme


def _matches_data(check: dict, values: Values, bibliography: dict, tables: Tables) -> Finding:
    """A number the text states about a data table (its count, its least or greatest value) must be what the table holds."""
    column = [row[check["column"]] for row in tables[check["table"]] if row[check["column"]] is not None]
    distinct = set(column)
    summaries = {
        "min": lambda: min(column), "max": lambda: max(column),
        "only": lambda: column[0] if len(distinct) == 1 else None,
        "count_except": lambda: len(distinct - set(check.get("except", []))),
    }  # fmt: skip
    data = summaries[check["summary"]]()
    stated = float(values[check["number"]]["value"])
    detail = (
        f"{_describe(values, check['number'])}; the data ({check['table']}, {check['summary']} of "
        f"{check['column']}) gives {data if data is not None else 'several values'}"
    )
    return ("consistent" if data is not None and float(data) == stated else "inconsistent"), detail, []


def _citation_year(check: dict, values: Values, bibliography: dict, tables: Tables) -> Finding:
    """A work must be cited with the year it was published."""
    by_key = {ref["id"]: ref for ref in bibliography["references"]}
    cited = int(by_key[check["key"]]["issued"])
    published = int(check["published"])
    detail = f"cited as {cited}; {check['evidence']} gives {published}"
    return ("consistent" if cited == published else "inconsistent"), detail, []


def _exceeds(check: dict, values: Values, bibliography: dict, tables: Tables) -> Finding:
    """'Relatively large': every share named must be above every share it is set against (`than`)."""
    numbers, than = check["numbers"], check["than"]
    lowest = min(float(values[n]["value"]) for n in numbers)
    highest = max(float(values[n]["value"]) for n in than)
    detail = (
        ", ".join(_describe(values, n) for n in numbers) + " against " + ", ".join(_describe(values, n) for n in than)
    )
    return ("consistent" if lowest > highest else "inconsistent"), detail, _number_lines(values, numbers + than)


def _top_in_source(check: dict, values: Values, bibliography: dict, tables: Tables) -> Finding:
    """'The top N': every country the figure shows (but those `except`) must rank within N by online workers in the
    public OLI data, in every year the figure covers."""
    top = int(values[check["number"]]["value"])
    figure, shares = tables["online_labour_index"], tables["oli_worker_shares"]
    countries = sorted({row["country"] for row in figure} - set(check.get("except", [])))
    ranks: dict[int, dict[str, int]] = {}  # year -> country -> rank; the table's cells are text (ledger.build_ledger)
    for row in shares:
        ranks.setdefault(int(row["year"]), {})[row["country"]] = int(row["rank"])
    outside = []
    for year in range(min(row["year_start"] for row in figure), max(row["year_end"] for row in figure) + 1):
        rank = ranks.get(year, {})
        outside += [
            f"{year}: {country} ranks {rank[country]} of {len(rank)}" for country in countries if rank[country] > top
        ]
    detail = f"{_describe(values, check['number'])}; the OLI worker data rank " + (
        "; ".join(outside) if outside else f"{', '.join(countries)} within the top {top} every year"
    )
    return ("inconsistent" if outside else "consistent"), detail, _number_lines(values, [check["number"]])


def _reader(check: dict, values: Values, bibliography: dict, tables: Tables) -> Finding:
    """A reading of the words themselves: the verdict is the reader's, the test it applies is in the claim."""
    return check["reader_finding"], "", []


CHECKS = {
    "share_majority": _share_majority,
    "equal": _equal,
    "source_predates_period": _source_predates_period,
    "lowest_in_year": _extreme_in_year("lower"),
    "highest_in_year": _extreme_in_year("higher"),
    "matches_data": _matches_data,
    "citation_year": _citation_year,
    "exceeds": _exceeds,
    "top_in_source": _top_in_source,
    "reader": _reader,
}


def claim_finding(claim: dict[str, Any], values: Values, bibliography: dict[str, Any], tables: Tables) -> Finding:
    """(verdict, what the data or the other passage says, the lines it rests on) of one claim."""
    check = {"numbers": [], **claim["check"]}
    for number_id in (
        check["numbers"] + check.get("than", []) + [check[k] for k in ("number", "period_start") if k in check]
    ):
        if number_id not in values:
            raise BuildError(f"manuscript/claims.yaml, claim {claim['id']}: no registry number '{number_id}'.")
    if check["type"] not in CHECKS:
        raise BuildError(f"manuscript/claims.yaml, claim {claim['id']}: unknown check type '{check['type']}'.")
    return CHECKS[check["type"]](check, values, bibliography, tables)


def check_claims(
    claim_list: list[dict[str, Any]], registry: list[dict[str, Any]], bibliography: dict[str, Any], tables: Tables
) -> list[dict[str, Any]]:
    """Each claim with its verdict, the finding in words, and every line involved (its own first)."""
    values = {row["id"]: row for row in registry}
    checked = []
    for claim in claim_list:  # their quotes stand at their lines: the input check (gigpaper.checks) saw to it
        verdict, detail, data_lines = claim_finding(claim, values, bibliography, tables)
        others = "; ".join(f"line {o['line']}: «{o['statement']}»" for o in claim.get("others", []))
        text = " — ".join(part for part in (claim["says"].strip(), detail, others) if part)
        if claim.get("note"):
            text += f". {claim['note'].strip()}"
        lines = [claim["source_line"]] + [o["line"] for o in claim.get("others", [])] + data_lines
        kind = claim["check"]["type"]
        test = f"{kind}: " + (claim["check"].get("test") or " ".join(CHECKS[kind].__doc__.split()))
        checked.append({**claim, "verdict": verdict, "text": text, "test": test, "lines": list(dict.fromkeys(lines))})
    return checked
