"""The input check re-does only the work of the files that changed, and says exactly what a cold check says.

An author edits the sources one step at a time (a word, a bad cell and its repair, a narrower schema,
a mangled YAML file and its repair...). After each step the check is run three ways: remembering what
this process checked before, as a new process would (only what the earlier builds left on disk), and
cold (nothing remembered). All three must pass or stop with the same message, and give the same tidy
tables.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from gigpaper import checks, memo, templating
from gigpaper.checks import CheckedData, check_inputs, check_project, checked_data
from gigpaper.datapackage import update_checksums
from gigpaper.errors import BuildError, TemplateError
from gigpaper.paths import STATE
from gigpaper.schema import validated
from gigpaper.template_checks import check_labels, check_text_references, checked_against

CONFIG = {"languages": ["kk", "ru", "en"], "editions": ["kk", "ru", "en"], "formats": ["html", "pdf", "docx"]}
SHARES = "data/raw/ppmi2024_gender_by_occupation.csv"
TABLE2 = "data/raw/table2_platforms_kz.csv"
SECTION = "manuscript/text/kk/04.results.md"
ARTICLE = "data/raw/published_article.kk.txt"
LABELS = "manuscript/labels/kk.yaml"
BIBLIOGRAPHY = "manuscript/bibliography.yaml"

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
    ("a caption refers to no number", LABELS, "{{ n.oli_first_year }}–", "{{ n.no_such_year }}–", False),
    ("the caption repaired", LABELS, "{{ n.no_such_year }}–", "{{ n.oli_first_year }}–", True),
    ("a cited work's key changed", BIBLIOGRAPHY, "id: sedacca2022", "id: sedacca2023", False),
    ("the key restored", BIBLIOGRAPHY, "id: sedacca2023", "id: sedacca2022", True),
    ("a Pandoc option of the wrong kind", "manuscript/pandoc/html.yaml", "toc-depth: 2", "toc-depth: {}", False),
    ("the option restored", "manuscript/pandoc/html.yaml", "toc-depth: {}", "toc-depth: 2", True),
]  # fmt: skip


@pytest.fixture
def outcome(monkeypatch: pytest.MonkeyPatch) -> Callable[[], tuple[str, CheckedData | None]]:
    """The check's message ('' when it passes), and what the data half of the check gives the rest when the
    data package passes (the tidy tables and the registry as the rules publish them, and more)."""
    seen: dict[str, CheckedData] = {}

    def data_checked(article_lines: list[str]) -> CheckedData:
        seen["data"] = checked_data(article_lines)
        return seen["data"]

    monkeypatch.setattr(checks, "checked_data", data_checked)

    def run() -> tuple[str, CheckedData | None]:
        seen.clear()
        try:
            check_project(CONFIG)
            return "", seen["data"]
        except BuildError as error:
            return str(error), seen.get("data")

    return run


def assert_same(found: tuple[str, CheckedData | None], cold: tuple[str, CheckedData | None], how: str) -> None:
    assert found[0] == cold[0], f"{how}: {found[0]!r}, cold: {cold[0]!r}"
    assert (found[1] is None) == (cold[1] is None), how
    if cold[1] is not None:
        # The registry's rows hold NaN, never equal to itself: its CSV text among `kept` is compared instead.
        assert found[1]._replace(registry=None) == cold[1]._replace(registry=None), how
        assert set(found[1].registry) == set(cold[1].registry), how


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


def test_a_text_that_passed_is_checked_again_when_what_it_names_changes(sources):
    """A text's pass is remembered with the registry's ids and the bibliography's keys it was checked against: the
    same words fail once a number they name is gone. The labels are the case the edits above cannot show, since the
    kk sections use every number a caption uses and are checked first."""
    data = checked_data(Path(ARTICLE).read_text(encoding="utf-8").splitlines())
    labels, env = validated(LABELS, "labels"), templating.environment()
    discussion = "manuscript/text/kk/05.discussion.md"
    section = Path(discussion).read_text(encoding="utf-8")
    for registry, known in [(data.registry, set(data.known))] * 2:  # the second time, from memory
        check_labels(LABELS, labels, registry, env, known, checked_against(registry, known))
        check_text_references(discussion, section, registry, env, known, checked_against(registry, known))
    lost = {number_id: row for number_id, row in data.registry.items() if number_id != "oli_first_year"}
    with pytest.raises(TemplateError, match=f"{LABELS}: .*n.oli_first_year is not a number of the registry"):
        check_labels(LABELS, labels, lost, env, set(data.known), checked_against(lost, data.known))
    with pytest.raises(TemplateError, match=f"{discussion}, line .*n.oli_first_year is not a number of the registry"):
        check_text_references(discussion, section, lost, env, set(data.known), checked_against(lost, data.known))
    # A count printed in thousands passes, then its value is no whole number of thousands: the same words fail.
    in_thousands = section + "\nМыңдаған адам: {{ n.platform_workers_2023.thousands }}.\n"
    known = set(data.known)
    check_text_references(discussion, in_thousands, data.registry, env, known, checked_against(data.registry, known))
    odd = {**data.registry, "platform_workers_2023": {**data.registry["platform_workers_2023"], "value": 500500.0}}
    with pytest.raises(TemplateError, match=r"n.platform_workers_2023.thousands: .* not a whole number of thousands"):
        check_text_references(discussion, in_thousands, odd, env, known, checked_against(odd, known))


def test_the_errata_are_checked_again_when_a_file_they_name_is_gone(sources):
    """The errata's pass is remembered with which of the files they name exist (gigpaper.article_checks.check_errata_file)."""
    config = {**CONFIG, "formats": ["pdf", "docx"]}  # without the HTML, no other check reads its Pandoc defaults
    check_project(config)
    Path("manuscript/pandoc/html.yaml").unlink()  # which an erratum names
    messages = []
    for how in (contextlib.nullcontext(), memo.new_process(), memo.cold()):  # remembered here, on disk, cold
        with how, pytest.raises(BuildError) as stopped:
            check_project(config)
        messages.append(str(stopped.value))
    assert (
        "erratum 'E026', key 'file': found 'manuscript/pandoc/html.yaml'; expected a file of the project" in messages[2]
    )
    assert messages == [messages[2]] * 3


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


