"""`where` answers the queries a reviewer types: number words, the published text's own spellings, spans,
printed forms such as 'топ-5', bare citation keys and words; citation and numbering rows carry their lines."""

from __future__ import annotations

import pandas as pd
import pytest
from gigpaper.where import where
from published import PUBLISHED

ARTICLE = PUBLISHED.read_text(encoding="utf-8").splitlines()


def matched(built, query: str) -> dict[str, set[str]]:
    """The registry ids and ledger row names `where` lists for `query`, by kind of match."""
    rows = where(query, built / "manuscript/build/claims_ledger.csv")
    found: dict[str, set[str]] = {}
    for row in rows.to_dict("records"):
        found.setdefault(row["match"], set()).update(row["registry_id"].split() or [row["claim"]])
    return found


@pytest.mark.parametrize(
    ("query", "kind", "expected"),
    [
        ("алты", "exact", {"oli_category_count"}),  # the published word, not the section numbered 6
        ("шесть", "exact", {"oli_category_count"}),
        ("six", "exact", {"oli_category_count"}),
        ("5-тен", "exact", {"oli_kaz_2020"}),  # «индекс 5-тен аз»: below 5, not ≈5, top-5 or section 5
        ("52% -ын", "exact", {"ppmi_writing_translation_women"}),  # the published text's own spelling
        ("68% — ға", "exact", {"ppmi_creative_multimedia_men"}),
        ("2020-2024", "exact", {"oli_first_year", "oli_last_year"}),
        ("топ-5", "exact", {"oli_top_country_count"}),
        ("kasipodaq2022", "citation key", {"citation:kasipodaq2022", "reference:kasipodaq2022"}),
        ("курьер", "text", {"gender_pay_gap_couriers_microtasks"}),
        ("Bangladesh", "text", {"oli_bgd_2020", "oli_bgd_2024"}),
    ],
)
def test_where_answers_each_query_of_the_review(built, query, kind, expected):
    found = matched(built, query)
    assert next(iter(found), None) == kind, found  # the best kind of match is listed first
    if kind == "exact":
        assert found[kind] == expected, found
    else:
        assert expected <= found[kind], found
    assert not any(name.startswith("numbering:") for name in found.get("exact", ())), found  # a section is no value


@pytest.mark.parametrize(
    ("query", "number_id"),
    [("{{ n.oli_kaz_2024 }}", "oli_kaz_2024"), ("{{n.oli_kaz_2024}}", "oli_kaz_2024"), ("n.oli_kaz_2024", "oli_kaz_2024"),
     ("{{ n.oli_usa_2020_2024.low }}", "oli_usa_2020_2024.low")],
)  # fmt: skip
def test_a_number_as_the_authors_text_names_it_is_its_id(built, query, number_id):
    """A reviewer reading the sources finds `{{ n.oli_kaz_2024 }}` where the text prints a number: the same rows."""
    ledger = built / "manuscript/build/claims_ledger.csv"
    assert where(query, ledger).equals(where(number_id, ledger))
    assert not where(query, ledger).empty


def test_a_bare_citation_key_lists_the_numbers_that_cite_it(built):
    found = matched(built, "kasipodaq2022")
    assert "women_share_platform_workers" in found["cites it"]


@pytest.fixture(scope="module")
def ledger(built) -> pd.DataFrame:
    return pd.read_csv(built / "manuscript/build/claims_ledger.csv", dtype=str, keep_default_na=False)


def test_citation_rows_carry_the_lines_that_cite_the_work(ledger):
    citations = ledger[ledger["category"] == "citation"]
    assert len(citations) > 10
    for row in citations.to_dict("records"):
        assert row["source_lines"], row["claim"]
        for line in map(int, row["source_lines"].split()):
            passage = " ".join(ARTICLE[line - 1 : line + 3])
            year = row["value_en"].split(":")[0]
            assert year in passage, (row["claim"], line, passage)


def test_figure_and_table_numbering_rows_carry_their_lines(ledger):
    for kind, word in (("figure", "урет"), ("table", "есте")):
        for row in ledger[ledger["claim"].str.startswith(f"numbering:{kind}:")].to_dict("records"):
            lines = list(map(int, row["source_lines"].split()))
            assert lines, row["claim"]
            assert all(word in ARTICLE[n - 1] and row["value_en"] in ARTICLE[n - 1] for n in lines), row
