"""The source check: the OLI worker data read in both formats, shares computed by hand, each statement judged."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import pandas as pd
import pytest
from conftest import ROOT, snakemake
from gigpaper import oli, source_check
from gigpaper.errors import SourceDataError

SOFTWARE, WRITING, CLERICAL, CREATIVE = (
    "Software development and technology", "Writing and translation", "Clerical and data entry",
    "Creative and multimedia",
)  # fmt: skip


def write_csv(path: Path, header: list[str], rows: list[list[object]]) -> str:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows([header, *rows])
    return str(path)


def share(table: pd.DataFrame, country: str, year: int) -> float:
    return float(table.set_index(["country", "year"]).at[(country, year), "share_pct"])


@pytest.fixture
def annual(tmp_path: Path) -> str:
    """Two years; Kazakhstan has two of the six occupations in 2020 and no row at all in 2021."""
    return write_csv(tmp_path / "annual.csv", oli.ANNUAL_COLUMNS, [
        ["KAZ", SOFTWARE, 2020, 1],
        ["KAZ", WRITING, 2020, 1],
        ["IND", SOFTWARE, 2020, 6],
        ["PAK", CLERICAL, 2020, 2],
        ["IND", SOFTWARE, 2021, 3],
        ["PAK", CLERICAL, 2021, 1],
    ])  # fmt: skip


@pytest.fixture
def daily(tmp_path: Path) -> str:
    """The deposit's format: English names (one with a comma), a day without Kazakhstan, a 2019 row."""
    return write_csv(tmp_path / "daily.csv", oli.DAILY_COLUMNS, [
        ["2020-01-01", "India", SOFTWARE, 6],
        ["2020-01-02", "India", SOFTWARE, 4],
        ["2020-01-01", "Kazakhstan", WRITING, 1],
        ["2020-01-02", "Korea, South", CLERICAL, 4],
        ["2020-01-01", "Russia", CREATIVE, 5],
        ["2019-12-31", "India", SOFTWARE, 100],
    ])  # fmt: skip


def test_yearly_file_shares_by_hand(annual):
    supply = oli.read_worker_supply(annual)
    shares = oli.shares(supply)
    # 2020: world 1 + 1 + 6 + 2 = 10 workers; Kazakhstan 2 (two occupations, the four others missing).
    assert share(shares, "KAZ", 2020) == pytest.approx(20.0)
    assert share(shares, "IND", 2020) == pytest.approx(60.0)
    assert share(shares, "PAK", 2020) == pytest.approx(20.0)
    assert shares.set_index(["country", "year"]).at[("KAZ", 2020), "occupations"] == 2
    # 2021: Kazakhstan is missing; the world is 3 + 1.
    assert ("KAZ", 2021) not in shares.set_index(["country", "year"]).index
    assert share(shares, "IND", 2021) == pytest.approx(75.0)
    assert share(shares, "PAK", 2021) == pytest.approx(25.0)


def test_daily_file_is_aggregated_to_yearly_means_and_shares_by_hand(daily):
    supply = oli.read_worker_supply(daily).set_index(["country", "occupation", "year"])
    # Two days of 2020 in the file: India's mean is (6 + 4) / 2; Kazakhstan's 1 / 2 (no row on the 2nd: zero).
    assert supply.at[("IND", "software_dev_tech", 2020), "workers"] == pytest.approx(5.0)
    assert supply.at[("KAZ", "writing_translation", 2020), "workers"] == pytest.approx(0.5)
    assert supply.at[("IND", "software_dev_tech", 2020), "n_rows"] == 2
    shares = oli.shares(supply.reset_index())
    # 2020: world 10 + 1 + 4 + 5 = 20, whatever the divisor; the 2019 row stays in 2019.
    assert share(shares, "IND", 2020) == pytest.approx(50.0)
    assert share(shares, "KAZ", 2020) == pytest.approx(5.0)
    assert share(shares, "KOR", 2020) == pytest.approx(20.0)
    assert share(shares, "RUS", 2020) == pytest.approx(25.0)
    assert share(shares, "IND", 2019) == pytest.approx(100.0)


