"""Check the article's Figure 1 and Figure 2 statements against the public OLI data they cite.

Figure 1 states unitless "index coefficients" per country (Kazakhstan and the top-5 countries,
2020-2024) under a caption that calls them a rating; the article does not say what they measure.
The OLI worker-supply data support relative shares, not levels (their producers say so), so each
statement is judged under two readings: the country's share of the world's online workers in the
year, and its share within one occupation (anywhere between its lowest and highest). A verdict says
which readings it holds under; one that depends on the reading is "uncertain", with both values.
Figure 2 states women's and men's shares by occupation in Kazakhstan and cites PPMI (2024); the
OLI 2020 gender estimates are compared where they hold enough Kazakh profiles to make a share, and
otherwise the row says what the article cites, that source's status, and how few profiles there are.

The result is data/processed/source_check.csv, one row per checked statement; gigpaper.source_chart
draws the same countries and years from the OLI data for the reviewer page.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pandas as pd

from gigpaper import atomic, oli
from gigpaper.files import load_yaml

AGREES, CONTRADICTED, NO_SOURCE = "agrees with source", "contradicted by source", "no public source"
UNCERTAIN = "uncertain: depends on the reading"
UNCHECKABLE = "cannot be checked"
STATUSES = (CONTRADICTED, UNCERTAIN, AGREES, UNCHECKABLE, NO_SOURCE)  # the order a reviewer reads them in
READINGS = ("share of the world's online workers", "share within one occupation")
# Where the yearly worker-supply file comes from (data/raw/datapackage.yaml, its derivation): said beside
# every verdict that rests on it, since it is not the official deposit.
YEARLY_COPY = (
    "rests on data/raw/oli_worker_supply_annual.csv, yearly means copied from a third-party repository "
    "(GitHub AHoff2026/data-visualization), not the official deposit (figshare doi:10.6084/m9.figshare.3761562)"
)
# How "agrees" is decided for each kind of statement (written into every row it applies to). One
# tolerance for every point: a whole number stands for the values that round to it.
POINT_ABSOLUTE = 0.5
APPROXIMATE_RELATIVE, APPROXIMATE_ABSOLUTE = 0.20, 1.0
MIN_KNOWN_GENDER = 100
RULES = {
    "point": (
        f"a value printed as a whole number ('35'): agrees if the source is within ±{POINT_ABSOLUTE:g} point of it "
        "(the values that round to it), the same for every point"
    ),
    "approximate": (
        f"'about x': agrees if the source is within {APPROXIMATE_RELATIVE:.0%} of x or ±{APPROXIMATE_ABSOLUTE:g} "
        "point, whichever is wider (twice a point's tolerance, since the article calls the value approximate)"
    ),
    "upper_bound": "'below x': agrees if the source is below x",
    "lower_bound": "'above x': agrees if the source is above x",
    "range": "'between a and b' over a period: agrees if the source's value of every year of the period lies in [a, b]",
    "readings": (
        "each Figure 1 statement is judged under both readings of its 'index': the share of the world's online "
        "workers (the rule of its kind) and the share within one occupation (agrees if some value between the "
        "country's lowest and highest occupation share meets the rule); it agrees or is contradicted only if both "
        "readings say so, else it is uncertain"
    ),
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
    "source_unit", "source_rows", "difference", "status", "readings", "reason", "agreement_rule", "other_reading",
    "cited", "source_note",
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
        return abs(difference) <= POINT_ABSOLUTE, difference
    if kind == "approximate":
        return abs(difference) <= max(APPROXIMATE_ABSOLUTE, APPROXIMATE_RELATIVE * stated), difference
    if kind == "upper_bound":
        return value < stated, difference
    return value > stated, difference  # lower_bound


def _within_occupation(kind: str, stated: float, low: float, high: float) -> bool:
    """Whether some share between the country's lowest and highest occupation share meets the rule of `kind`."""
    if kind in ("point", "approximate"):
        nearest = min(max(stated, low), high)
        return _compare(kind, stated, nearest)[0]
    if kind == "upper_bound":
        return low < stated
    return high > stated  # lower_bound


def _verdict(world: bool, occupation: bool) -> str:
    return AGREES if world and occupation else CONTRADICTED if not (world or occupation) else UNCERTAIN


