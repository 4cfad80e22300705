"""Each validation rule, shown with a broken input: one message naming file, row and column, no output."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, record_checksums, snakemake
from gigpaper.datapackage import load_descriptor, resource, sha256_of, update_checksums
from gigpaper.errors import BuildError, SourceDataError
from gigpaper.validate import validate_source


@pytest.fixture
def raw(tmp_path: Path) -> Path:
    """A copy of data/raw and the bibliography, laid out as in the project."""
    shutil.copytree(ROOT / "data/raw", tmp_path / "data/raw")
    shutil.copytree(ROOT / "manuscript", tmp_path / "manuscript", ignore=shutil.ignore_patterns("build"))
    return tmp_path / "data/raw"


def edit_cell(path: Path, row: int, column: str, value: str) -> None:
    """Set one cell; `row` counts lines of the file, the header being row 1."""
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    rows[row - 1][rows[0].index(column)] = value
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def validate(raw: Path, name: str, record: bool = True) -> Path:
    """Run the rule's function on `raw`, after recording checksums as an author would (unless `record` is off)."""
    if record:
        update_checksums(raw / "datapackage.yaml")
    entry = resource(load_descriptor(raw / "datapackage.yaml"), name)
    files = [raw / entry["path"], *(raw / t["path"] for t in entry.get("translations", {}).values())]
    table = raw.parent / "processed" / f"{name}.csv"
    validate_source(
        entry=entry,
        raw=[str(f) for f in files],
        article=str(raw / "published_article.kk.txt"),
        article_sha256=sha256_of(raw / "published_article.kk.txt"),
        table=str(table),
    )
    return table


def assert_rejected(raw: Path, name: str, file: str, row: int, column: str, expected: str) -> None:
    with pytest.raises(SourceDataError) as caught:
        validate(raw, name)
    message = str(caught.value)
    assert f"{file}, row {row}, column '{column}'" in message, message
    assert expected in message, message
    assert not (raw.parent / "processed" / f"{name}.csv").exists(), "a failed check must write nothing"


OLI = "olo2024_online_labour_index.csv"
SHARES = "ppmi2024_gender_by_occupation.csv"


def test_the_published_sources_pass(raw):
    for name in ("online_labour_index", "gender_by_occupation", "article_numbers", "table1_platform_employment",
                 "table2_platforms"):  # fmt: skip
        assert validate(raw, name).exists()


def test_a_share_that_is_not_a_number(raw):
    edit_cell(raw / SHARES, 4, "share_pct", "ninety")
    assert_rejected(raw, "gender_by_occupation", SHARES, 4, "share_pct", "expected a number")


def test_a_share_above_100(raw):
    edit_cell(raw / SHARES, 2, "share_pct", "120")
    assert_rejected(raw, "gender_by_occupation", SHARES, 2, "share_pct", "at most 100")


def test_shares_of_an_occupation_that_do_not_add_up_to_100(raw):
    edit_cell(raw / SHARES, 4, "share_pct", "55")  # writing and translation: women 55, men 48
    assert_rejected(raw, "gender_by_occupation", SHARES, 5, "share_pct", "adding up to 100")


def test_a_duplicate_key(raw):
    edit_cell(raw / SHARES, 3, "gender", "women")
    assert_rejected(raw, "gender_by_occupation", SHARES, 3, "year,occupation,gender", "(row 2 has it)")


def test_an_unknown_country(raw):
    edit_cell(raw / OLI, 3, "country", "XXX")
    assert_rejected(raw, "online_labour_index", OLI, 3, "country", "one of KAZ, IND")


def test_a_year_outside_the_figure(raw):
    edit_cell(raw / OLI, 2, "year_start", "2019")
    assert_rejected(raw, "online_labour_index", OLI, 2, "year_start", "at least 2020")


def test_a_range_without_its_high_end(raw):
    edit_cell(raw / OLI, 8, "high", "")
    assert_rejected(raw, "online_labour_index", OLI, 8, "high", "kind 'range' needs low and high")