def test_both_formats_give_the_same_shares(daily, tmp_path):
    """The yearly file is the daily file's annual means: written out and read back, the shares are the same."""
    supply = oli.read_worker_supply(daily)
    yearly = supply.rename(columns={"country": "area"})
    yearly["occupation"] = yearly["occupation"].map(lambda o: oli.OCCUPATIONS[o][0])
    path = write_csv(tmp_path / "yearly.csv", oli.ANNUAL_COLUMNS, yearly[oli.ANNUAL_COLUMNS].values.tolist())
    from_daily = oli.shares(supply).set_index(["country", "year"])["share_pct"]
    from_yearly = oli.shares(oli.read_worker_supply(path)).set_index(["country", "year"])["share_pct"]
    pd.testing.assert_series_equal(from_daily.sort_index(), from_yearly.sort_index())


def test_country_names_of_the_gender_file_and_the_daily_file_map_to_iso_codes():
    gender = oli.read_gender(ROOT / "data/raw/oli2020_worker_gender.csv")
    codes = dict(zip(gender["country_name"], gender["country"], strict=True))
    assert codes["Kazakhstan"] == "KAZ" and codes["Russia"] == "RUS" and codes["Vietnam"] == "VNM"
    assert codes["United Kingdom"] == "GBR" and codes["Macedonia"] == "MKD" and codes["South Korea"] == "KOR"
    assert len(set(codes.values())) == len(codes), "two names became one code"
    frame = pd.DataFrame(
        {"name": ["Iran", "Korea, South", "Namibia", "Niger", "Congo, Dem. Rep."], "_row": range(2, 7)}
    )
    assert list(oli.iso3_codes("x.csv", frame, "name")) == ["IRN", "KOR", "NAM", "NER", "COD"]


MALFORMED = [
    (oli.DAILY_COLUMNS, ["2020-13-01", "India", SOFTWARE, "1"], "timestamp", "a date written YYYY-MM-DD"),
    (oli.DAILY_COLUMNS, ["2020-01-03", "Atlantis", SOFTWARE, "1"], "country", "an English country name"),
    (oli.DAILY_COLUMNS, ["2020-01-03", "India", "Cooking", "1"], "occupation", "one of the OLI occupations"),
    (oli.DAILY_COLUMNS, ["2020-01-03", "India", SOFTWARE, "many"], "num_workers", "a finite number of at least 0"),
    (oli.DAILY_COLUMNS, ["2020-01-03", "India", SOFTWARE, "-2"], "num_workers", "a finite number of at least 0"),
    (oli.DAILY_COLUMNS, ["2020-01-03", "India", SOFTWARE], "num_workers", "a finite number of at least 0"),
    (
        oli.DAILY_COLUMNS,
        ["2020-01-01", "India", SOFTWARE, "3"],
        "timestamp",
        "one row per date, country and occupation",
    ),
    (oli.DAILY_COLUMNS, ["2020-01-03", "India", SOFTWARE, "1", "extra"], "(row)", "4 cells"),
    (oli.ANNUAL_COLUMNS, ["kaz", SOFTWARE, "2020", "1"], "area", "an ISO 3166-1 alpha-3 code"),
    (oli.ANNUAL_COLUMNS, ["KAZ", SOFTWARE, "20x0", "1"], "year", "a year of four digits"),
]


@pytest.mark.parametrize(("columns", "bad_row", "column", "expected"), MALFORMED)
def test_a_malformed_row_is_one_clear_message(tmp_path, columns, bad_row, column, expected):
    good = (
        [["2020-01-01", "India", SOFTWARE, "6"]] if columns == oli.DAILY_COLUMNS else [["IND", SOFTWARE, "2020", "6"]]
    )
    path = write_csv(tmp_path / "supply.csv", columns, [*good, bad_row])
    with pytest.raises(SourceDataError) as caught:
        oli.read_worker_supply(path)
    message = str(caught.value)
    assert f"{path}, row 3, column '{column}'" in message, message
    assert expected in message, message


