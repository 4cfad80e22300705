"""Generated malformed input, for every kind of file the build reads: one message, never a traceback.

Hypothesis breaks one input at a time: a cell or a row of any raw CSV file, a value of any YAML file
(the data package, the manuscript's YAML, the labels, the Pandoc defaults and terms), a line of a
template, of a section or of the published text. Each example is checked in-process by the input check (`check_project`): it
passes (the value happened to be a valid one), or it stops with one BuildError that names the file that
was changed. Nothing else may escape (a KeyError, a ValueError from a date, a traceback). The tree is a
git checkout, as a clone is. The catalogue and the settings, which Snakemake reads with the workflow,
are broken in a copy of the project and run through Snakemake up to the input check's job (a second
each: 20 examples in the whole suite). A small sample runs the real build on a built copy: exit 1, one
message naming the file, no output changed, and a plain rebuild after the file is restored.

Examples, the same ones every run (derandomized) but for `full`: `./paper test --quick` runs the
quick profile, 75 per test, 300 in all (about 15 CPU-seconds, since the input check remembers the work
of the files an example did not change, gigpaper.memo, and re-does only the broken file's: 20-60 ms an
example); `./paper test` (what CI runs) the suite profile, 150 per test, 600 in all.
GIGPAPER_HYPOTHESIS=full runs 500 per test, 2000 in all, new ones each run (a minute or two), to hunt
before a release; GIGPAPER_HYPOTHESIS names any profile over the tier's choice (tests/conftest.py).
"""

from __future__ import annotations

import csv
import io
import os
import re
import subprocess
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import jinja2
import pytest
from conftest import ROOT, copy_inputs, copy_project, outputs, record_checksums, snakemake
from gigpaper import memo, templating
from gigpaper.checks import check_project
from gigpaper.datapackage import update_checksums
from gigpaper.errors import BuildError, TemplateError
from gigpaper.files import (
    BIDI_CONTROL,
    CONTROL_CHARACTER,
    INVISIBLE,
    LONG_WORD,
    LONGEST_WORD,
    OTHER_LINE_BREAK,
    check_encoding,
)
from gigpaper.template_checks import check_syntax
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

settings.register_profile("quick", max_examples=75, deadline=None, derandomize=True)
settings.register_profile("suite", max_examples=150, deadline=None, derandomize=True)
settings.register_profile("full", max_examples=500, deadline=None)
PROFILE = os.environ.get("GIGPAPER_HYPOTHESIS", "suite")
settings.load_profile(PROFILE)
SHARED_TREE = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]

