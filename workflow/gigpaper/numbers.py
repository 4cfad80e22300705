"""The number registry: every number the article quotes, with its provenance and its print form.

The registry is built from the tidy tables; the manuscript reads it through `NumberRegistry`,
which formats each value for an edition's language.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import pandas as pd

from gigpaper import atomic
from gigpaper.errors import BuildError

REGISTRY_COLUMNS = [
    "id", "kind", "value", "low", "high", "unit", "citation_key", "cited_locator", "obtained",
    "derivation", "raw_file", "raw_row", "raw_column", "source_line", "other_lines", "statement", "note",
]  # fmt: skip

# Digit grouping and decimal mark per language; U+202F is a narrow no-break space.
NUMBER_STYLE = {
    "kk": {"group": "\u202f", "decimal": ",", "group_from": 10_000},
    "ru": {"group": "\u202f", "decimal": ",", "group_from": 10_000},
    "en": {"group": ",", "decimal": ".", "group_from": 1_000},
}
RANGE_DASH = "\u2013"


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value == ""


def _measured_columns(kind: str) -> str:
    return "low,high" if kind == "range" else "value"


def _online_labour_index_numbers(oli: pd.DataFrame) -> list[dict[str, Any]]:
    numbers = []
    for row in oli.itertuples(index=False):
        years = f"{row.year_start}" if row.year_start == row.year_end else f"{row.year_start}_{row.year_end}"
        numbers.append({
            "id": f"oli_{row.country.lower()}_{years}", "kind": row.kind, "value": row.value, "low": row.low,
            "high": row.high, "unit": "index_points", "citation_key": "olo2024", "obtained": "stated_in_text",
            "raw_file": row.raw_file, "raw_row": row.raw_row, "raw_column": _measured_columns(row.kind),
            "source_line": row.source_line, "other_lines": row.other_lines, "statement": row.statement,
        })  # fmt: skip
    return numbers


def _gender_numbers(shares: pd.DataFrame) -> list[dict[str, Any]]:
    numbers = []
    for row in shares.itertuples(index=False):
        complement = row.obtained == "complement_of_stated"
        derivation = f"100 minus the other share of the occupation ({100 - row.share_pct:g}%, line {row.source_line})"
        numbers.append({
            "id": f"ppmi_{row.occupation}_{row.gender}", "kind": "point", "value": row.share_pct, "unit": "percent",
            "citation_key": "ppmi2024", "obtained": row.obtained, "derivation": derivation if complement else "",
            "raw_file": row.raw_file, "raw_row": row.raw_row, "raw_column": "share_pct",
            # A complement is printed nowhere: it has no line of its own.
            "source_line": None if complement else row.source_line, "statement": "" if complement else row.statement,
        })  # fmt: skip
    return numbers


def _article_numbers(quoted: pd.DataFrame) -> list[dict[str, Any]]:
    records = quoted.to_dict("records")
    for record in records:
        record["obtained"] = "stated_in_text"
        record["raw_column"] = _measured_columns(record["kind"])
    return records


def build_registry(online_labour_index: str, gender_by_occupation: str, article_numbers: str, registry: str) -> None:
    """Gather every quoted number into one table, one row per registry id."""
    numbers = (
        _online_labour_index_numbers(pd.read_csv(online_labour_index, dtype={"other_lines": str}))
        + _gender_numbers(pd.read_csv(gender_by_occupation))
        + _article_numbers(pd.read_csv(article_numbers, dtype={"cited_locator": str, "other_lines": str}))
    )
    frame = pd.DataFrame(numbers).reindex(columns=REGISTRY_COLUMNS)
    frame["source_line"] = frame["source_line"].astype("Int64")
    duplicated = frame["id"][frame["id"].duplicated()].tolist()
    if duplicated:
        raise BuildError(f"The number registry would hold these ids twice: {', '.join(duplicated)}.")
    atomic.write_csv(registry, frame.sort_values("id", kind="stable"))


def format_number(value: float, lang: str, unit: str = "") -> str:
    """Print a number as the edition's language writes it (years are never grouped)."""
    style = NUMBER_STYLE[lang]
    if float(value).is_integer():
        text = str(int(value))
        if unit != "year" and abs(value) >= style["group_from"]:
            text = f"{int(value):,}".replace(",", style["group"])
        return text
    return f"{value:,.1f}".replace(",", "\0").replace(".", style["decimal"]).replace("\0", style["group"])


@dataclass(frozen=True)
class Quantity:
    """One registry number as an edition prints it; `str()` gives the value with its unit."""

    id: str
    kind: str
    number: float | None
    range_low: float | None
    range_high: float | None
    unit: str
    lang: str

    def _print(self, number: float | None) -> str:
        if number is None:
            raise BuildError(f"Registry number '{self.id}' is a {self.kind} and has no such part.")
        suffix = "%" if self.unit == "percent" else ""
        return format_number(number, self.lang, self.unit) + suffix

    def __str__(self) -> str:
        if self.kind == "range":
            return f"{self._print(self.range_low).rstrip('%')}{RANGE_DASH}{self._print(self.range_high)}"
        return self._print(self.number)

    @property
    def low(self) -> str:
        return self._print(self.range_low)

    @property
    def high(self) -> str:
        return self._print(self.range_high)

    @property
    def thousands(self) -> str:
        if self.number is None or self.number % 1000:
            raise BuildError(f"Registry number '{self.id}' is not a whole number of thousands.")
        return format_number(self.number / 1000, self.lang)


class NumberRegistry:
    """Attribute access to registry numbers for templates: `n.oli_kaz_2020`."""

    def __init__(self, registry: pd.DataFrame, lang: str):
        self._lang = lang
        self._quantities = {
            row["id"]: Quantity(
                id=row["id"], kind=row["kind"], unit=row["unit"], lang=lang,
                **{field: None if _blank(row[part]) else float(row[part])
                   for field, part in (("number", "value"), ("range_low", "low"), ("range_high", "high"))},
            )
            for row in registry.to_dict("records")
        }  # fmt: skip

    @classmethod
    def from_csv(cls, path: str, lang: str) -> NumberRegistry:
        return cls(pd.read_csv(path, dtype={"raw_row": str}), lang)

    def __getattr__(self, name: str) -> Quantity:
        try:
            return self._quantities[name]
        except KeyError:
            raise AttributeError(name) from None
