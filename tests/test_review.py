"""Reviewers verify every number: the claims ledger, the report, the manifest and the clean rebuild."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from gigpaper.ledger import where
from gigpaper.review import verify
from test_manuscript import html_text

LANGS = ("kk", "ru", "en")


@pytest.fixture(scope="module")
def ledger(built) -> pd.DataFrame:
    return pd.read_csv(built / "manuscript/build/claims_ledger.csv", dtype=str, keep_default_na=False)


def digit_runs(text: str) -> set[str]:
    return set(re.findall(r"\d+", text))


@pytest.mark.parametrize("lang", LANGS)
def test_every_number_an_edition_prints_has_a_ledger_row(built, ledger, lang):
    text, _ = html_text(built / f"manuscript/build/paper.{lang}.html")
    known = set().union(*(digit_runs(v) for v in ledger[[f"value_{code}" for code in LANGS]].values.ravel()))
    unknown = sorted(digit_runs(text) - known, key=int)
    assert not unknown, f"numbers printed in paper.{lang}.html with no ledger row: {unknown}"


def test_the_three_editions_agree_on_every_value(ledger):
    data = ledger[ledger["category"] == "data"]
    for row in data.to_dict("records"):
        printed = [row[f"value_{lang}"] for lang in LANGS]
        assert all(printed), f"{row['claim']} is missing from an edition: {printed}"
        assert len({re.sub(r"\D", "", value) for value in printed}) == 1, f"{row['claim']}: {printed}"


def test_every_data_row_traces_to_a_raw_cell_and_a_status(built, ledger):
    data = ledger[ledger["category"] == "data"]
    assert set(data["status"]) <= {"sourced", "stated without source", "derived", "inconsistent"}
    for row in data.to_dict("records"):
        assert (built / row["raw_file"]).exists() and row["raw_column"], row["claim"]
        if row["status"] == "derived":
            assert row["formula"], row["claim"]
        if row["status"] == "inconsistent":
            assert row["finding"], row["claim"]
    statuses = data.drop_duplicates("registry_id").set_index("registry_id")["status"]
    assert statuses["pilot_it_freelance_women_target"] == "stated without source"
    assert statuses["platform_workers_2023"] == "sourced"
    assert statuses["ppmi_writing_translation_men"] == "derived"


def test_the_articles_disagreements_with_its_own_data_are_recorded(ledger):
    claims = ledger[ledger["category"] == "claim"].set_index("claim")
    assert claims.loc["claim:women_dominate_micro_tasks", "status"] == "inconsistent"
    assert "ppmi_clerical_data_entry_women = 40%" in claims.loc["claim:women_dominate_micro_tasks", "finding"]
    assert claims.loc["claim:kasipodaq_2022_for_the_period_after_2023", "status"] == "inconsistent"
    assert claims.loc["claim:pay_gap_stated_twice", "status"] == "consistent"
    data = ledger[ledger["category"] == "data"].drop_duplicates("registry_id").set_index("registry_id")
    assert data.loc["ppmi_clerical_data_entry_women", "status"] == "inconsistent"


def test_where_does_this_number_come_from(built):
    rows = where("women_share_platform_workers", built / "manuscript/build/claims_ledger.csv")
    data = rows[rows["category"] == "data"]
    assert set(data["raw_file"]) == {"data/raw/article_numbers.csv"} and set(data["citation_key"]) == {"kasipodaq2022"}
    assert "claim:kasipodaq_2022_for_the_period_after_2023" in set(rows["claim"])
    assert "ppmi_writing_translation_women" in set(
        where("52%", built / "manuscript/build/claims_ledger.csv")["registry_id"]
    )
    result = subprocess.run(
        [sys.executable, "-m", "gigpaper.ledger", "where", "90%"], cwd=built, capture_output=True, text=True
    )
    assert (
        result.returncode == 0 and "ppmi_software_dev_tech_men" in result.stdout and "source_line: 546" in result.stdout
    )


def test_the_review_page_is_self_contained(built):
    page = built / "manuscript/build/review.html"
    html = page.read_text(encoding="utf-8")
    _, loads = html_text(page)
    assert not [u for u in loads if not u.startswith("data:")]
    assert html.count("<svg") >= 2 and 'id="filter"' in html and "aria-sort" in html
    assert "women_dominate_micro_tasks" in html and "E001" in html
    for line in (built / "manuscript/build/SHA256SUMS").read_text().splitlines():
        if "review.html" not in line:
            assert line.split("  ")[0] in html


def test_a_clean_rebuild_reproduces_every_byte_and_a_changed_byte_is_caught(built, tmp_path):
    manifest = (built / "manuscript/build/SHA256SUMS").read_text()
    assert "manuscript/build/paper.kk.pdf" in manifest and "figures/figure2.en.png" in manifest
    # Record one wrong byte for the PDF, as if the build had produced a different file.
    tampered = tmp_path / "SHA256SUMS"
    lines = manifest.splitlines()
    index = next(i for i, line in enumerate(lines) if line.endswith("paper.kk.pdf"))
    digest = lines[index][:64]
    lines[index] = ("0" if digest[0] != "0" else "1") + lines[index][1:]
    tampered.write_text("\n".join(lines) + "\n")
    assert verify(tampered, project=built, cores="2") == ["manuscript/build/paper.kk.pdf"]
    assert Path(built / "manuscript/build/SHA256SUMS").read_text() == manifest