def test_an_unknown_header_names_both_formats(tmp_path):
    path = write_csv(tmp_path / "supply.csv", ["date", "country", "workers"], [["2020-01-01", "India", "1"]])
    with pytest.raises(SourceDataError, match="row 1, column '[(]header[)]'.*timestamp,country,occupation,num_workers"):
        oli.read_worker_supply(path)


def statements(*rows: tuple) -> pd.DataFrame:
    """Figure 1 statements as data/processed/online_labour_index.csv has them."""
    frame = pd.DataFrame(rows, columns=["country", "year_start", "year_end", "kind", "value", "low", "high"])
    return frame.assign(source_line=1, statement="…", raw_row=range(2, len(frame) + 2), raw_file="olo.csv")


def test_each_kind_of_statement_is_judged_under_both_readings(annual):
    supply = oli.read_worker_supply(annual)
    # 2020: world shares KAZ 20%, IND 60%, PAK 20%; within one occupation KAZ 14.29-100, IND 85.71, PAK 100.
    # 2021: IND 75%, PAK 25% of the world; each 100% of its one occupation.
    rows = source_check.check_figure1(
        statements(
            ("IND", 2020, 2020, "point", 60, None, None),  # world 60: agrees; occupation 85.71: no
            ("IND", 2020, 2020, "point", 59, None, None),  # world 60 is 1 off (more than 0.5): no; occupation: no
            ("KAZ", 2020, 2020, "approximate", 17, None, None),  # world 20 within 20% of 17; 17 in 14.29-100
            ("KAZ", 2020, 2020, "upper_bound", 20, None, None),  # world 20 is not below 20; 14.29 is
            ("PAK", 2020, 2020, "lower_bound", 19, None, None),  # 20 and 100 are both above 19
            ("PAK", 2020, 2021, "range", None, 20, 30),  # world 20 and 25 in [20, 30]; occupation 100: no
            ("IND", 2020, 2021, "range", None, 60, 70),  # world 75 in 2021 is 5 above; occupation 85.71, 100: no
            ("KAZ", 2020, 2021, "range", None, 10, 30),  # Kazakhstan has no row in 2021
        ),
        supply, {("olo.csv", 2): "oli_ind_2020"}, annual,
    )  # fmt: skip
    statuses = [row["status"] for row in rows]
    assert statuses == [
        source_check.UNCERTAIN, source_check.CONTRADICTED, source_check.AGREES, source_check.UNCERTAIN,
        source_check.AGREES, source_check.UNCERTAIN, source_check.CONTRADICTED, source_check.NO_SOURCE,
    ]  # fmt: skip
    assert rows[0]["readings"] == (
        "share of the world's online workers: agrees (60.00); share within one occupation: contradicted (85.71-85.71)"
    )
    assert rows[0]["registry_id"] == "oli_ind_2020" and rows[0]["difference"] == "0.00"
    assert rows[6]["difference"] == "5.00" and "2021 (above 70)" in rows[6]["reason"]
    assert "no row for KAZ in 2021" in rows[7]["reason"] and rows[7]["source_value"] == ""
    assert rows[0]["source_rows"] == f"{annual} 2020: rows 4; world total: all 4 rows of 2020"
    assert all(row["agreement_rule"].startswith(source_check.RULES[row["kind"]]) for row in rows)
    assert all(row["source_note"] == source_check.YEARLY_COPY for row in rows[:7])  # the yearly file is a copy


@pytest.mark.parametrize(("stated", "source"), [(10, 11.71), (35, 33.5), (10, 10.4), (35, 35.4)])
def test_one_tolerance_for_every_point_whatever_its_size(stated, source):
    """Bangladesh 2020 (10 stated, 11.71 in the OLI) and India 2020 (35, 33.50) are judged alike."""
    agrees, difference = source_check._compare("point", stated, source)
    assert agrees == (abs(difference) <= 0.5)