CONFIG = {"languages": ["kk", "ru", "en"], "editions": ["kk", "ru", "en"], "formats": ["html", "pdf", "docx"]}
# Every raw table the data package lists: the article's own, their translations and the public OLI files.
RAW_TABLES = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "data/raw").glob("*.csv"))
YAML_FILES = sorted(
    str(p.relative_to(ROOT))
    for p in [*(ROOT / "manuscript").glob("*.yaml"), *(ROOT / "manuscript/labels").glob("*.yaml"),
              *(ROOT / "manuscript/pandoc").glob("*.yaml"), ROOT / "data/raw/datapackage.yaml",
              *(ROOT / "manuscript/pandoc/translations").glob("*.yaml")]
)  # fmt: skip
TEMPLATES = sorted(
    str(p.relative_to(ROOT))
    for p in [*(ROOT / "manuscript/templates").glob("*.j2"), *(ROOT / "manuscript/text").rglob("*.md")]
)
# Values a hurried author types: wrong kinds, dates that are none, YAML's special words, Jinja, text.
BAD_SCALARS = st.one_of(
    st.sampled_from(["2025-13-45", "2025-01-01", "{}", "[]", "12", "-1", "1e400", ".nan", "~", "null", "yes",
                     "ten", "", " padded ", "{{ 7*7 }}", "{{ n.no_such_id }}", "{% if %}", "@nokey2020", "!!int x",
                     "\"unclosed", "[1, 2", "- item", "a: b", "10,5", "∞", "١٢"]),
    st.text(st.characters(blacklist_categories=["Cs", "Cc"]), max_size=12),
)  # fmt: skip


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A copy of the sources with the registry of a last build, as the working directory; a git checkout, as a
    clone is, whose committed files say which file dropped what another still names."""
    root = tmp_path_factory.mktemp("properties")
    copy_inputs(root)
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    for command in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "as cloned"]):
        subprocess.run([*git, *command], cwd=root, check=True)
    (root / "data/processed").mkdir()
    before = Path.cwd()
    os.chdir(root)
    # The registry of a last build: a number a raw file loses is then blamed on that file.
    from gigpaper.checks import check_data_package
    from gigpaper.numbers import registry_frame

    _, tidy = check_data_package(Path("data/raw/published_article.kk.txt").read_text(encoding="utf-8").splitlines())
    from gigpaper.datapackage import citation_keys_of, load_descriptor

    citations = citation_keys_of(load_descriptor(Path("data/raw/datapackage.yaml")))
    registry = registry_frame(
        tidy["online_labour_index"], tidy["gender_by_occupation"], tidy["article_numbers"], citations
    )
    registry.to_csv("data/processed/numbers.csv", index=False)
    check_project(CONFIG)  # the copy as it is passes
    yield root
    os.chdir(before)


@contextmanager
def broken(path: str, text: str) -> Iterator[None]:
    """`path` holds `text` (checksums recorded, as an author would) until the block ends."""
    file = Path(path)
    original, descriptor = file.read_bytes(), Path("data/raw/datapackage.yaml").read_bytes()
    try:
        file.write_text(text, encoding="utf-8")
        if path.startswith("data/raw/") and path != "data/raw/datapackage.yaml":
            update_checksums("data/raw/datapackage.yaml")
        yield
    finally:
        file.write_bytes(original)
        Path("data/raw/datapackage.yaml").write_bytes(descriptor)


def assert_one_message_naming(path: str) -> None:
    try:
        check_project(CONFIG)
    except BuildError as error:
        message = str(error)
        assert "Traceback" not in message, message
        named = path in message
        if path == "data/raw/datapackage.yaml":  # a narrower constraint is broken by a cell of the file it describes
            named |= "data/raw/" in message
        if path.startswith("manuscript/text/"):  # the edition that lacks what another gained is named (parity)
            named |= f"/{Path(path).name}" in message
        assert named, f"{path} was changed, but the message names another file: {message}"


def rows_of(path: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(Path(path).read_text(encoding="utf-8"), newline="")))


def as_csv(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


@settings(suppress_health_check=SHARED_TREE)
@given(data=st.data())
def test_a_malformed_csv_cell(tree, data):
    path = data.draw(st.sampled_from(RAW_TABLES), label="file")
    rows = rows_of(path)
    row = data.draw(st.integers(0, len(rows) - 1), label="row (0: the header)")
    column = data.draw(st.integers(0, len(rows[row]) - 1), label="column")
    rows[row][column] = data.draw(BAD_SCALARS, label="value")
    with broken(path, as_csv(rows)):
        assert_one_message_naming(path)


@settings(suppress_health_check=SHARED_TREE)
@given(data=st.data())
def test_a_malformed_csv_row(tree, data):
    path = data.draw(st.sampled_from(RAW_TABLES), label="file")
    rows = rows_of(path)
    index = data.draw(st.integers(1, len(rows) - 1), label="row")
    how = data.draw(st.sampled_from(["drop", "repeat", "short", "long", "blank", "junk"]), label="how")
    if how == "drop":
        del rows[index]
    elif how == "repeat":
        rows.insert(index, list(rows[index]))
    elif how == "short":
        rows[index] = rows[index][:-1]
    elif how == "long":
        rows[index] = [*rows[index], "extra"]
    elif how == "blank":
        rows[index] = []
    else:
        rows.insert(index, data.draw(st.lists(BAD_SCALARS, min_size=1, max_size=len(rows[0]) + 1), label="cells"))
    with broken(path, as_csv(rows)):
        assert_one_message_naming(path)


VALUE_LINE = re.compile(r"^(\s*(?:- )?[^\s#:][^:#]*:\s)(\S.*)$")


@settings(suppress_health_check=SHARED_TREE)
@given(data=st.data())
def test_a_malformed_yaml_value(tree, data):
    path = data.draw(st.sampled_from(YAML_FILES), label="file")
    lines = Path(path).read_text(encoding="utf-8").split("\n")
    candidates = [i for i, line in enumerate(lines) if VALUE_LINE.match(line)]
    index = data.draw(st.sampled_from(candidates), label="line")
    value = data.draw(BAD_SCALARS.filter(lambda v: "\n" not in v and "\r" not in v), label="value")
    lines[index] = VALUE_LINE.sub(lambda m: m.group(1) + value, lines[index])
    with broken(path, "\n".join(lines)):
        assert_one_message_naming(path)


PUBLISHED = "data/raw/published_article.kk.txt"
# Each example re-checks every table that quotes the published text (about 0.1 s): fewer than the others.
PUBLISHED_EXAMPLES = {"quick": 25, "suite": 75, "full": 300}.get(PROFILE, 75)


@settings(max_examples=PUBLISHED_EXAMPLES, suppress_health_check=SHARED_TREE)
@given(data=st.data())
def test_a_line_of_the_published_text_added_removed_or_changed(tree, data):
    """The rows quote the published text by line: a line added or removed moves what they quote."""
    lines = Path(PUBLISHED).read_text(encoding="utf-8").split("\n")
    index = data.draw(st.integers(0, len(lines) - 1), label="line")
    how = data.draw(st.sampled_from(["drop", "repeat", "blank", "append"]), label="how")
    if how == "drop":
        del lines[index]
    elif how == "repeat":
        lines.insert(index, lines[index])
    elif how == "blank":
        lines.insert(index, "")
    else:
        lines[index] += " " + data.draw(BAD_SCALARS.filter(lambda v: "\n" not in v and "\r" not in v), label="text")
    with broken(PUBLISHED, "\n".join(lines)):
        assert_one_message_naming(PUBLISHED)


JINJA_BITS = st.sampled_from(
    ["{{", "}}", "{%", "%}", "{{ n.", "{{ n.no_such_id }}", "{{ n.kaz_gig_workers_share.low }}", "{{ 7*7 }}",
     "{{ ref.figure9 }}", "{{ figure('figure9') }}", "{{ n.__class__ }}", "{% for x in y %}", "@schor2021", "2024",
     "{# open", "{{ n.women_share_platform_workers | safe }}"]
)  # fmt: skip


@settings(suppress_health_check=SHARED_TREE)
@given(data=st.data())
def test_a_malformed_template_line(tree, data):
    path = data.draw(st.sampled_from(TEMPLATES), label="file")
    lines = Path(path).read_text(encoding="utf-8").split("\n")
    index = data.draw(st.integers(0, len(lines) - 1), label="line")
    insert = data.draw(st.lists(st.one_of(JINJA_BITS, BAD_SCALARS), min_size=1, max_size=3), label="inserted")
    lines[index] = lines[index] + " " + " ".join(insert)
    with broken(path, "\n".join(lines)):
        assert_one_message_naming(path)


# Text made of Jinja's marks, halves of them and a few words.
JINJA_MARKS = st.lists(
    st.sampled_from(["{", "}", "{{", "}}", "{%", "%}", "{#", "#}", "{##", "##}", "-", " ", "\n", "n", "if", "'"]),
    max_size=8,
).map("".join)


@given(text=st.one_of(JINJA_MARKS, st.text(max_size=40)))
def test_the_syntax_check_says_what_jinja_says_of_any_text(text):
    """check_syntax leaves a text with no Jinja opening mark unparsed (most labels): Jinja must find nothing wrong
    in such a text either, and of every other text the check says what Jinja's parser says."""
    env = templating.environment()
    try:
        env.parse(text)
        jinja_error = None
    except jinja2.TemplateSyntaxError as error:
        jinja_error = error.message
    with memo.cold():
        try:
            check_syntax("a label", text, env)
            check_error = None
        except TemplateError as error:
            check_error = str(error)
    assert (check_error is None) == (jinja_error is None), (check_error, jinja_error)
    if jinja_error:
        assert jinja_error in check_error


