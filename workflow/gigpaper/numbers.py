"""The number registry: every number the article quotes, with its provenance and its print form.

The registry is built from the tidy tables; the manuscript reads it through `NumberRegistry`,
which formats each value for an edition's language.
"""

from __future__ import annotations

import math
import pickle
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from gigpaper import atomic, checked, memo
from gigpaper.catalogue import number_style
from gigpaper.errors import BuildError
from gigpaper.rows import read_text_rows

if TYPE_CHECKING:
    import pandas as pd

REGISTRY_COLUMNS = [
    "id", "kind", "value", "low", "high", "unit", "citation_key", "cited_locator", "obtained",
    "derivation", "raw_file", "raw_row", "raw_column", "source_line", "other_lines", "statement", "note",
]  # fmt: skip

RANGE_DASH = "\u2013"
# The data package resources the registry is built from, in `registry_frame`'s order.
REGISTRY_SOURCES = ("online_labour_index", "gender_by_occupation", "article_numbers")


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value == ""


def _measured_columns(kind: str) -> str:
    return "low,high" if kind == "range" else "value"


def _online_labour_index_numbers(oli: pd.DataFrame, citation_key: str) -> list[dict[str, Any]]:
    numbers = []
    for row in oli.itertuples(index=False):
        years = f"{row.year_start}" if row.year_start == row.year_end else f"{row.year_start}_{row.year_end}"
        numbers.append({
            "id": f"oli_{row.country.lower()}_{years}", "kind": row.kind, "value": row.value, "low": row.low,
            "high": row.high, "unit": "index_points", "citation_key": citation_key, "obtained": "stated_in_text",
            "raw_file": row.raw_file, "raw_row": row.raw_row, "raw_column": _measured_columns(row.kind),
            "source_line": row.source_line, "other_lines": row.other_lines, "statement": row.statement,
        })  # fmt: skip
    return numbers


def _gender_numbers(shares: pd.DataFrame, citation_key: str) -> list[dict[str, Any]]:
    numbers = []
    for row in shares.itertuples(index=False):
        complement = row.obtained == "complement_of_stated"
        derivation = f"100 minus the other share of the occupation ({100 - row.share_pct:g}%, line {row.source_line})"
        numbers.append({
            "id": f"ppmi_{row.occupation}_{row.gender}", "kind": "point", "value": row.share_pct, "unit": "percent",
            "citation_key": citation_key, "obtained": row.obtained, "derivation": derivation if complement else "",
            "raw_file": row.raw_file, "raw_row": row.raw_row, "raw_column": "share_pct",
            # A complement is printed nowhere: it has no line of its own.
            "source_line": None if complement else row.source_line, "statement": "" if complement else row.statement,
        })  # fmt: skip
    return numbers


def _article_numbers(quoted: pd.DataFrame) -> list[dict[str, Any]]:
    records = quoted.to_dict("records")
    for record in records:
        # A row without the article's line and words is a number a revision added, from the work it cites.
        record["obtained"] = "added_after_publication" if _blank(record["source_line"]) else "stated_in_text"
        record["raw_column"] = _measured_columns(record["kind"])
    return records


def registry_frame(
    online_labour_index: pd.DataFrame,
    gender_by_occupation: pd.DataFrame,
    article_numbers: pd.DataFrame,
    citations: dict[str, str | None],
) -> pd.DataFrame:
    """Every quoted number in one table, one row per registry id (the input check builds it too).

    A figure's numbers cite the work its data package resource names: `citations` maps each resource to it.
    Remembered in this process by its inputs' content (a repeated input check after a text edit).
    """
    tables = (online_labour_index, gender_by_occupation, article_numbers)
    parts = (pickle.dumps([*tables, citations], protocol=pickle.HIGHEST_PROTOCOL),)
    return memo.remembered("registry", parts, lambda: _registry_frame(tables, citations))


def _registry_frame(tables: tuple[pd.DataFrame, ...], citations: dict[str, str | None]) -> pd.DataFrame:
    import pandas as pd

    online_labour_index, gender_by_occupation, article_numbers = tables
    numbers = (
        _online_labour_index_numbers(online_labour_index, citations["online_labour_index"])
        + _gender_numbers(gender_by_occupation, citations["gender_by_occupation"])
        + _article_numbers(article_numbers)
    )
    frame = pd.DataFrame(numbers).reindex(columns=REGISTRY_COLUMNS)
    frame["source_line"] = frame["source_line"].astype("Int64")
    twice = frame[frame["id"].duplicated(keep=False)]
    if not twice.empty:
        number_id = twice["id"].iloc[0]
        places = twice[twice["id"] == number_id]
        cells = " and ".join(f"{f}, row {r}" for f, r in zip(places["raw_file"], places["raw_row"], strict=True))
        raise BuildError(f"Registry id '{number_id}' is defined twice, by {cells}; each id must be defined once.")
    return frame.sort_values("id", kind="stable")