def test_bangladesh_and_india_2020_get_the_same_verdict(built):
    check = pd.read_csv(built / "data/processed/source_check.csv", dtype=str, keep_default_na=False)
    rows = check.set_index("registry_id").loc[["oli_bgd_2020", "oli_ind_2020"]]
    assert set(rows["status"]) == {source_check.UNCERTAIN}
    assert all("share of the world's online workers: contradicted" in r for r in rows["readings"])
    assert all("share within one occupation: agrees" in r for r in rows["readings"])
    # Contradicted under both readings: Pakistan 2020 and 2024, Kazakhstan 2024, and the UK (no occupation
    # share of 2022 reaches 10).
    contradicted = set(check.loc[check["status"] == source_check.CONTRADICTED, "registry_id"])
    assert contradicted == {"oli_pak_2020", "oli_pak_2024", "oli_kaz_2024", "oli_gbr_2020_2024"}


def test_a_daily_file_outside_the_checked_years_does_not_count(daily):
    """The 2019 row (100 workers in India) does not enter 2020: Kazakhstan stays at 5% of the world."""
    rows = source_check.check_figure1(
        statements(("KAZ", 2020, 2020, "upper_bound", 5, None, None), ("KAZ", 2020, 2020, "approximate", 5, None, None)),
        oli.read_worker_supply(daily), {}, daily,
    )  # fmt: skip
    # Kazakhstan is all of writing and translation (100%): "about 5" holds only as its share of the world.
    assert [row["status"] for row in rows] == [source_check.CONTRADICTED, source_check.UNCERTAIN]
    assert rows[1]["source_value"] == "5.00"
    assert "1 daily rows (lines 4-4)" in rows[1]["source_rows"] and "all 5 rows of 2020" in rows[1]["source_rows"]


def gender_statements(*rows: tuple) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["occupation", "gender", "share_pct"])
    return frame.assign(year=2024, source_line=1, statement="…", raw_row=range(2, len(frame) + 2), raw_file="ppmi.csv")


def test_a_handful_of_profiles_is_not_a_share_and_enough_profiles_are_compared(tmp_path):
    path = write_csv(tmp_path / "gender.csv", oli.GENDER_COLUMNS, [
        ["Kazakhstan", "Sales & Marketing", "female", 1],
        ["Kazakhstan", "Sales & Marketing", "", 1],
        ["Kazakhstan", "Software & Technology", "female", 60],
        ["Kazakhstan", "Software & Technology", "male", 40],
        ["Kazakhstan", "Software & Technology", "", 7],
        ["Kazakhstan", "ALL OCCUPATIONS", "female", 61],
        ["Kazakhstan", "ALL OCCUPATIONS", "male", 40],
        ["Kazakhstan", "ALL OCCUPATIONS", "", 8],
    ])  # fmt: skip
    rows = source_check.check_figure2(
        gender_statements(
            ("sales_marketing", "women", 33), ("software_dev_tech", "women", 52), ("software_dev_tech", "men", 10),
            ("writing_translation", "women", 52),
        ),
        oli.read_gender(path), {("ppmi.csv", 3): "ppmi_software_dev_tech_women"}, path,
    )  # fmt: skip
    assert [row["status"] for row in rows] == [
        source_check.UNCHECKABLE, source_check.AGREES, source_check.CONTRADICTED, source_check.UNCHECKABLE,
    ]  # fmt: skip
    assert "2 Kazakh profile(s) in Sales & Marketing (1 women, 0 men, 1 gender unknown; 109 in all" in rows[0]["reason"]
    # 60 women of 100 of known gender: 60%, 95% margin 1.96 * sqrt(0.6 * 0.4 / 100) = 9.60 points.
    margin = 196 * math.sqrt(0.6 * 0.4 / 100)
    assert rows[1]["source_value"] == "60.00" and f"±{margin:.2f} points" in rows[1]["reason"]
    assert rows[1]["registry_id"] == "ppmi_software_dev_tech_women" and rows[1]["difference"] == "8.00"
    assert rows[2]["source_value"] == "40.00" and rows[2]["difference"] == "30.00"
    assert "no row for Kazakhstan, Writing & Translation" in rows[3]["source_rows"]


