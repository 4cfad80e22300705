"""The number registry: one row per quoted number, each traced to a raw cell, printed per language."""

from __future__ import annotations

import csv

import pandas as pd
import pytest
from gigpaper.numbers import NumberRegistry, format_number


@pytest.fixture(scope="module")
def registry(built) -> pd.DataFrame:
    return pd.read_csv(built / "data/processed/numbers.csv", dtype=str, keep_default_na=False)


def test_every_registry_number_traces_to_a_raw_cell(built, registry):
    for row in registry.to_dict("records"):
        raw_file = built / row["raw_file"]
        assert raw_file.exists(), row["id"]
        header = next(csv.reader(open(raw_file, encoding="utf-8")))
        for column in row["raw_column"].split(","):
            assert column in header, f"{row['id']}: {row['raw_file']} has no column {column}"
        if row["raw_row"] != "all":
            cells = list(csv.reader(open(raw_file, encoding="utf-8")))[int(row["raw_row"]) - 1]
            value_column = row["raw_column"].split(",")[0]
            stated = float(cells[header.index(value_column)])
            assert stated == float(row["value"] or row["low"]), row["id"]


def test_numbers_the_article_states_without_a_source_say_so(registry):
    unsourced = set(registry.loc[registry["citation_key"] == "", "id"])
    assert {"gender_pay_gap_couriers_microtasks", "pilot_it_freelance_women_target"} <= unsourced
    assert registry.set_index("id").loc["platform_workers_2023", "citation_key"] == "mlsp2023"


def test_derived_numbers_say_how(registry):
    derived = registry[registry["obtained"].isin(["derived", "complement_of_stated"])]
    assert set(derived["id"]) >= {
        "oli_first_year",
        "oli_last_year",
        "oli_top_country_count",
        "ppmi_writing_translation_men",
    }
    assert (derived["derivation"] != "").all()


@pytest.mark.parametrize(
    ("value", "lang", "unit", "printed"),
    [
        (500000, "en", "persons", "500,000"),
        (500000, "ru", "persons", "500\u202f000"),
        (500000, "kk", "persons", "500\u202f000"),
        (2024, "en", "year", "2024"),
        (2.5, "ru", "", "2,5"),
        (2.5, "en", "", "2.5"),
        (40, "kk", "percent", "40"),
        # Printing never changes a value, and groups decimals as it groups whole numbers.
        (2.25, "kk", "", "2,25"),
        (0.125, "en", "percent", "0.125"),
        (12345.5, "en", "", "12,345.5"),
        (12345.5, "ru", "", "12\u202f345,5"),
        (1234.5, "ru", "", "1234,5"),
        (1234, "ru", "persons", "1234"),
        (-7.5, "en", "", "-7.5"),
    ],
)
def test_numbers_are_printed_as_each_language_writes_them(value, lang, unit, printed):
    assert format_number(value, lang, unit) == printed


def test_registry_numbers_print_with_unit_and_kind(registry):
    numbers = NumberRegistry(registry.to_dict("records"), "kk")
    assert str(numbers.women_share_platform_workers) == "40%"
    assert str(numbers.gender_pay_gap_couriers_microtasks) == "20–30%"
    assert (numbers.oli_usa_2020_2024.low, numbers.oli_usa_2020_2024.high) == ("10", "20")
    assert numbers.platform_workers_2023.thousands == "500"
    assert str(NumberRegistry(registry.to_dict("records"), "en").platform_workers_2023) == "500,000"