# The input check as the build's `onstart` runs it, in a new interpreter; it prints which heavy libraries it imported.
CHECK_RUN = """
import sys
from gigpaper.checks import check_inputs
check_inputs({"languages": ["kk", "ru", "en"], "editions": ["kk", "ru", "en"], "formats": ["html", "pdf", "docx"]})
print(" ".join(sorted({"pandas", "jsonschema"} & set(sys.modules))))
"""


def test_after_a_text_edit_the_check_recalls_the_data_and_imports_no_pandas(sources: Path) -> None:
    def check() -> str:
        env = {**os.environ, "PYTHONPATH": str(sources / "workflow")}
        done = subprocess.run([sys.executable, "-c", CHECK_RUN], cwd=sources, env=env, capture_output=True,
                              text=True, check=True, timeout=300)  # fmt: skip
        return done.stdout.strip()

    assert check() == "jsonschema pandas"  # the first check reads every file
    section = Path(SECTION)
    section.write_text(section.read_text(encoding="utf-8").replace("түйінді", "негізгі", 1), encoding="utf-8")
    assert check() == ""  # a kk word edited: the data's check is recalled as a whole, its tables never read
    shares = Path(SHARES)
    shares.write_text(shares.read_text(encoding="utf-8").replace(",women,40,", ",women,45,", 1), encoding="utf-8")
    shares.write_text(shares.read_text(encoding="utf-8").replace(",men,60,", ",men,55,", 1), encoding="utf-8")
    update_checksums("data/raw/datapackage.yaml")
    assert "pandas" in check()  # a data edit: that table is tidied again