# Characters the encoding check refuses or lets pass, as runs: a word at, just under or over the longest allowed.
CHARACTER_RUNS = st.lists(
    st.one_of(
        st.sampled_from(
            [
                "a",
                "ж",
                " ",
                "\n",
                "\t",
                "\u00a0",
                "\x00",
                "\x1b",
                "\x7f",
                "\x85",
                "\u2028",
                "\u2029",
                "é",
                "\u202e",
                "\u2067",
                "\u200b",
                "\u00ad",
                "\ufeff",
                "и\u0306",  # й decomposed
                "\u0306",
            ]
        ),
        st.sampled_from([LONGEST_WORD - 1, LONGEST_WORD, LONGEST_WORD + 1]).map(lambda n: "ж" * (n - 1)),
    ),
    max_size=12,
).map("".join)


def refused_by_reading_the_text(text: str) -> str | None:
    """What check_encoding refuses, and on which line, read from the text alone, one pattern after another."""
    if text.startswith("\ufeff"):  # a byte-order mark, said as such; inside the text, an invisible character
        return "a.md: the file is saved with a byte-order mark"
    for what, found in [
        ("a control character", CONTROL_CHARACTER.search(text)),
        ("a Unicode line or paragraph separator", OTHER_LINE_BREAK.search(text)),
        ("a bidirectional control character", BIDI_CONTROL.search(text)),
        ("an invisible character", INVISIBLE.search(text)),
        ("«", _first_decomposed(text)),
        ("found a word of", LONG_WORD.search(text)),
    ]:
        if found:
            return f"line {text.count(chr(10), 0, found.start()) + 1}: {what}"
    return None


