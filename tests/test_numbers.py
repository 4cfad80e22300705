"""The number registry: one row per quoted number, each traced to a raw cell, printed per language."""

from __future__ import annotations

import csv
import re

import pandas as pd
import pytest
from gigpaper.errors import SourceDataError
from gigpaper.numbers import NumberRegistry, format_number
from gigpaper.validate import check_statement_in_article
from published import PUBLISHED, YEAR_CITATION

ARTICLE = PUBLISHED.read_text(encoding="utf-8").splitlines()
# How the published text writes a value: digits, thousands ("500 мың"), or a Kazakh word.
WORDS = {6: "алты"}


def printed_on(line: int, value: float) -> bool:
    """Whether the published line prints `value`, checked here independently of gigpaper.validate."""
    forms = [f"{value:g}"] + ([f"{value / 1000:g}"] if value >= 1000 and value % 1000 == 0 else [])
    text = ARTICLE[line - 1]
    return any(re.search(rf"(?<![\d.,]){re.escape(form)}(?![\d]|[.,]\d)", text) for form in forms) or (
        value in WORDS and re.search(rf"(?<!\w){WORDS[value]}(?!\w)", text) is not None
    )


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
    assert set(derived["id"]) == {"ppmi_writing_translation_men"}
    assert (derived["derivation"] != "").all()
    assert "line 555" in derived.iloc[0]["derivation"]


def test_numbers_the_article_prints_are_stated_not_derived(registry):
    """Years, "top 5" and "six" are printed in the text and captions: stated, with their lines."""
    rows = registry.set_index("id")
    for number_id, line in [
        ("oli_first_year", "491"), ("oli_last_year", "491"), ("oli_top_country_count", "492"),
        ("ppmi_data_year", "524"), ("oli_category_count", "462"),
    ]:  # fmt: skip
        assert rows.loc[number_id, "obtained"] == "stated_in_text", number_id
        assert rows.loc[number_id, "source_line"] == line, number_id
    assert rows.loc["oli_first_year", "other_lines"].split() == ["494", "501", "509"]
    assert rows.loc["platform_employment_law_year", "other_lines"].split() == ["316", "334", "439"]


def test_each_registry_row_prints_its_number_on_its_source_line_exactly(registry):
    checked = 0
    for row in registry.to_dict("records"):
        if not row["source_line"]:
            assert row["obtained"] == "complement_of_stated", f"{row['id']} has no source_line"
            continue
        value = float(row["low"] if row["kind"] == "range" else row["value"])
        assert printed_on(int(row["source_line"]), value), (
            f"{row['id']}: line {row['source_line']} does not print {value:g}: «{ARTICLE[int(row['source_line']) - 1]}»"
        )
        for other in row["other_lines"].split():
            parts = [float(row[p]) for p in ("value", "low", "high") if row[p]]
            assert any(printed_on(int(other), v) for v in parts), (
                f"{row['id']}: other line {other} prints none of {parts}"
            )
        checked += 1
    assert checked >= 34


def test_every_number_the_published_body_prints_is_listed_at_its_line(registry):
    """Each digit run of the body (not a citation, a figure or table number, or page furniture) is the
    source_line or one of the other_lines of a registry row that holds that value."""
    listed = set()
    for row in registry.to_dict("records"):
        for line in [row["source_line"], *row["other_lines"].split()] if row["source_line"] else []:
            for part in ("value", "low", "high"):
                if row[part]:
                    value = float(row[part])
                    listed |= {(int(line), f"{value:g}"), (int(line), f"{value / 1000:g}")}
    text = "\n".join(ARTICLE)
    # Blank out author-date citations (they may run over a line end), figure/table numbering and the running head.
    for pattern in (YEAR_CITATION, re.compile(r"(Кесте|Сурет) \d|\d-(ші|суретте)|ISSN.*|^\s*\d+\s*$", re.M)):
        text = pattern.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)
    text = re.sub(r"\((Online Labour Observatory|PPMI|European Training Foundation) \(\d{4}\)", " ", text)
    text = re.sub(r"(Online Labour Observatory|PPMI|European Training Foundation) \(\d{4}\)", " ", text)
    unlisted = []
    for number, line in enumerate(text.splitlines(), 1):
        if number < 96:
            continue
        for digits in re.findall(r"\d+", line):
            if (number, digits) not in listed:
                unlisted.append((number, digits, ARTICLE[number - 1].strip()))
    assert not unlisted, unlisted


def test_the_statement_check_is_exact():
    """A statement found one line off is refused, and the message names the line that prints the number."""
    row = {
        "_row": 13,
        "source_line": 565,
        "statement": "мұнда ерлер 68%",
        "share_pct": 68.0,
        "obtained": "stated_in_text",
    }
    with pytest.raises(SourceDataError) as caught:
        check_statement_in_article("ppmi.csv", [row], article_lines=ARTICLE)
    assert "column 'source_line'" in str(caught.value) and "on line 566" in str(caught.value)
    check_statement_in_article("ppmi.csv", [{**row, "source_line": 566}], article_lines=ARTICLE)
    with pytest.raises(SourceDataError, match="other_lines"):
        check_statement_in_article(
            "ppmi.csv", [{**row, "source_line": 566, "other_lines": "565"}], article_lines=ARTICLE
        )


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


def test_a_corrected_raw_value_passes_the_statement_check_at_its_line():
    """An author may correct a value the article printed: the quote still stands at its line, and the
    claims ledger reports the disagreement (tests/test_review.py)."""
    row = {"_row": 10, "source_line": 564, "statement": "ал әйелдер тек 33% алады", "share_pct": 37.0}
    check_statement_in_article("ppmi.csv", [{**row, "obtained": "stated_in_text"}], article_lines=ARTICLE)
    with pytest.raises(SourceDataError, match="column 'source_line'"):
        check_statement_in_article(
            "ppmi.csv", [{**row, "source_line": 563, "obtained": "stated_in_text"}], article_lines=ARTICLE
        )