def test_the_built_check_has_a_row_for_every_figure_statement(built):
    check = pd.read_csv(built / "data/processed/source_check.csv", dtype=str, keep_default_na=False)
    registry = pd.read_csv(built / "data/processed/numbers.csv", dtype=str, keep_default_na=False)
    figure_rows = registry[
        registry["raw_file"].str.endswith(("olo2024_online_labour_index.csv", "ppmi2024_gender_by_occupation.csv"))
        & registry["raw_row"].str.isdigit()
    ]
    assert sorted(check["registry_id"]) == sorted(figure_rows["id"])
    assert set(check["status"]) <= set(source_check.STATUSES)
    assert (check["reason"] != "").all() and (check["agreement_rule"] != "").all()
    # Kazakhstan has a handful of profiles in the OLI 2020 gender estimates: no Figure 2 share can be checked.
    gender = oli.read_gender(built / "data/raw/oli2020_worker_gender.csv")
    assert gender.loc[gender["country"] == "KAZ", "profiles"].sum() < source_check.MIN_KNOWN_GENDER
    figure2 = check[check["figure"] == "figure 2"]
    assert set(figure2["status"]) == {source_check.UNCHECKABLE}
    # What is true of Figure 2's source: the article cites PPMI (2024), unconfirmed; 5 Kazakh profiles in all.
    assert set(figure2["cited"]) == {"ppmi2024 (PPMI, 2024; unconfirmed)"}
    assert (
        figure2["reason"].str.contains("the article cites ppmi2024 .*5 in all occupations.*too few", regex=True).all()
    )
    # Every Figure 1 value printed is the share the shares table holds for that country and year.
    shares = pd.read_csv(built / "data/processed/oli_worker_shares.csv").set_index(["country", "year"])
    for row in check[(check["figure"] == "figure 1") & (check["kind"] != "range")].itertuples():
        assert row.source_value == f"{shares.at[(row.country, int(row.period)), 'share_pct']:.2f}"


def test_the_chart_from_the_oli_data_plots_the_shares(built):
    svg = (built / "manuscript/build/figure1_oli.en.svg").read_text(encoding="utf-8")
    shares = pd.read_csv(built / "data/processed/oli_worker_shares.csv")
    published = pd.read_csv(built / "data/processed/online_labour_index.csv")
    for country in published["country"].unique():
        for year in range(published["year_start"].min(), published["year_end"].max() + 1):
            value = shares[(shares["country"] == country) & (shares["year"] == year)]["share_pct"].iloc[0]
            assert f'id="share:{country}:{year}:{value:.2f}"' in svg


def test_config_names_a_downloaded_daily_file(built_copy, daily):
    """A user points the config at the deposit's daily file and gets the same check, from that file."""
    project = built_copy  # a built project: the check is made again, from the file the config now names
    # Outside data/raw/, whose every file the data package must describe.
    target = project / "data/external/worker_countrydata_test.txt"
    target.parent.mkdir()
    target.write_text(Path(daily).read_text(encoding="utf-8"), encoding="utf-8")
    snakemake(
        project, "data/processed/source_check.csv", "--config", f"oli_worker_supply={target.relative_to(project)}"
    )
    check = pd.read_csv(project / "data/processed/source_check.csv", dtype=str, keep_default_na=False)
    kazakhstan_2020 = check[check["registry_id"] == "oli_kaz_2020"].iloc[0]
    assert kazakhstan_2020["source_value"] == "5.00"  # 1 of 20 workers of 2020, as computed by hand above
    assert kazakhstan_2020["status"] == source_check.CONTRADICTED  # 5% is not below 5
    assert "data/external/worker_countrydata_test.txt" in kazakhstan_2020["source_rows"]
    assert check[check["registry_id"] == "oli_usa_2020_2024"].iloc[0]["status"] == source_check.NO_SOURCE