@pytest.mark.parametrize(
    ("column", "value", "expected"),
    [("statement", "Үндістанмен (36)", "line 501 of the published text"),
     # The line's digits swapped, 105 for 501: its words were looked for near that line only, and blamed ('column
     # 'statement': ... expected the article's words, printing 35 on line 105').
     ("source_line", "105", "found 105; expected the line that prints 35: the statement prints it on line 501 of the "
      "published text.")],
    ids=["words", "a-line-mistyped"],
)  # fmt: skip
def test_a_statement_the_article_does_not_make_or_a_line_it_is_not_on(raw, column, value, expected):
    edit_cell(raw / OLI, 3, column, value)
    assert_rejected(raw, "online_labour_index", OLI, 3, column, expected)


def test_a_translation_that_lacks_a_row(raw):
    path = raw / "table2_platforms_kz.en.csv"
    path.write_text("".join(path.read_text(encoding="utf-8").splitlines(keepends=True)[:-1]), encoding="utf-8")
    assert_rejected(raw, "table2_platforms", "table2_platforms_kz.en.csv", 10, "platform_id", "'quick_work'")


def test_a_wrong_header(raw):
    path = raw / SHARES
    path.write_text(path.read_text(encoding="utf-8").replace("share_pct", "share", 1), encoding="utf-8")
    assert_rejected(raw, "gender_by_occupation", SHARES, 1, "(header)", "the columns year,occupation")


@pytest.mark.parametrize(
    ("keep", "expected"),
    [(0, "the file is empty; expected the header year,occupation,gender,share_pct,obtained,source_line,statement "
         "and a row of data under it."),
     (1, "the file holds its header but no row; expected a row of data under it.")],
    ids=["empty", "header-only"],
)  # fmt: skip
def test_a_table_without_rows_is_named_not_a_traceback(raw, keep, expected):
    path = raw / SHARES
    path.write_text("".join(path.read_text(encoding="utf-8").splitlines(keepends=True)[:keep]), encoding="utf-8")
    with pytest.raises(BuildError) as caught:
        validate(raw, "gender_by_occupation")
    assert str(caught.value) == f"{path}: {expected}"


@pytest.mark.parametrize("where", [14, 5], ids=["at-the-end", "between-rows"])
def test_an_empty_line_is_named_as_one(raw, where):
    """An Enter too many, at the end or between rows, was 'row 14, column 'year': found ''; expected 7 cells.'"""
    path = raw / SHARES
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join([*lines[: where - 1], "\n", *lines[where - 1 :]]), encoding="utf-8")
    with pytest.raises(BuildError) as caught:
        validate(raw, "gender_by_occupation")
    assert str(caught.value) == (
        f"{path}, row {where}: found an empty line; expected a row of 7 cells (delete the line, or fill it in)."
    )


def test_a_cell_longer_than_a_step_can_read_is_refused_at_its_cell(raw):
    # As a quote left open does: the lines after it (here, many) land in one cell. The steps' csv readers
    # stop at 131,072 characters, so the check does, in words, whether or not Frictionless lifted the limit.
    edit_cell(raw / "table2_platforms_kz.csv", 3, "name", "Glovo" + "\nглово" * 30_000)
    limit = csv.field_size_limit()  # 131,072, unless this process imported Frictionless before
    assert_rejected(raw, "table2_platforms", "table2_platforms_kz.csv", 3, "name", "at most 131,072 characters")
    assert csv.field_size_limit() == limit, "the check leaves the csv module's limit as it found it"


@pytest.mark.parametrize("cell", ['=HYPERLINK("https://example.org","Glovo")', "@SUM(A1)", "+Glovo", "-Glovo"])
def test_a_text_cell_a_spreadsheet_would_run_as_a_formula_is_refused(raw, cell):
    edit_cell(raw / "table2_platforms_kz.csv", 3, "name", cell)
    assert_rejected(raw, "table2_platforms", "table2_platforms_kz.csv", 3, "name", "does not start with =, +, - or @")