def registry_from_csv(tables: dict[str, Any], citations: dict[str, str | None]) -> pd.DataFrame:
    """The registry of the tidy tables as their CSV gives them (`tables`: a file or a buffer per resource).

    The input check builds it from the CSV it keeps for the rules, so the two are the same bytes.
    """
    import pandas as pd

    as_text = {
        "online_labour_index": {"other_lines": str},
        "article_numbers": {"cited_locator": str, "other_lines": str},
    }
    return registry_frame(*(pd.read_csv(tables[name], dtype=as_text.get(name)) for name in REGISTRY_SOURCES), citations)


def registry_inputs(tables: dict[str, bytes], citations: dict[str, str | None]) -> tuple[Any, ...]:
    """What decides the registry, as `checked.key` takes it: the tidy tables' bytes by path, the citations."""
    return "registry", tables, citations


def build_registry(
    online_labour_index: str, gender_by_occupation: str, article_numbers: str, citations: dict, registry: str
) -> None:
    """Publish the input check's registry, or build it from the tidy tables when the check kept none for them."""
    tables = dict(zip(REGISTRY_SOURCES, (online_labour_index, gender_by_occupation, article_numbers), strict=True))
    if not checked.publish(registry, *registry_inputs(checked.read(tables.values()), citations)):
        atomic.write_csv(registry, registry_from_csv(tables, citations))


def format_number(value: float, lang: str, unit: str = "") -> str:
    """Print a number exactly as the data holds it, as the edition's language writes it.

    No rounding: printing never changes a value (2.25 prints as "2,25" in kk). The integer part is
    grouped the same way for whole numbers and decimals, from the language's threshold on; years never.
    """
    style = number_style(lang)  # digit grouping and decimal mark, from the catalogue
    exact = format(Decimal(repr(float(value))).normalize(), "f")  # the shortest digits that give back `value`
    sign, exact = ("-", exact[1:]) if exact.startswith("-") else ("", exact)
    whole, _, fraction = exact.partition(".")
    if unit != "year" and abs(value) >= style["group_from"]:
        whole = f"{int(whole):,}".replace(",", style["group"])
    return sign + whole + (style["decimal"] + fraction if fraction else "")


KIND_SYMBOLS = {"point": "", "approximate": "≈", "upper_bound": "<", "lower_bound": ">"}


def value_label(kind: str, value: float, low: float, high: float, lang: str, unit: str = "") -> str:
    """A value as the figures print it: '<5', '≈5', '10–20', '52%' (the claims ledger quotes it)."""
    suffix = "%" if unit == "percent" else ""
    if kind == "range":
        return f"{format_number(low, lang)}{RANGE_DASH}{format_number(high, lang)}{suffix}"
    return KIND_SYMBOLS[kind] + format_number(value, lang) + suffix


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
    def in_thousands(self) -> bool:
        """Whether it is a whole number of thousands, which `thousands` prints."""
        return self.number is not None and not self.number % 1000

    @property
    def thousands(self) -> str:
        if not self.in_thousands:
            raise BuildError(f"Registry number '{self.id}' is not a whole number of thousands.")
        return format_number(self.number / 1000, self.lang)


class NumberRegistry:
    """Attribute access to registry numbers for templates: `n.oli_kaz_2020`."""

    def __init__(self, records: Iterable[dict[str, Any]], lang: str):
        self._lang = lang
        self._quantities = {
            row["id"]: Quantity(
                id=row["id"], kind=row["kind"], unit=row["unit"], lang=lang,
                **{field: None if _blank(row[part]) else float(row[part])
                   for field, part in (("number", "value"), ("range_low", "low"), ("range_high", "high"))},
            )
            for row in records
        }  # fmt: skip

    @classmethod
    def from_csv(cls, path: str, lang: str) -> NumberRegistry:
        return cls(read_text_rows(path), lang)

    def ids(self) -> set[str]:
        return set(self._quantities)

    def __getattr__(self, name: str) -> Quantity:
        try:
            return self._quantities[name]
        except KeyError:
            raise AttributeError(name) from None