def _said(holds: bool) -> str:
    return "agrees" if holds else "contradicted"


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
            "period": str(years[0]) if len(years) == 1 else f"{years[0]}-{years[-1]}",
            "agreement_rule": f"{RULES[row.kind]}; {RULES['readings']}",
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
        lows, highs = list(found["occupation_share_min"]), list(found["occupation_share_max"])
        if row.kind == "range":
            outside = [v - row.low if v < row.low else v - row.high if v > row.high else 0.0 for v in values]
            difference = max(outside, key=abs)
            agrees = all(d == 0.0 for d in outside)
            by_occupation = all(lo <= row.high and hi >= row.low for lo, hi in zip(lows, highs, strict=True))
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
            by_occupation = _within_occupation(row.kind, row.value, lows[0], highs[0])
            value_text = _number(values[0])
            reason = f"the OLI share of the world's online workers in {years[0]} is {_number(values[0])}%, against the stated {_stated(row)}"
        occupation_text = ", ".join(f"{_number(lo)}-{_number(hi)}" for lo, hi in zip(lows, highs, strict=True))
        readings = (
            f"{READINGS[0]}: {_said(agrees)} ({value_text}); {READINGS[1]}: {_said(by_occupation)} ({occupation_text})"
        )
        rows.append({**base, "source_value": value_text, "source_rows": _supply_rows(supply, supply_path,
                     row.country, years), "difference": _number(difference), "status": _verdict(agrees, by_occupation),
                     "readings": readings, "reason": reason, "other_reading": other,
                     "source_note": YEARLY_COPY if supply.attrs.get("format") == "yearly" else ""})  # fmt: skip
    return rows


def check_figure2(
    statements: pd.DataFrame, gender: pd.DataFrame, ids: dict, gender_path: str, cited: dict[str, str] | None = None
) -> list[dict]:
    """One row per Figure 2 share: what the article cites for it (`cited`: by registry id, the work and its
    status) and what the OLI 2020 gender estimates, the nearest public data, say of Kazakhstan's occupation."""
    cited = cited or {}
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
        base["cited"] = cited.get(base["registry_id"], "")
        profile_text = (
            f"{sum(counts.values())} Kazakh profile(s) in {name} ({counts['women']} women, {counts['men']} men, "
            f"{counts['unknown']} gender unknown; {total} in all occupations)"
        )
        if known < MIN_KNOWN_GENDER:
            work = f"the article cites {base['cited']}; " if base["cited"] else ""
            rows.append({**base, "source_value": "", "difference": "", "status": UNCHECKABLE,
                         "reason": f"{work}the OLI 2020 gender estimates hold {profile_text}: too few to check a "
                                   f"share (at least {MIN_KNOWN_GENDER} of known gender needed)"})  # fmt: skip
            continue
        share = counts[row.gender] / known * 100
        margin = 196 * math.sqrt(share / 100 * (1 - share / 100) / known)
        difference = share - row.share_pct
        agrees = abs(difference) <= max(POINT_ABSOLUTE, margin)
        rows.append({**base, "source_value": _number(share), "difference": _number(difference),
                     "status": AGREES if agrees else CONTRADICTED,
                     "reason": f"{profile_text}; 95% margin ±{_number(margin)} points"})  # fmt: skip
    return rows


def _cited_works(numbers: pd.DataFrame, references: list[dict]) -> dict[str, str]:
    """The work each registry number cites and its status, as the reviewer reads it: 'ppmi2024 (PPMI, 2024; unconfirmed)'."""
    works = {}
    for ref in references:
        author = (ref.get("author") or [{}])[0]
        name = author.get("literal") or author.get("family") or ref["id"]
        name = name.get("en", ref["id"]) if isinstance(name, dict) else name
        works[ref["id"]] = f"{ref['id']} ({name}, {ref['issued']}; {ref.get('status', 'confirmed')})"
    return {row.id: works[row.citation_key] for row in numbers.itertuples() if row.citation_key in works}


def check_against_sources(
    worker_supply: str, worker_gender: str, online_labour_index: str, gender_by_occupation: str, registry: str,
    bibliography: str, table: str,
) -> None:  # fmt: skip
    """Write the check of every Figure 1 and Figure 2 statement."""
    supply = oli.read_worker_supply(worker_supply)
    gender = oli.read_gender(worker_gender)
    numbers = pd.read_csv(registry, dtype={"raw_row": str}, keep_default_na=False)
    ids = _registry_ids(numbers)
    cited = _cited_works(numbers, load_yaml(bibliography)["references"])
    figure1 = pd.read_csv(online_labour_index)
    figure2 = pd.read_csv(gender_by_occupation)
    rows = check_figure1(figure1, supply, ids, worker_supply) + check_figure2(
        figure2, gender, ids, worker_gender, cited
    )
    for row in rows:
        row["cited"] = cited.get(row["registry_id"], "")
    atomic.write_csv(table, pd.DataFrame(rows, columns=COLUMNS))