def _first_decomposed(text: str) -> re.Match[str] | None:
    """The first letter a combining breve (the only combining mark of CHARACTER_RUNS) follows and composes with, as a
    match: read pair by pair, not as the check finds it."""
    start = next((i - 1 for i in range(1, len(text)) if text[i] == "\u0306"
                  and len(unicodedata.normalize("NFC", text[i - 1 : i + 1])) == 1), None)  # fmt: skip
    return None if start is None else re.compile(".", re.S).match(text, start)


@given(text=CHARACTER_RUNS)
def test_the_encoding_check_refuses_what_reading_the_text_finds(text):
    """check_encoding looks at a file's bytes first (fast) and at its text only where they hold something to refuse:
    it refuses a text exactly when the patterns over the text find something, at the same line."""
    expected = refused_by_reading_the_text(text)
    try:
        assert check_encoding("a.md", text.encode()) == text
        found = None
    except BuildError as error:
        found = str(error).removeprefix("a.md, ")
    assert (found is None) == (expected is None), (found, expected)
    if expected:
        assert found.startswith(expected), (found, expected)


# --- a sample through the real build -------------------------------------------------------------------------

REAL = [
    ("data/raw/ppmi2024_gender_by_occupation.csv", "2024,software_dev_tech,women,10,", "2024,software_dev_tech,women,1e400,"),
    ("manuscript/pandoc/html.yaml", "toc-depth: 2", "toc-depth: {}"),
    ("manuscript/claims.yaml", "    statement: Деректерді талдау", "    statement: 2025-13-45 # Деректерді талдау"),
    ("manuscript/templates/paper.md.j2", "\n", "\n{{ n.no_such_id }}\n"),
]  # fmt: skip


@pytest.mark.parametrize(("path", "old", "new"), REAL, ids=[r[0].rsplit("/", 1)[1] for r in REAL])
def test_the_build_stops_with_one_message_and_rebuilds_once_restored(built_copy, path, old, new):
    before = outputs(built_copy)
    file = built_copy / path
    original = file.read_text(encoding="utf-8")
    assert old in original
    file.write_text(original.replace(old, new, 1), encoding="utf-8")
    record_checksums(built_copy)
    result = snakemake(built_copy, check=False)
    assert result.returncode == 1
    assert result.stderr.count("ERROR") == 1 and "Traceback" not in result.stderr, result.stderr[-3000:]
    assert f"ERROR in the inputs: {path}" in result.stderr, result.stderr[-3000:]
    assert outputs(built_copy) == before
    file.write_text(original, encoding="utf-8")
    record_checksums(built_copy)
    snakemake(built_copy)
    assert outputs(built_copy) == before


# --- the catalogue and the settings, which Snakemake reads with the workflow ------------------------------------

WORKFLOW_YAML = ["workflow/catalogue.yaml", "config/config.yaml"]
# Each example is a Snakemake run (about a second): a few in the whole suite, more with GIGPAPER_HYPOTHESIS=full.
WORKFLOW_EXAMPLES = {"quick": 10, "suite": 20, "full": 200}.get(PROFILE, 20)


@pytest.fixture(scope="module")
def workflow_tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_project(tmp_path_factory.mktemp("workflow") / "project")


@pytest.mark.slow
@settings(max_examples=WORKFLOW_EXAMPLES, suppress_health_check=SHARED_TREE)
@given(data=st.data())
def test_a_malformed_catalogue_or_settings_value(workflow_tree, data):
    """Read with the workflow, not by the input check: a run of Snakemake up to the check's job (nothing is built)
    passes, or stops with one message naming the file."""
    path = data.draw(st.sampled_from(WORKFLOW_YAML), label="file")
    file = workflow_tree / path
    original = file.read_text(encoding="utf-8")
    lines = original.split("\n")
    candidates = [i for i, line in enumerate(lines) if VALUE_LINE.match(line)]
    index = data.draw(st.sampled_from(candidates), label="line")
    value = data.draw(BAD_SCALARS.filter(lambda v: "\n" not in v and "\r" not in v), label="value")
    lines[index] = VALUE_LINE.sub(lambda m: m.group(1) + value, lines[index])
    try:
        file.write_text("\n".join(lines), encoding="utf-8")
        result = snakemake(workflow_tree, "--until", "check_inputs", check=False)
    finally:
        file.write_text(original, encoding="utf-8")
    assert "Traceback" not in result.stderr and 'File "' not in result.stderr, result.stderr[-3000:]
    if result.returncode:
        errors = [line for line in result.stderr.splitlines() if "ERROR" in line]
        assert len(errors) == 1 and path in errors[0], result.stderr[-3000:]
    assert outputs(workflow_tree) == {}
