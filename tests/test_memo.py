"""The input check re-does only the work of the files that changed, and says exactly what a cold check says.

An author edits the sources one step at a time (a word, a bad cell and its repair, a narrower schema,
a mangled YAML file and its repair...). After each step the check is run three ways: remembering what
this process checked before, as a new process would (only what the earlier builds left on disk), and
cold (nothing remembered). All three must pass or stop with the same message, and give the same tidy
tables.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import ROOT
from gigpaper import checks, memo
from gigpaper.checks import check_data_package, check_inputs, check_project
from gigpaper.datapackage import update_checksums
from gigpaper.errors import BuildError
from gigpaper.paths import STATE

CONFIG = {"languages": ["kk", "ru", "en"], "editions": ["kk", "ru", "en"], "formats": ["html", "pdf", "docx"]}
SHARES = "data/raw/ppmi2024_gender_by_occupation.csv"
TABLE2 = "data/raw/table2_platforms_kz.csv"
SECTION = "manuscript/text/kk/04.results.md"
ARTICLE = "data/raw/published_article.kk.txt"

# (what the author does, the file to change, the text it holds, the text it gets, whether the check then passes)
EDITS = [
    ("a kk word", SECTION, "мынадай түйінді нәтижелер", "мынадай негізгі нәтижелер", True),
    ("a share made text", SHARES, "clerical_data_entry,women,40,", "clerical_data_entry,women,ten,", False),
    ("the share repaired", SHARES, "clerical_data_entry,women,ten,", "clerical_data_entry,women,40,", True),
    ("two shares changed together", SHARES, "clerical_data_entry,women,40,", "clerical_data_entry,women,45,", False),
    ("their complement too", SHARES, "clerical_data_entry,men,60,", "clerical_data_entry,men,55,", True),
    ("a table cell runs a template", TABLE2, "Glovo,Испания", '"{{ 7*7 }}",Испания', False),
    ("the cell repaired", TABLE2, '"{{ 7*7 }}",Испания', "Glovo,Испания", True),
    ("a share's maximum narrowed", "data/raw/datapackage.yaml", "maximum: 100", "maximum: 50", False),
    ("the maximum restored", "data/raw/datapackage.yaml", "maximum: 50", "maximum: 100", True),
    ("the article's words changed", ARTICLE, "Үндістанмен (35)", "Үндістанмен (36)", False),
    ("the article restored", ARTICLE, "Үндістанмен (36)", "Үндістанмен (35)", True),
    ("a YAML file mangled", "manuscript/claims.yaml", "claims:", "claims: [", False),
    ("the YAML repaired", "manuscript/claims.yaml", "claims: [", "claims:", True),
    ("a reference to no number", SECTION, "мынадай негізгі нәтижелер", "{{ n.no_such_id }} нәтижелер", False),
    ("the reference removed", SECTION, "{{ n.no_such_id }} нәтижелер", "мынадай негізгі нәтижелер", True),
    ("a Pandoc option of the wrong kind", "manuscript/pandoc/html.yaml", "toc-depth: 2", "toc-depth: {}", False),
    ("the option restored", "manuscript/pandoc/html.yaml", "toc-depth: {}", "toc-depth: 2", True),
]  # fmt: skip


@pytest.fixture
def sources(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for folder in ("data/raw", "manuscript", "workflow/schemas", "workflow/gigpaper", "config"):
        shutil.copytree(ROOT / folder, tmp_path / folder, ignore=shutil.ignore_patterns("build"))
    shutil.copy(ROOT / "workflow/catalogue.yaml", tmp_path / "workflow/catalogue.yaml")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def outcome(monkeypatch: pytest.MonkeyPatch) -> Callable[[], tuple[str, dict | None]]:
    """The check's message ('' when it passes), and the tidy tables when the data package passes."""
    seen: dict[str, dict] = {}

    def data_package(article_lines: list[str]) -> tuple[dict, dict]:
        descriptor, tables = check_data_package(article_lines)
        seen["tables"] = tables
        return descriptor, tables

    monkeypatch.setattr(checks, "check_data_package", data_package)

    def run() -> tuple[str, dict | None]:
        seen.clear()
        try:
            check_project(CONFIG)
            return "", seen["tables"]
        except BuildError as error:
            return str(error), seen.get("tables")

    return run


def assert_same(found: tuple[str, dict | None], cold: tuple[str, dict | None], how: str) -> None:
    import pandas as pd

    assert found[0] == cold[0], f"{how}: {found[0]!r}, cold: {cold[0]!r}"
    assert (found[1] is None) == (cold[1] is None), how
    for name, table in (cold[1] or {}).items():
        pd.testing.assert_frame_equal(found[1][name], table, check_exact=True, obj=f"{how}: {name}")


def test_a_remembered_check_says_what_a_cold_check_says_after_every_edit(sources, outcome):
    first = outcome()
    assert first[0] == "" and first[1], first[0]
    for what, path, old, new, passes in EDITS:
        file = Path(path)
        text = file.read_text(encoding="utf-8")
        assert old in text, (what, old)
        file.write_text(text.replace(old, new, 1), encoding="utf-8")
        if path.startswith("data/raw/") and not path.endswith("datapackage.yaml"):
            update_checksums("data/raw/datapackage.yaml")
        warm = outcome()
        with memo.new_process():
            from_disk = outcome()
        with memo.cold():
            cold = outcome()
        assert (cold[0] == "") == passes, f"{what}: {cold[0]}"
        if not passes:
            blamed = {"data/raw/datapackage.yaml": SHARES, ARTICLE: "data/raw/olo2024_online_labour_index.csv"}
            assert blamed.get(path, path) in cold[0], f"{what}: {cold[0]}"
        assert_same(warm, cold, f"{what}, remembered in this process")
        assert_same(from_disk, cold, f"{what}, remembered on disk")


def test_the_build_check_keeps_its_work_on_disk_for_the_next_build(sources):
    """A second build's check after one edit finds the other files' work on disk, keyed by their content."""
    with memo.new_process():
        check_inputs(CONFIG)
    stored = {p.name for p in (STATE / "memo").rglob("*") if p.is_file()}
    assert {p.parent.name for p in (STATE / "memo").rglob("*") if p.is_file()} >= {"tidy", "validated"}
    file = Path(SHARES)
    file.write_text(file.read_text(encoding="utf-8").replace(",women,40,", ",women,ten,", 1), encoding="utf-8")
    update_checksums("data/raw/datapackage.yaml")
    with memo.new_process(), pytest.raises(BuildError, match=f"{SHARES}, row"):
        check_inputs(CONFIG)
    added = {p.name for p in (STATE / "memo").rglob("*") if p.is_file()} - stored
    # The bad file's table is never stored; the descriptor (new checksum) is, and the other tables are kept.
    assert len(added) == 1 and stored <= {p.name for p in (STATE / "memo").rglob("*") if p.is_file()}
