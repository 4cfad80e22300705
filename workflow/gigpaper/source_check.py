"""Check the article's Figure 1 and Figure 2 statements against the public OLI data they cite.

Figure 1 states an "Online Labour Index" per country (Kazakhstan and the top-5 countries, 2020-2024).
The OLI worker-supply data support relative shares, not levels (their producers say so), so the
value compared is the country's share of the world's online workers in the year, in percent; as a
second reading, the country's share within each occupation (lowest and highest) is reported beside it.
Figure 2 states women's and men's shares by occupation in Kazakhstan; the OLI 2020 gender estimates
are compared where they hold enough Kazakh profiles to make a share, and otherwise say so.

The result is data/processed/source_check.csv, one row per checked statement; gigpaper.source_chart
draws the same countries and years from the OLI data for the reviewer page.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pandas as pd

from gigpaper import atomic, oli

AGREES, CONTRADICTED, NO_SOURCE = "agrees with source", "contradicted by source", "no public source"
# How "agrees" is decided for each kind of statement (written into every row it applies to).
POINT_RELATIVE, POINT_ABSOLUTE = 0.10, 0.5
APPROXIMATE_RELATIVE, APPROXIMATE_ABSOLUTE = 0.20, 1.0
MIN_KNOWN_GENDER = 100
RULES = {
    "point": (
        f"a value printed as a whole number ('35'): agrees if the source is within {POINT_RELATIVE:.0%} of it or "
        f"±{POINT_ABSOLUTE:g} point, whichever is wider ({POINT_RELATIVE:.0%}: how closely a value can be read off "
        f"a chart; ±{POINT_ABSOLUTE:g}: the rounding of a whole number)"
    ),
    "approximate": (
        f"'about x': agrees if the source is within {APPROXIMATE_RELATIVE:.0%} of x or ±{APPROXIMATE_ABSOLUTE:g} "
        "point, whichever is wider (twice a point's tolerance, since the article calls the value approximate)"
    ),
    "upper_bound": "'below x': agrees if the source is below x",
    "lower_bound": "'above x': agrees if the source is above x",
    "range": "'between a and b' over a period: agrees if the source's value of every year of the period lies in [a, b]",
    "gender_share": (
        f"a share of women or men in an occupation: checked only where the source has at least {MIN_KNOWN_GENDER} "
        "profiles of known gender (the 95% margin of a share is then at most ±9.8 points); it agrees if the stated "
        f"share lies within that margin of the source's share or ±{POINT_ABSOLUTE:g} point"
    ),
}
SHARE_UNIT = "percent of the world's online workers (OLI worker supply, annual mean over occupations)"
GENDER_UNIT = "percent of the occupation's OLI 2020 profiles of known gender in Kazakhstan"
WORDS = {"point": "{v}", "approximate": "about {v}", "upper_bound": "below {v}", "lower_bound": "above {v}"}
COLUMNS = [
    "figure", "registry_id", "country", "period", "kind", "stated", "statement", "source_line", "source_value",
    "source_unit", "source_rows", "difference", "status", "reason", "agreement_rule", "other_reading",
]  # fmt: skip


def _number(value: float) -> str:
    """Two decimals, as the check prints every computed value (enough to tell 0.21 from 5)."""
    return f"{value:.2f}"


def _stated(row: Any) -> str:
    if row.kind == "range":
        return f"between {row.low:g} and {row.high:g}"
    return WORDS[row.kind].format(v=f"{row.value:g}")


def _registry_ids(registry: pd.DataFrame) -> dict[tuple[str, int], str]:
    """Registry id of each stated cell, by raw file name and row."""
    stated = registry[registry["raw_row"].astype(str).str.fullmatch(r"\d+")]
    return {
        (Path(f).name, int(r)): i for f, r, i in zip(stated["raw_file"], stated["raw_row"], stated["id"], strict=True)
    }


def _supply_rows(supply: pd.DataFrame, path: str, country: str, years: list[int]) -> str:
    """The rows of the worker-supply file a value comes from, and those of the world total."""
    parts = []
    for year in years:
        own = supply[(supply["country"] == country) & (supply["year"] == year)]
        world = supply[supply["year"] == year]
        if supply.attrs.get("format") == "yearly":  # one row per occupation, listed
            own_rows = "rows " + ", ".join(str(r) for r in sorted(own["first_row"]))
        else:
            own_rows = f"{int(own['n_rows'].sum())} daily rows (lines {own['first_row'].min()}-{own['last_row'].max()})"
        parts.append(f"{year}: {own_rows}; world total: all {int(world['n_rows'].sum())} rows of {year}")
    return f"{path} " + " | ".join(parts)


def _compare(kind: str, stated: float, value: float) -> tuple[bool, float]:
    difference = value - stated
    if kind == "point":
        return abs(difference) <= max(POINT_ABSOLUTE, POINT_RELATIVE * stated), difference
    if kind == "approximate":
        return abs(difference) <= max(APPROXIMATE_ABSOLUTE, APPROXIMATE_RELATIVE * stated), difference
    if kind == "upper_bound":
        return value < stated, difference
    return value > stated, difference  # lower_bound


def check_figure1(statements: pd.DataFrame, supply: pd.DataFrame, ids: dict, supply_path: str) -> list[dict]:
    """One row per Figure 1 statement: the stated value beside the country's share of the world's workers."""
    shares = oli.shares(supply).set_index(["country", "year"])
    rows = []
    for row in statements.sort_values("raw_row").itertuples(index=False):
        years = list(range(int(row.year_start), int(row.year_end) + 1))
        base = {
            "figure": "figure 1", "registry_id": ids.get((Path(row.raw_file).name, int(row.raw_row)), ""),
            "country": row.country, "kind": row.kind, "stated": _stated(row), "statement": row.statement,
            "source_line": int(row.source_line), "source_unit": SHARE_UNIT,
            "period": str(years[0]) if len(years) == 1 else f"{years[0]}-{years[-1]}", "agreement_rule": RULES[row.kind],
        }  # fmt: skip
        missing = [y for y in years if (row.country, y) not in shares.index]
        if missing:
            rows.append({**base, "source_value": "", "source_rows": "", "difference": "", "status": NO_SOURCE,
                         "reason": f"{supply_path} has no row for {row.country} in " + ", ".join(map(str, missing)),
                         "other_reading": ""})  # fmt: skip
            continue
        found = shares.loc[[(row.country, y) for y in years]]
        values = list(found["share_pct"])
        ranks = ", ".join(f"{y}: {r} of {n}" for y, r, n in zip(years, found["rank"], found["countries"], strict=True))
        spread = ", ".join(
            f"{y}: {_number(lo)}-{_number(hi)}"
            for y, lo, hi in zip(years, found["occupation_share_min"], found["occupation_share_max"], strict=True)
        )
        other = f"rank among countries by workers: {ranks}; share within one occupation, lowest-highest: {spread}"
        if row.kind == "range":
            outside = [v - row.low if v < row.low else v - row.high if v > row.high else 0.0 for v in values]
            difference = max(outside, key=abs)
            agrees = all(d == 0.0 for d in outside)
            value_text = "; ".join(f"{y}: {_number(v)}" for y, v in zip(years, values, strict=True))
            below = [str(y) for y, d in zip(years, outside, strict=True) if d < 0]
            above = [str(y) for y, d in zip(years, outside, strict=True) if d > 0]
            spread_text = f"the OLI shares of the world's online workers in {years[0]}-{years[-1]} run from {_number(min(values))} to {_number(max(values))}"
            reason = f"{spread_text}: " + ("every year in the range" if agrees else "outside the range in " + "; ".join(
                part for part in (f"{', '.join(below)} (below {row.low:g})" if below else "",
                                  f"{', '.join(above)} (above {row.high:g})" if above else "") if part
            ))  # fmt: skip
        else:
            agrees, difference = _compare(row.kind, row.value, values[0])
            value_text = _number(values[0])
            reason = f"the OLI share of the world's online workers in {years[0]} is {_number(values[0])}%, against the stated {_stated(row)}"
        rows.append({**base, "source_value": value_text, "source_rows": _supply_rows(supply, supply_path,
                     row.country, years), "difference": _number(difference), "status": AGREES if agrees else CONTRADICTED,
                     "reason": reason, "other_reading": other})  # fmt: skip
    return rows


def check_figure2(statements: pd.DataFrame, gender: pd.DataFrame, ids: dict, gender_path: str) -> list[dict]:
    """One row per Figure 2 share: what the OLI 2020 gender estimates say of Kazakhstan's occupation."""
    kazakh = gender[gender["country"] == "KAZ"]
    total = int(kazakh.loc[kazakh["occupation"] == "all", "profiles"].sum())
    rows = []
    for row in statements.sort_values("raw_row").itertuples(index=False):
        cells = kazakh[kazakh["occupation"] == row.occupation]
        counts = {g: int(cells.loc[cells["gender"] == g, "profiles"].sum()) for g in ("women", "men", "unknown")}
        known = counts["women"] + counts["men"]
        name = oli.OCCUPATIONS[row.occupation][1]
        source_rows = f"{gender_path} " + (
            "rows " + ", ".join(map(str, sorted(cells["row"]))) if len(cells) else f"no row for Kazakhstan, {name}"
        )
        base = {
            "figure": "figure 2", "registry_id": ids.get((Path(row.raw_file).name, int(row.raw_row)), ""),
            "country": "KAZ", "period": str(row.year), "kind": "point", "stated": f"{row.share_pct:g}%",
            "statement": row.statement, "source_line": int(row.source_line), "source_unit": GENDER_UNIT,
            "source_rows": source_rows, "agreement_rule": RULES["gender_share"],
            "other_reading": f"the source is of 2020, the statement of {row.year}",
        }  # fmt: skip
        profile_text = (
            f"{sum(counts.values())} Kazakh profile(s) in {name} ({counts['women']} women, {counts['men']} men, "
            f"{counts['unknown']} gender unknown; {total} in all occupations)"
        )
        if known < MIN_KNOWN_GENDER:
            rows.append({**base, "source_value": "", "difference": "", "status": NO_SOURCE,
                         "reason": f"the OLI 2020 gender estimates hold {profile_text}: too few for a share "
                                   f"(at least {MIN_KNOWN_GENDER} of known gender needed)"})  # fmt: skip
            continue
        share = counts[row.gender] / known * 100
        margin = 196 * math.sqrt(share / 100 * (1 - share / 100) / known)
        difference = share - row.share_pct
        agrees = abs(difference) <= max(POINT_ABSOLUTE, margin)
        rows.append({**base, "source_value": _number(share), "difference": _number(difference),
                     "status": AGREES if agrees else CONTRADICTED,
                     "reason": f"{profile_text}; 95% margin ±{_number(margin)} points"})  # fmt: skip
    return rows


def check_against_sources(
    worker_supply: str, worker_gender: str, online_labour_index: str, gender_by_occupation: str, registry: str,
    table: str,
) -> None:  # fmt: skip
    """Write the check of every Figure 1 and Figure 2 statement."""
    supply = oli.read_worker_supply(worker_supply)
    gender = oli.read_gender(worker_gender)
    ids = _registry_ids(pd.read_csv(registry, dtype={"raw_row": str}, keep_default_na=False))
    figure1 = pd.read_csv(online_labour_index)
    figure2 = pd.read_csv(gender_by_occupation)
    rows = check_figure1(figure1, supply, ids, worker_supply) + check_figure2(figure2, gender, ids, worker_gender)
    atomic.write_csv(table, pd.DataFrame(rows, columns=COLUMNS))