@pytest.mark.parametrize(
    ("source", "file", "row"),
    [
        ("table2_platforms", "table2_platforms_kz.csv", 3),
        ("table1_platform_employment", "table1_platform_employment.csv", 2),
    ],
)
def test_a_tables_source_line_past_the_articles_end_is_refused(raw, source, file, row):
    """No check quotes a table's row from the article: a line past its end was kept, and printed on the review page."""
    edit_cell(raw / file, row, "source_line", "99999")
    lines = len((raw / "published_article.kk.txt").read_text(encoding="utf-8").splitlines())
    assert_rejected(raw, source, file, row, "source_line",
                    f"found 99999; expected a line of data/raw/published_article.kk.txt (1 to {lines}).")  # fmt: skip


def test_a_file_changed_without_recording_its_checksum(raw):
    edit_cell(raw / SHARES, 2, "share_pct", "11")
    edit_cell(raw / SHARES, 3, "share_pct", "89")
    with pytest.raises(BuildError, match=r"ppmi2024_gender_by_occupation.csv: its SHA-256 is .*--update-checksums"):
        validate(raw, "gender_by_occupation", record=False)


def test_the_build_stops_with_one_message_and_keeps_the_last_good_table(built_copy):
    project = built_copy
    table = project / "data/processed/gender_by_occupation.csv"
    snakemake(project, str(table.relative_to(project)))  # the last good build (of a built copy: nothing to do)
    before = (table.read_bytes(), table.stat().st_mtime_ns)
    edit_cell(project / "data/raw" / SHARES, 2, "share_pct", "120")
    record_checksums(project)
    result = snakemake(project, "data/processed/gender_by_occupation.csv", check=False)
    assert result.returncode != 0
    assert (
        f"ERROR in the inputs: data/raw/{SHARES}, row 2, column 'share_pct': found '120'; "
        "expected a value of at most 100." in result.stderr
    )
    assert "Traceback" not in result.stderr
    assert (table.read_bytes(), table.stat().st_mtime_ns) == before


# --- the data package is a Frictionless data package ----------------------------------------------------------


def frictionless_validate(project: Path) -> subprocess.CompletedProcess[str]:
    """The standard's own validator, as its users run it: `frictionless validate data/raw/datapackage.yaml`."""
    return subprocess.run(
        [str(Path(sys.executable).parent / "frictionless"), "validate", "--json", "data/raw/datapackage.yaml"],
        cwd=project, capture_output=True, text=True,
    )  # fmt: skip


def test_the_committed_data_package_is_valid_for_frictionless():
    result = frictionless_validate(ROOT)
    assert result.returncode == 0, result.stdout[-3000:]
    report = json.loads(result.stdout)
    assert report["valid"] and len(report["tasks"]) == len(
        load_descriptor(ROOT / "data/raw/datapackage.yaml")["resources"]
    )


def test_frictionless_names_a_bad_cell_and_a_checksum_mismatch(raw):
    edit_cell(raw / SHARES, 10, "share_pct", "ten")
    result = frictionless_validate(raw.parent.parent)
    assert result.returncode == 1
    errors = [e for task in json.loads(result.stdout)["tasks"] for e in task["errors"]]
    cells = [e for e in errors if e["type"] == "type-error"]
    assert [(e["cell"], e["rowNumber"], e["fieldName"]) for e in cells] == [("ten", 10, "share_pct")]
    assert [e["type"] for e in errors if e["type"] != "type-error"] == ["hash-count"]  # not recorded: a mismatch
    update_checksums(raw / "datapackage.yaml")
    errors = [
        e for task in json.loads(frictionless_validate(raw.parent.parent).stdout)["tasks"] for e in task["errors"]
    ]
    assert [e["type"] for e in errors] == ["type-error"]  # the checksum recorded, the cell still bad