def test_readme_reports_what_the_check_found(built):
    """The README's table of Figure 1 findings is the built check's, row for row."""
    check = pd.read_csv(built / "data/processed/source_check.csv", dtype=str, keep_default_na=False)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = [line.split("|")[1:-1] for line in readme.splitlines() if line.startswith("| `oli_")]
    assert len(table) == len(check[check["figure"] == "figure 1"])
    for registry_id, country, period, stated, value, occupation, status in ([c.strip() for c in row] for row in table):
        assert occupation.replace("–", "-") in check.set_index("registry_id").at[registry_id.strip("`"), "readings"]
        row = check[check["registry_id"] == registry_id.strip("`")].iloc[0]
        if row["kind"] == "range":
            years = [float(part.split(": ")[1]) for part in row["source_value"].split("; ")]
            assert value == f"{min(years):.2f}–{max(years):.2f}", registry_id
        else:
            assert value == row["source_value"], registry_id
        assert (country, period, stated, status) == (row["country"], row["period"], row["stated"], row["status"])


def test_the_ledger_and_where_carry_the_source_check(built):
    ledger = pd.read_csv(built / "manuscript/build/claims_ledger.csv", dtype=str, keep_default_na=False)
    check = pd.read_csv(built / "data/processed/source_check.csv", dtype=str, keep_default_na=False)
    statuses = dict(zip(check["registry_id"], check["status"], strict=True))
    data = ledger[ledger["category"] == "data"]
    for row in data.itertuples():
        if row.registry_id in statuses:
            assert row.source_check.startswith(statuses[row.registry_id] + ": "), row.claim
        else:
            assert row.source_check == "", row.claim
    # Every Figure 1 and Figure 2 row of the ledger, wherever it prints the value, carries its check.
    assert (data.loc[data["place"].isin(["figure 1", "figure 2"]), "source_check"] != "").all()
    import subprocess
    import sys

    printed = subprocess.run(
        [sys.executable, "-m", "gigpaper.where", "oli_kaz_2024"], cwd=built, capture_output=True, text=True,
        check=True,
    ).stdout  # fmt: skip
    assert f"source_check: {statuses['oli_kaz_2024']}: " in printed


def test_the_review_page_shows_the_oli_chart_beside_figure_1_and_the_checks(built):
    page = (built / "manuscript/build/review.html").read_text(encoding="utf-8")
    section = page[page.index('id="source-check"') : page.index('id="sources"')]
    assert section.count("<svg") == 2, "Figure 1 as published and the chart from the OLI data"
    assert 'id="check-oli-share:KAZ:2024:' in section and 'id="check-figure1-upper_bound:KAZ:2020:5"' in section
    check = pd.read_csv(built / "data/processed/source_check.csv", dtype=str, keep_default_na=False)
    for row in check.itertuples():
        slug = row.status.replace(":", "").replace(" ", "-")
        assert f'<td data-label="registry id">{row.registry_id}</td>' in section and f'class="check-{slug}"' in section


def test_each_oli_name_pairs_with_the_article_occupation_it_names():
    """gigpaper.oli pairs the OLI files' names with the article's ids by their order in the data package."""
    assert len(oli.OCCUPATIONS) == 6 and oli.ALL_OCCUPATIONS == "ALL OCCUPATIONS"
    for occupation, names in oli.OCCUPATIONS.items():
        assert {name.split()[0].lower() for name in names} == {occupation.split("_")[0]}, (occupation, names)
    assert oli.GENDERS == {"female": "women", "male": "men", "": "unknown"}
