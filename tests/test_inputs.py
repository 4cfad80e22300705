"""Broken, hostile and interrupted input: one clear message, nothing executed, no output replaced.

Most inputs are broken in a copy of the sources and checked by calling the input check
(`gigpaper.checks.check_project`) directly; a few run the build to show what an author sees.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import ROOT, outputs, snakemake
from gigpaper.catalogue import settings
from gigpaper.checks import check_project
from gigpaper.datapackage import update_checksums
from gigpaper.errors import BuildError
from gigpaper.files import load_yaml

CONFIG = {"languages": ["kk", "ru", "en"], "editions": ["kk", "ru", "en"], "formats": ["html", "pdf", "docx"]}


def record_checksums(project: Path) -> None:
    update_checksums(project / "data/raw/datapackage.yaml")


def edit(path: str, old: str, new: str, count: int = 1) -> None:
    file = Path(path)
    text = file.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path}"
    file.write_text(text.replace(old, new, count), encoding="utf-8")


def rejected(config: dict | None = None) -> str:
    """The one message of the input check."""
    with pytest.raises(BuildError) as caught:
        check_project(config or CONFIG)
    return str(caught.value)


def test_the_project_as_it_is_passes(sources):
    check_project(CONFIG)


# --- a number a revision adds, which the published article does not print -----------------------------------

NUMBERS = "data/raw/article_numbers.csv"
# A test value from a cited work and page; the published article prints neither.
ADDED_ROW = "test_added_share,point,12,,,percent,ilo2021,p. 12,,,,\n"
ADDED_USE = "\n\n{{ n.test_added_share }} [@ilo2021, 12].\n"


def add_number(row: str) -> None:
    Path(NUMBERS).write_text(Path(NUMBERS).read_text(encoding="utf-8") + row, encoding="utf-8")
    for lang in CONFIG["languages"]:
        text = Path(f"manuscript/text/{lang}/05.discussion.md")
        text.write_text(text.read_text(encoding="utf-8") + ADDED_USE, encoding="utf-8")
    record_checksums(Path.cwd())


def test_a_number_added_after_publication_passes_with_its_source(sources):
    add_number(ADDED_ROW)
    check_project(CONFIG)


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (ADDED_ROW.replace("ilo2021,", ","), "column 'citation_key': found ''; expected the work the number comes from "
         "(a row with neither source_line nor statement is a number added after publication, which must name its source)."),
        (ADDED_ROW.replace("p. 12,", ","), "column 'cited_locator': found ''; expected where in that work, such as a "
         "page or a table"),
        (ADDED_ROW.replace(",,,,\n", ",,,344,\n"), "column 'other_lines': found '344'; expected nothing"),
        (ADDED_ROW.replace(",,,,\n", ",,Бір сөз,,\n"), "column 'source_line': found ''; expected the line of the "
         "published text that prints the statement (or no statement either: a row with neither source_line nor "
         "statement is a number added after publication)."),
        (ADDED_ROW.replace(",,,,\n", ",344,,,\n"), "column 'statement': found ''; expected the article's words on "
         "line 344 that state the value (or no source_line either"),
    ],
    ids=["no work", "no place in it", "published lines", "words but no line", "a line but no words"],
)  # fmt: skip
def test_a_number_added_after_publication_must_name_its_source_and_no_published_line(sources, row, expected):
    add_number(row)
    message = rejected()
    assert message.startswith(f"{NUMBERS}, row 16, "), message
    assert expected in message, message


# --- a value from data is never run as a template -----------------------------------------------------

TABLE2 = "data/raw/table2_platforms_kz.csv"


@pytest.mark.parametrize(
    "cell",
    ["{{ 7*7 }}", "{{ n.__init__.__globals__ }}", "{% for x in range(3) %}x{% endfor %}", "Glovo {# hidden #}"],
)
def test_template_code_in_a_data_cell_is_refused(sources, cell):
    edit(TABLE2, "Glovo,Испания", f'"{cell}",Испания')
    record_checksums(sources)
    message = rejected()
    assert message.startswith(f"{TABLE2}, row 3, column 'name': found {cell!r}; expected text"), message
    assert "never run as a template" in message


# A name that holds digits: the advice was the registry's alone, which holds no name; a cell prints a name's mark as
# typed, so the name goes in the text, where the mark makes it one.
NAME_IN_A_CELL = (
    "; if it is part of a name, a cell takes it neither, as it prints its marks as typed: write the name in the text, "
    "as [COVID-19]{.name}"
)


@pytest.mark.parametrize("lang", ["", ".ru", ".en"])
# A value of the registry typed in: it prints the same today, and no reader can trace it to its source. A cell prints
# a link as typed, so the digits of its address are as much in view as any (a text's link prints its words only).
@pytest.mark.parametrize(
    ("typed", "number", "advice"),
    [("40", "40", ""), ("[есеп](https://stat.gov.kz/2024)", "2024", ""), ("COVID-19", "19", NAME_IN_A_CELL)],
    ids=["a-value", "an-address", "a-name"],
)  # fmt: skip
def test_a_number_typed_into_a_table_cell_is_refused(sources, lang, typed, number, advice):
    path = f"data/raw/table1_platform_employment{lang}.csv"
    edit(path, "{{ n.women_share_platform_workers }}", typed)
    record_checksums(sources)
    message = rejected()
    assert message.startswith(f"{path}, row 4, column 'after': found "), message
    assert "expected text, with numbers only as registry references" in message
    assert message.endswith(
        f"(the number {number} is typed into the table, where no reader can trace it to its source{advice})."
    ), message


SHARES = "data/raw/ppmi2024_gender_by_occupation.csv"


SHARE = "writing_translation,women,52,"


@pytest.mark.parametrize(
    ("path", "old", "new", "expected"),
    [(SHARES, SHARE, SHARE.replace("52", "5_2"), "row 4, column 'share_pct': found '5_2'; expected a number written with a decimal point."),
     (SHARES, SHARE, SHARE.replace("52", "５２"), "row 4, column 'share_pct': found '５２'; expected a number written with a decimal point."),
     (SHARES, SHARE, SHARE.replace("52", '" 52"'), "row 4, column 'share_pct': found ' 52'; expected a number written with a decimal point."),
     (SHARES, "2024,writing_translation,women", "２０２４,writing_translation,women", "row 4, column 'year': found '２０２４'; expected a whole number."),
     ("data/raw/article_numbers.csv", "lower_bound,500000,", "lower_bound,inf,", "row 2, column 'value': found 'inf'; expected a finite number.")],
    ids=["underscore", "full-width digits", "padded", "full-width year", "infinite"],
)  # fmt: skip
def test_a_number_in_another_form_than_table_schemas_is_refused(sources, path, old, new, expected):
    # Python reads 5_2 and ５２ as 52, and Frictionless reads cells with Python: the project holds them to the standard
    edit(path, old, new)
    record_checksums(sources)
    message = rejected()
    assert message == f"{path}, {expected}", message


@pytest.mark.parametrize(
    ("path", "old", "new", "expected"),
    [("data/raw/article_numbers.csv", "\nwomen_share_platform_workers,", "\nw\u043emen_share_platform_workers,",
      "row 3, column 'id': found 'w\u043emen_share_platform_workers'; expected an id of small Latin letters, digits and _, "
      "starting with a letter; its «\u043e» is U+043E CYRILLIC SMALL LETTER O, not a Latin letter."),
     ("data/raw/table2_platforms_kz.csv", "\nglovo,", "\nGlovo,", "row 3, column 'platform_id': found 'Glovo'; expected "
      "an id of small Latin letters, digits and _, starting with a letter."),
     # Its pattern was shown as the regular expression: "expected text matching [A-Z]{3}".
     ("data/raw/oli_worker_supply_annual.csv", "\nABW,", "\nAbw,", "row 2, column 'area': found 'Abw'; expected a "
      "country's code of three capital Latin letters (ISO 3166-1 alpha-3, such as KAZ).")],
    ids=["cyrillic-look-alike", "capital", "country-code"],
)  # fmt: skip
def test_an_id_typed_otherwise_than_the_ids_pattern_is_told_in_words(sources, path, old, new, expected):
    """A new row's id with a letter of another script that looks Latin, or a capital, was refused as 'expected text matching
    [a-z][a-z0-9_]*', a regular expression, beside an id that reads right."""
    edit(path, old, new)
    record_checksums(sources)
    assert rejected() == f"{path}, {expected}"


@pytest.mark.parametrize("cell", ["+52", "52.", "5.2e1", "052"])
def test_every_form_of_a_number_table_schema_allows_is_read(sources, cell):
    edit(SHARES, SHARE, SHARE.replace("52", cell))
    record_checksums(sources)
    check_project(CONFIG)


def test_a_registry_reference_in_a_data_cell_must_exist(sources):
    edit("data/raw/table1_platform_employment.en.csv", "n.women_share_platform_workers", "n.women_share_platform")
    record_checksums(sources)
    message = rejected()
    assert "table1_platform_employment.en.csv, row 4, column 'after'" in message
    assert "{{ n.women_share_platform }}; expected an id of the number registry" in message


def test_markup_in_data_reaches_every_format_as_literal_text(built):
    """Markdown, HTML and Typst special characters from a data cell print as themselves (Typst: escaped by Pandoc)."""
    import pypandoc
    from gigpaper.catalogue import TABLES
    from gigpaper.files import load_labels
    from gigpaper.numbers import NumberRegistry
    from gigpaper.tables import table_markdown

    hostile = "*Star*_Co <b>x</b> #1 $5$ @home {{ }} = [x](y) `c` \\ ~s~"
    rows = [{"name": hostile, "country_of_origin": "A|B", "service": "#set page(width: 1cm)", "raw_file": "t.csv",
             "raw_row": "2"}]  # fmt: skip
    registry = NumberRegistry.from_csv(str(built / "data/processed/numbers.csv"), "en")
    labels = load_labels(ROOT / "manuscript/labels/en.yaml")
    with pytest.raises(BuildError, match="never run as a template"):
        table_markdown("table2", rows, labels, registry, "en.yaml")
    rows[0]["name"] = hostile.replace("{{ }} ", "")
    markdown = table_markdown("table2", rows, labels, registry, "en.yaml")
    assert set(TABLES["table2"].columns) == {"name", "country_of_origin", "service"}
    html = pypandoc.convert_text(markdown, "html", format="markdown", extra_args=["--wrap=none"])
    assert "*Star*_Co &lt;b&gt;x&lt;/b&gt; #1 $5$ @home = [x](y) `c` \\ ~s~" in html
    typst = pypandoc.convert_text(markdown, "typst", format="markdown", extra_args=["--wrap=none"])
    assert "\\#set page(width: 1cm)" in typst


def test_a_dollar_sign_in_a_category_name_is_drawn_as_text_not_mathtext(built):
    import pandas as pd
    from gigpaper.figures import draw_gender_by_occupation
    from gigpaper.files import load_labels

    labels = load_labels(ROOT / "manuscript/labels/en.yaml")
    labels["occupations"]["sales_marketing"] = "Sales $x^2$ and $$"
    figure = draw_gender_by_occupation(pd.read_csv(built / "data/processed/gender_by_occupation.csv"), labels, "en")
    names = {tick.get_text(): tick for tick in figure.axes[0].get_yticklabels()}
    assert "Sales $x^2$ and $$" in names
    assert names["Sales $x^2$ and $$"].get_parse_math() is False


def test_an_authored_template_cannot_reach_python(sources):
    from gigpaper.templating import render

    section = "manuscript/text/kk/01.introduction.md"
    edit(section, "\n\n", "\n\n{{ n.__class__.__init__.__globals__ }}\n\n")
    message = rejected()
    assert message.startswith(f"{section}, line 3: a template may not use names that start with '_'"), message
    with pytest.raises(BuildError, match="not allowed in a template"):
        render("{{ x.__class__.__mro__ }}", {"x": 1}, "t")


@pytest.mark.parametrize(
    ("code", "said"),
    [("{{ cycler.__init__.__globals__.os.popen('id').read() }}", "a template may not use names that start with '_' "
      "(Python's internals)"),
     # the step that rendered the skeleton said "'/etc/passwd' not found in search path", or read a file of the project
     ('{% include "/etc/passwd" %}', "a template may not read another file (include, import, from, extends), which "
      "the input check never reads; write what it needs in it"),
     # the sandbox stopped a range over a hundred thousand late, once per edition; two nested ones ran for ever
     ("{% for i in range(a_million) %}x{% endfor %}", "a template may not make a loop or a text of a size of its own "
      "(range, lipsum, *, **), which the sandbox stops late or runs for ever; loop over what it is given"),
     # the skeleton's step stopped with an empty message (a MemoryError); a list of billions took the machine's memory
     ('{{ "x" * 99999999999 }}', "a template may not make a loop or a text of a size of its own (range, lipsum, *, **), "
      "which the sandbox stops late or runs for ever; loop over what it is given")],
    ids=["internals", "include", "range", "repetition"],
)  # fmt: skip
@pytest.mark.parametrize("template", ["manuscript/templates/paper.md.j2", "manuscript/templates/review.html.j2"])
def test_a_project_template_reaching_outside_what_it_is_given_is_refused_by_the_input_check(
    sources, template, code, said
):
    """The reviewer page's template stopped late, in its step, where the sandbox refused it."""
    lines = Path(template).read_text(encoding="utf-8").count("\n")
    with open(template, "a", encoding="utf-8") as handle:
        handle.write(code + "\n")
    assert rejected() == f"{template}, line {lines + 1}: {said}"


# --- a missing source stops the build by name ---------------------------------------------------------


def test_a_deleted_raw_file_stops_the_build_by_name(sources):
    os.remove("data/raw/article_numbers.csv")
    message = rejected()
    assert re.fullmatch(
        r"data/raw/datapackage.yaml, line \d+, resource 'article_numbers': its file data/raw/article_numbers.csv "
        r"does not exist \(restore the file, or correct the resource's path\).",
        message,
    ), message


def test_a_mistyped_resource_path_stops_the_build_by_name(sources):
    edit("data/raw/datapackage.yaml", "path: article_numbers.csv", "path: article_number.csv")
    assert "its file data/raw/article_number.csv does not exist" in rejected()


@pytest.mark.parametrize(
    ("old", "new", "said"),
    [("path: article_numbers.csv", "path: article_number.csv",
      "line 79: the file data/raw/article_number.csv does not exist; correct the path, or put the file there"),
     ("ru: {path: table2_platforms_kz.ru.csv", "ru: {path: table2_platforms.ru.csv",
      "line 140: the file data/raw/table2_platforms.ru.csv does not exist; correct the path, or put the file there"),
     ("path: article_numbers.csv", "path: /etc/hostname", "line 79: found the path '/etc/hostname'; expected a file "
                                                          "name in data/raw/")],
    ids=["mistyped", "a-translations-mistyped", "outside-the-project"],
)  # fmt: skip
def test_recording_the_checksums_names_a_path_that_is_no_file_of_the_data_and_records_none(sources, old, new, said):
    """`.venv/bin/python -m gigpaper.datapackage --update-checksums`, which an author runs after a data edit, stopped
    with Python's traceback (FileNotFoundError) on a mistyped path, and read a file outside the project, recording
    its checksum, for a path that named one."""
    edit(DP, old, new)
    before = Path(DP).read_bytes()
    result = subprocess.run([sys.executable, "-m", "gigpaper.datapackage", "--update-checksums"], capture_output=True,
                            text=True)  # fmt: skip
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr[-2000:]
    assert result.stderr.strip() == f"ERROR: {DP}, {said} (no checksum was recorded).", result.stderr
    assert Path(DP).read_bytes() == before


def test_a_file_the_data_package_does_not_describe_is_named(sources):
    Path("data/raw/extra.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    assert rejected() == "data/raw/extra.csv: the data package (data/raw/datapackage.yaml) does not describe it."


def test_an_editors_lock_beside_the_raw_files_is_not_a_file_of_the_data(sources):
    """A table open in LibreOffice Calc (or Excel) has its lock beside it: the build stopped with 'data/raw/
    .~lock.article_numbers.csv#: the data package (data/raw/datapackage.yaml) does not describe it.' until the
    table was closed."""
    Path("data/raw/.~lock.article_numbers.csv#").write_text(",author,host,02.12.2026 10:00,author;\n", "utf-8")
    Path("data/raw/~$article_numbers.csv").write_bytes(b"\x06author" + b"\x00" * 40)
    Path("data/raw/article_numbers.csv~").write_text("id,kind\n", encoding="utf-8")
    check_project(CONFIG)
    Path("data/raw/extra.csv").write_text("a,b\n1,2\n", encoding="utf-8")  # a file of data still is one
    assert rejected() == "data/raw/extra.csv: the data package (data/raw/datapackage.yaml) does not describe it."


def test_a_built_project_whose_raw_file_was_deleted_does_not_report_nothing_to_do(built_copy):
    before = outputs(built_copy)
    (built_copy / "data/raw/ppmi2024_gender_by_occupation.csv").unlink()
    result = snakemake(built_copy, check=False)
    assert result.returncode == 1
    assert "Nothing to be done" not in result.stdout + result.stderr
    assert "its file data/raw/ppmi2024_gender_by_occupation.csv does not exist" in result.stderr
    assert "Traceback" not in result.stderr
    assert outputs(built_copy) == before


# --- descriptors and manuscript YAML are checked against their schemas ---------------------------------

DP = "data/raw/datapackage.yaml"
BIB = "manuscript/bibliography.yaml"
ERRATA = "manuscript/errata.yaml"


def _yaml_line(path: str, text: str) -> int:
    return Path(path).read_text(encoding="utf-8").splitlines().index(text) + 1


SCHEMA_CASES: list[tuple[str, Callable[[], None], list[str]]] = [
    (
        "a misspelt constraint",
        lambda: edit(DP, "constraints: {required: true, pattern:", "constraints: {required: true, patern:"),
        [DP, "key 'resources[4] (article_numbers).schema.fields[1] (id).constraints.patern'",
         "unknown key 'patern' (did you mean 'pattern'?); expected one of enum, maximum, minimum, pattern, required"],
    ),
    (
        "the data package's DOI of the article, not the metadata's",  # two homes of one DOI, neither read against the other
        lambda: edit(DP, "  doi: 10.32014/2025.2518-1467.941", "  doi: 10.32014/2025.2518-1467.914"),
        [DP, "line 8, key 'article.doi': found 10.32014/2025.2518-1467.914; expected 10.32014/2025.2518-1467.941, the "
         "article's DOI, as manuscript/metadata.yaml gives it."],
    ),
    (
        "the data package's published text, not the build's",
        lambda: edit(DP, "  published_text: published_article.kk.txt", "  published_text: article.txt"),
        [DP, "line 9, key 'article.published_text': found article.txt; expected published_article.kk.txt, the file the "
         "build reads as the published article (data/raw/published_article.kk.txt)."],
    ),
    (
        "a source's address on the plain web",  # was 'expected text matching ^https://'
        lambda: edit(DP, 'path: "https://doi.org/10.6084/m9.figshare.3761562"', 'path: "http://doi.org/10.6084/m9.figshare.3761562"'),
        [DP, "line 170, key 'resources[7] (oli_worker_supply).sources[1].path': found "
         "'http://doi.org/10.6084/m9.figshare.3761562'; expected a web address (https://...)."],
    ),
    (
        "a field given twice",  # two branches that each added the column, merged: a traceback of Frictionless
        lambda: edit(DP, "        - {name: note, type: string}\n", "        - {name: note, type: string}\n" * 2),
        [DP, "line 103, field 'note': the name is used twice (also at line 102); each name must be unique (a column "
         "of the table has one field)."],
    ),
    (
        "an unknown field type",
        lambda: edit(DP, "{name: year_start, type: integer", "{name: year_start, type: int"),
        [DP, "found 'int'; expected one of string, integer, number"],
    ),
    (
        "a constraint's pattern that is not a regular expression",  # was a traceback of re, where Frictionless used it
        lambda: edit(DP, 'pattern: "[A-Z]{3}"', 'pattern: "[A-Z"'),
        [DP, "key 'resources[7] (oli_worker_supply).schema.fields[1] (area).constraints.pattern'",
         "found '[A-Z'; expected a regular expression (Python's), which the whole value must match."],
    ),
    (
        "a label YAML reads as false",  # the Norway problem: found False, where the file says No
        lambda: edit("manuscript/labels/en.yaml", "genders: {women: Women, men: Men}", "genders: {women: Women, men: No}"),
        ["manuscript/labels/en.yaml", 'line 20, key \'genders.men\': found No, which YAML reads as false; expected text '
         '(write it in quotes: "No").'],
    ),
    (
        # A word processor's quotes, typed as YAML's: kept as text, every English caption printed 'Figure 1“. ”Online'.
        "a label in typographic quotes",
        lambda: edit("manuscript/labels/en.yaml", 'figure_separator: ". "', "figure_separator: \u201c. \u201d"),
        ["manuscript/labels/en.yaml", "line 9, column 19: found '\u201c. \u201d', in typographic quotes, which YAML keeps "
         "as part of the text (the editions would print them); expected straight quotes (\". \") around it, or the "
         "whole of it in straight quotes ('\u201c. \u201d') to print them."],
    ),
    (
        # One digit mistyped: a valid-looking iD of nobody, or of another researcher, in every edition and the deposit.
        "an ORCID iD whose check digit is wrong",
        lambda: edit("manuscript/metadata.yaml", "authors: []", 'authors:\n  - name: "Aigerim Nurlanova"\n    affiliation:'
                     ' {kk: "ҚазҰУ", ru: "КазНУ", en: "KazNU"}\n    orcid: "0000-0002-1825-0098"'),
        ["manuscript/metadata.yaml", "line 25, key 'authors[1] (Aigerim Nurlanova).orcid': found '0000-0002-1825-0098'; "
         "expected an ORCID iD of 16 digits, the last its check digit (0-9 or X), such as 0000-0002-1825-0097."],
    ),
    (
        # Two co-authors' lists merged, both kept: every edition and the JATS deposit named her twice, the build passing.
        "an author given twice",
        lambda: edit("manuscript/metadata.yaml", "authors: []", "authors:\n" + '  - {name: "Aigerim Nurlanova", '
                     'affiliation: {kk: "ҚазҰУ", ru: "КазНУ", en: "KazNU"}}\n' * 2),
        ["manuscript/metadata.yaml", "line 24, key 'authors[2] (Aigerim Nurlanova)': found {'name': 'Aigerim Nurlanova', "
         "'affiliation': {'kk': 'ҚазҰУ', 'ru': 'КазНУ', 'en': 'KazNU'}} again (it is also item 1); expected each once."],
    ),
    (
        # One digit mistyped: the journal's ISSN of another serial, or of none, on every page, in the PDF's XMP and the
        # JATS deposit.
        "an ISSN whose check digit is wrong",
        lambda: edit("manuscript/metadata.yaml", 'issn: "1991-3494"', 'issn: "1991-3495"'),
        ["manuscript/metadata.yaml", "line 29, key 'issn': found '1991-3495'; expected the print ISSN, eight digits in "
         "two groups of four, the last its check digit (0-9 or X), such as 1991-3494."],
    ),
    (
        # A Cyrillic а, as a copy from a Russian text brings: 'unknown key 'cаption' (did you mean 'caption'?)'.
        "a label's key with a letter of another script",
        lambda: edit("manuscript/labels/en.yaml", "    caption: Gender distribution", "    c\u0430ption: Gender distribution"),
        ["manuscript/labels/en.yaml", "line 37, key 'figures.figure2.c\u0430ption': unknown key 'c\u0430ption' (did you "
         "mean 'caption'?); its «\u0430» is U+0430 CYRILLIC SMALL LETTER A, not a Latin letter; expected one of alt, "
         "caption, note, x_title."],
    ),
    (
        "an erratum's edition with a letter of another script",
        lambda: edit(ERRATA, "  edition: abstract-en", "  edition: \u0430bstract-en"),
        [ERRATA, "line 10, key '[1] (E001).edition': found '\u0430bstract-en'; expected one of kk, ru, en, abstract-en, "
         "abstract-kk, abstract-ru; its «\u0430» is U+0430 CYRILLIC SMALL LETTER A, not a Latin letter."],
    ),
    (
        "a label left empty",  # its words deleted, the key kept: 'found None', Python's word for it
        lambda: edit("manuscript/labels/en.yaml", "    caption: Gender distribution of workers registered on digital "
                     "platforms, by occupation", "    caption:"),
        ["manuscript/labels/en.yaml", "line 37, key 'figures.figure2.caption': found no value (the key is left empty); "
         "expected text."],
    ),
    (
        "a volume YAML reads as a number",
        lambda: edit(BIB, 'volume: "8"', "volume: 8"),
        [BIB, 'key \'references[6] (stephany2023).volume\': found 8; expected text (write it in quotes: "8").'],
    ),
    (
        "a DOI pasted as its web address",  # was 'expected text matching ^10\\.\\d{4,9}/\\S+$'
        lambda: edit(BIB, "DOI: 10.1177/20539517211043240", "DOI: https://doi.org/10.1177/20539517211043240"),
        [BIB, "found 'https://doi.org/10.1177/20539517211043240'; expected a DOI, as 10.1177/20539517211043240 (without "
         "https://doi.org/, and without a full stop or comma after it)."],
    ),
    (
        # Copied from the end of a reference: every edition linked the work to a DOI of nothing (doi.org: not found).
        "a DOI copied with the full stop after it",
        lambda: edit(BIB, "DOI: 10.1177/20539517211043240", "DOI: 10.1177/20539517211043240."),
        [BIB, "found '10.1177/20539517211043240.'; expected a DOI, as 10.1177/20539517211043240 (without "
         "https://doi.org/, and without a full stop or comma after it)."],
    ),
    (
        "a work's key with a hyphen",  # was 'expected text matching ^[a-z][a-z0-9_]*$'
        lambda: edit(BIB, "  - id: woodcock2020\n", "  - id: woodcock-graham2020\n"),
        [BIB, "found 'woodcock-graham2020'; expected a key of small Latin letters, digits and _, starting with a letter "
         "(as woodcock_graham2020)."],
    ),
    (
        "a key YAML reads as a number",  # was a traceback of difflib, which looked for a key close to it
        lambda: edit("manuscript/labels/en.yaml", "genders: {women: Women, men: Men}", "genders: {women: Women, 1: x}"),
        ["manuscript/labels/en.yaml", "key 'genders.1': unknown key '1'; expected one of men, women"],
    ),
    (
        "a YAML syntax error",
        lambda: edit(DP, "resources:\n", "resources: [\n"),
        [DP, "not valid YAML"],
    ),
    (
        "a resource's name given twice",  # the slow tier's test shows what the build said
        lambda: edit(DP, "  - name: table2_platforms\n", "  - name: table1_platform_employment\n"),
        [DP, "line 129, resource 'table1_platform_employment': the name is used twice (also at line 104); each name "
         "must be unique (the workflow, the catalogue and the steps would read only the first)."],
    ),
    (
        "a claim's id given twice",  # a claim copied for a new one: two rows of one id, two elements of one HTML id
        lambda: edit("manuscript/claims.yaml", "  - id: women_in_food_delivery\n",
                     "  - id: women_dominate_delivery_micro_tasks_online_services\n"),
        ["manuscript/claims.yaml", "line 37, claim 'women_dominate_delivery_micro_tasks_online_services': the id is "
         "used twice (also at line 18); each id must be unique."],
    ),
    (
        "a work's key given twice",  # was named without its line, nor the first's
        lambda: edit(BIB, "  - id: woodcock2020\n", "  - id: schor2020\n"),
        [BIB, "line 19, work 'schor2020': the id is used twice (also at line 11); each id must be unique."],
    ),
    (
        "an erratum's id given twice",
        lambda: edit(ERRATA, "- id: E002\n", "- id: E001\n"),
        [ERRATA, "line 16, erratum 'E001': the id is used twice (also at line 8); each id must be unique."],
    ),
    (
        "a way of obtaining a resource the vocabulary does not name",  # public_data misspelt made the OLI files tidied
        lambda: edit(DP, "    obtained: compiled_by_authors\n    checks: []\n", "    obtained: compiled_by_author\n    checks: []\n"),
        [DP, "resource 'table2_platforms', key 'obtained': found 'compiled_by_author'; expected one of stated_in_text, "
         "complement_of_stated, compiled_by_authors, published_text, public_data (the keys of obtained_vocabulary)."],
    ),
    (
        "a translated column the schema lacks",  # was named at the line of primaryKey, which names no such column
        lambda: edit(DP, "translated_fields: [name, country_of_origin, service]", "translated_fields: [name, country, service]"),
        [DP, "line 142, resource 'table2_platforms': the column 'country' is not a field of its schema"],
    ),
    (
        "a resource without a path",
        lambda: edit(DP, "    path: article_numbers.csv\n", ""),
        [DP, "key 'resources[4] (article_numbers)", "missing the key 'path'"],
    ),
    (
        "an erratum without its mended text",
        lambda: edit(ERRATA, '  mended: "However, they face problems such as"\n', ""),
        [ERRATA, "key '[1] (E001)'", "missing the key 'mended'"],
    ),
    (
        "an erratum of an unknown kind",
        lambda: edit(ERRATA, "- id: E001\n  kind: slip", "- id: E001\n  kind: typo"),
        [ERRATA, "key '[1] (E001).kind'", "found 'typo'; expected one of extraction, slip, noted"],
    ),
    (
        "an erratum for an unknown edition",
        lambda: edit(ERRATA, "  edition: abstract-en\n", "  edition: abstract-de\n"),
        [ERRATA, "found 'abstract-de'; expected one of kk, ru, en, abstract-en"],
    ),
    (
        "an erratum beyond the published text",
        lambda: edit(ERRATA, "  source_line: 14\n", "  source_line: 9999\n"),
        [ERRATA, "erratum 'E001', key 'source_line': found 9999; expected a line of data/raw/published_article.kk.txt (1 to "],
    ),
    (
        "an erratum quoting words the article does not print",
        lambda: edit(ERRATA, 'published: "However, he faces problems such as"', 'published: "However, she faces problems such as"'),
        [ERRATA, "line 8, erratum 'E001', key 'published': found «However, she faces problems such as»; expected the "
         "article's words as printed from line 14 of data/raw/published_article.kk.txt."],
    ),
    (
        "an erratum a line off its published words",
        lambda: edit(ERRATA, "  source_line: 14\n", "  source_line: 13\n"),
        [ERRATA, "erratum 'E001', key 'published': found «However, he faces problems such as»; expected the article's "
         "words as printed from line 13 of data/raw/published_article.kk.txt (they start on line 14)."],
    ),
    (
        # A translator's line copied and left unchanged: Figure 2 showed two bars of one name, the build passing.
        "an occupation named as another",
        lambda: edit("manuscript/labels/en.yaml", "  clerical_data_entry: Data management and entry",
                     "  clerical_data_entry: Writing and translation"),
        ["manuscript/labels/en.yaml", "line 16, key 'occupations.clerical_data_entry': found 'Writing and translation', "
         "the name of 'writing_translation' too; expected a name of its own (else a figure shows two of one name, which "
         "no reader tells apart)."],
    ),
    (
        "a claim's source_line with two digits swapped",  # it said where the words start only when near the line
        lambda: edit("manuscript/claims.yaml", "    source_line: 659\n", "    source_line: 569\n"),
        ["manuscript/claims.yaml", "for source_line 569; expected the article's words as printed at line 569 of "
         "data/raw/published_article.kk.txt (they start on line 659)."],
    ),
    (
        "an erratum pointing at a file that does not exist",
        lambda: edit(ERRATA, "  file: manuscript/text/abstracts/en.md\n", "  file: manuscript/text/abstracts/de.md\n"),
        [ERRATA, "erratum 'E001', key 'file': found 'manuscript/text/abstracts/de.md'; expected a file of the project"],
    ),
    (
        "a bibliography status misspelt",
        lambda: edit(BIB, "  - id: schor2020\n    status: confirmed", "  - id: schor2020\n    status: confirmd"),
        [BIB, "key 'references[1] (schor2020).status'", "found 'confirmd'; expected one of confirmed, probable, unconfirmed"],
    ),
    (
        "a figure's caption left empty",  # the figure was printed without one, the build ending well
        lambda: edit("manuscript/labels/en.yaml", "    caption: Gender distribution of workers registered on digital platforms, by occupation", '    caption: ""'),
        ["manuscript/labels/en.yaml", "key 'figures.figure2.caption': found ''; expected text (not empty)."],
    ),
    (
        "a heading of the labels left blank",
        lambda: edit("manuscript/labels/ru.yaml", "contents_heading: ", 'contents_heading: " " #'),
        ["manuscript/labels/ru.yaml", "key 'contents_heading': found ' '; expected text (not empty)."],
    ),
    (
        "a title left empty",  # an edition without a title, the build ending well
        lambda: edit("manuscript/metadata.yaml", '  en: "Gender', '  en: "" #'),
        ["manuscript/metadata.yaml", "key 'title.en': found ''; expected text (not empty)."],
    ),
    (
        "a work's title left empty",  # printed without one, the build ending well
        lambda: edit(BIB, 'title: "The Gig Economy: A Critical Introduction"', 'title: ""'),
        [BIB, "key 'references[2] (woodcock2020).title': found ''; expected text (not empty)."],
    ),
    (
        "an author without a name",  # cited as "(, 2020)"
        lambda: edit(BIB, "{family: Woodcock, given: Jamie}, {family: Graham, given: Mark}", "{given: Jamie}"),
        [BIB, "key 'references[2] (woodcock2020).author[1]': found {'given': 'Jamie'}; expected a name: a family name "
         "(and given names), or a literal one ({literal: ILO})."],
    ),
    (
        "an erratum quoting no published words",  # it mended nothing, the ledger and reviewer page showing it so
        lambda: edit(ERRATA, 'published: "However, he faces problems such as"', 'published: ""'),
        [ERRATA, "line 13, key '[1] (E001).published': found ''; expected the published words (not empty)."],
    ),
    (
        "a claim quoting nothing",
        lambda: edit("manuscript/claims.yaml", "    statement: Деректерді талдау әйелдердің", "    statement: '' #"),
        ["manuscript/claims.yaml", "statement': found ''; expected the article's words (not empty)."],
    ),
    (
        "a renamed label key",
        lambda: edit("manuscript/labels/ru.yaml", "  figure2:\n    caption:", "  figure2:\n    title:"),
        ["manuscript/labels/ru.yaml", "key 'figures.figure2.title'", "unknown key 'title'"],
    ),
    (
        "a keyword carrying a line break",
        lambda: edit("manuscript/metadata.yaml", "en: [Kazakhstan, ", 'en: ["Kazak-\\nhstan", '),
        ["manuscript/metadata.yaml", "key 'keywords.en[1]': found 'Kazak-\\nhstan'; expected one keyword, on one line"],
    ),
    (
        "a work's year in quotes",  # was "found '2020'; expected a whole number", beside a year that reads as one
        lambda: edit("manuscript/bibliography.yaml", "    issued: 2020\n    title: \"After", '    issued: "2020"\n    title: "After'),
        ["manuscript/bibliography.yaml", "line 15, key 'references[1] (schor2020).issued': found \"2020\", which its "
         "quotes keep text; expected a whole number: write it without quotes, 2020."],
    ),
    (
        "a keyword given twice",  # every edition, and the JATS deposit's keywords, printed it twice
        lambda: edit("manuscript/metadata.yaml", "women, men, platform", "women, men, women, platform"),
        ["manuscript/metadata.yaml", "line 47, key 'keywords.en[7]': found 'women' again (it is also item 5); expected "
         "each once."],
    ),
    (
        "a claim naming a number the registry lacks",
        lambda: edit("manuscript/claims.yaml", "ppmi_writing_translation_women, ppmi_clerical_data_entry_women]", "ppmi_writing_translation_women, ppmi_clerical_women]"),
        ["manuscript/claims.yaml", "claim 'women_relatively_active_in_creative_and_language_work'", "found 'ppmi_clerical_women'; expected an id of the number registry"],
    ),
    (
        "a Pandoc output format that is a mapping",
        lambda: edit("manuscript/pandoc/html.yaml", "to: html5", "to: {}"),
        ["manuscript/pandoc/html.yaml", "key 'to': found {}; expected text"],
    ),
    (
        "Pandoc filters that are a number",
        lambda: edit("manuscript/pandoc/docx.yaml", "filters: [manuscript/pandoc/docx-png-figures.lua, manuscript/pandoc/docx-table-widths.lua, manuscript/pandoc/docx-captions.lua]", "filters: 12"),
        ["manuscript/pandoc/docx.yaml", "key 'filters': found 12; expected a list"],
    ),
    (
        "the Pandoc defaults of a format deleted",  # the build saw no missing input: the outputs existed
        lambda: Path("manuscript/pandoc/docx.yaml").unlink(),
        ["manuscript/pandoc/docx.yaml", "the file does not exist"],
    ),
    (
        "the Pandoc defaults every format reads deleted",
        lambda: Path("manuscript/pandoc/common.yaml").unlink(),
        ["manuscript/pandoc/common.yaml", "the file does not exist"],
    ),
    (
        "the translations' record deleted",  # likewise
        lambda: Path("manuscript/translations.yaml").unlink(),
        ["manuscript/translations.yaml", "the file does not exist"],
    ),
    (
        "a language of the translations' record that is no mapping",  # was a Python error in check_translations
        lambda: edit("manuscript/translations.yaml", "\nen:\n  01.introduction.md ¶1:", "\nen: 5\nxx:\n  01.introduction.md ¶1:"),
        ["manuscript/translations.yaml", "line 4, key 'en': found 5; expected a mapping of keys to values."],
    ),
    (
        "a Pandoc filter that does not exist",
        lambda: edit("manuscript/pandoc/html.yaml", "html-front.lua", "html-frnt.lua"),
        ["manuscript/pandoc/html.yaml", "key 'filters': found 'manuscript/pandoc/html-frnt.lua', which does not exist"],
    ),
    (
        "a Pandoc filter outside manuscript/pandoc/",
        lambda: edit("manuscript/pandoc/html.yaml", "manuscript/pandoc/html-front.lua", "/etc/passwd"),
        ["manuscript/pandoc/html.yaml", "key 'filters[1]': found '/etc/passwd'; expected a file of manuscript/pandoc/"],
    ),
    (
        "Pandoc metadata that would put raw HTML into every edition",
        lambda: edit("manuscript/pandoc/common.yaml", "  link-citations: true", "  link-citations: true\n  header-includes: '<script>x()</script>'"),
        ["manuscript/pandoc/common.yaml", "key 'metadata.header-includes': unknown key 'header-includes'; expected one of link-bibliography, link-citations"],
    ),
    (
        "a Typst package the PDF's template would download",  # Typst fetched it from packages.typst.org, late
        lambda: edit("manuscript/pandoc/article.typ", "#let running-head", '#import "@preview/cetz:0.2.2"\n#let running-head'),
        ["manuscript/pandoc/article.typ", "line 3: imports the Typst package @preview/cetz:0.2.2, which Typst would "
         "download from the web at every build; expected a template of Typst alone"],
    ),
    (
        "a file the PDF's template reads from outside the project",  # Typst refused it late, once per edition
        lambda: edit("manuscript/pandoc/article.typ", "#let running-head", '#image("../../../etc/hostname")\n#let running-head'),
        ["manuscript/pandoc/article.typ", "line 3: reads ../../../etc/hostname, outside the project, which Typst "
         "refuses as it compiles each edition; expected a file of the project."],
    ),
    (
        "a web font the HTML's stylesheet imports",  # Pandoc fetched it at every build; the page, when read
        lambda: edit("manuscript/pandoc/article.css", ":root {", '@import url("https://fonts.googleapis.com/css2?family=Roboto");\n:root {'),
        ["manuscript/pandoc/article.css", "line 2: @import names https://fonts.googleapis.com/css2?family=Roboto, "
         "outside the project, which Pandoc would fetch at every build; expected a stylesheet of its own or files "
         "of the project (the HTML edition is one self-contained page)."],
    ),
    (
        "a font the HTML's stylesheet takes from elsewhere on the machine",
        lambda: edit("manuscript/pandoc/article.css", "html { font-size: 100%; }", "html { font-size: 100%; }\n"
                     "@font-face { font-family: X; src: url('/usr/share/fonts/x.woff'); }"),
        ["manuscript/pandoc/article.css", "line 4: url( names /usr/share/fonts/x.woff, outside the project"],
    ),
    (
        "an address the HTML's stylesheet names outside url()",  # neither embedded nor refused: the reader fetched it
        lambda: edit("manuscript/pandoc/article.css", "html { font-size: 100%; }", "html { font-size: 100%; }\n"
                     'body { background-image: image-set("https://example.org/t.png" 1x); }'),
        ["manuscript/pandoc/article.css", "line 4: names https://example.org/t.png, outside the project, which a "
         "reader's browser would fetch; expected a stylesheet that names files of the project only, in plain letters."],
    ),
    (
        "a CSS escape that spells url(",
        lambda: edit("manuscript/pandoc/article.css", "html { font-size: 100%; }", "html { font-size: 100%; }\n"
                     "body { background: \\75 rl(x.png); }"),
        ["manuscript/pandoc/article.css", "line 4: names a CSS escape (\\), which spells a name in other letters"],
    ),
    (
        "a Pandoc resource path outside the project",
        lambda: edit("manuscript/pandoc/html.yaml", "toc: true", "toc: true\nresource-path: [/]"),
        ["manuscript/pandoc/html.yaml", "key 'resource-path[1]': found '/'; expected a folder of the project"],
    ),
    (
        "an unknown Pandoc option",
        lambda: edit("manuscript/pandoc/common.yaml", "citeproc: true", "citeprc: true"),
        ["manuscript/pandoc/common.yaml", "unknown key 'citeprc' (did you mean 'citeproc'?)"],
    ),
    (
        "a label language file with an unknown language",
        lambda: edit("manuscript/labels/languages.yaml", "en: {language_name", "de: {language_name"),
        ["manuscript/labels/languages.yaml", "unknown key 'de'"],
    ),
    (
        "a reference's URL that is not a web address",
        lambda: edit("manuscript/bibliography.yaml", "    publisher: Polity\n", "    publisher: Polity\n    URL: javascript:alert()\n"),
        ["manuscript/bibliography.yaml", "key 'references[2] (woodcock2020).URL': found 'javascript:alert()'; "
         "expected a web address (https://...)"],
    ),
    (
        "a label given twice, the second below the first",
        lambda: edit("manuscript/labels/kk.yaml", "\ncontents_heading:", "\ntable_prefix: Кесте\ncontents_heading:"),
        ["manuscript/labels/kk.yaml", "not valid YAML (the key 'table_prefix' is given twice, on line "],
    ),
    (
        "an issue label naming a value the metadata has not",  # was a KeyError traceback in each edition's step
        lambda: edit("manuscript/metadata.yaml", 'en: "No. {issue}, {year}"', 'en: "Vol. {volume}, No. {issue}, {year}"'),
        ["manuscript/metadata.yaml", "key 'issue_label.en': found 'Vol. {volume}, No. {issue}, {year}'; expected the "
         "issue's label, with {issue} and {year} where they go and no other {...} (as \"No. {issue}, {year}\")"],
    ),
    (
        "a line indented with a tab",  # was the parser's 'found character that cannot start any token'
        lambda: edit("manuscript/metadata.yaml", '  en: "Gender equality', '\ten: "Gender equality'),
        ["manuscript/metadata.yaml", "line 6, column 1: not valid YAML (a tab, where YAML takes spaces only; "
         "write spaces in its place)."],
    ),
]  # fmt: skip


@pytest.mark.parametrize(
    "named", ["data/raw/nope.csv", "/etc/passwd", "../project/data/raw/oli_worker_supply_annual.csv"]
)
def test_an_oli_file_setting_must_name_a_file_of_the_project(sources, named):
    """A build that need not rerun the source check never asks Snakemake for the file: missing, it went unsaid."""
    with pytest.raises(BuildError, match=rf"^config/config\.yaml, key 'oli_worker_supply': found '{re.escape(named)}', "
                                         "which is not a file of the project; expected the path"):  # fmt: skip
        settings({**CONFIG, "oli_worker_supply": named})
    settings({**CONFIG, "oli_worker_supply": "data/raw/oli_worker_supply_annual.csv"})


@pytest.mark.parametrize(
    ("given", "said"),
    [(("editions: [kk, ru, en]", "editions: [kk, ru, en, kk]"),
      "line 3, key 'editions[4]': found 'kk' again (it is also item 1); expected each once."),
     (("formats: [html, pdf, docx, xml]", "formats: []"),
      "line 4, key 'formats': found an empty list; expected at least 1 item(s).")],
    ids=["edition-twice", "no-format"],
)  # fmt: skip
def test_a_list_setting_with_an_item_twice_or_none_is_said_in_words(sources, given, said):
    """jsonschema's own words were 'found ['kk', 'ru', 'en', 'kk']; ['kk', 'ru', 'en', 'kk'] has non-unique elements'."""
    settings_file = Path("config/config.yaml")
    settings_file.write_text(settings_file.read_text(encoding="utf-8").replace(*given), encoding="utf-8")
    with pytest.raises(BuildError) as caught:
        settings(load_yaml(settings_file))
    assert str(caught.value) == f"config/config.yaml, {said}"


def test_a_timestamp_later_than_the_docx_can_store_is_refused_in_the_settings(sources):
    """Pandoc stopped on SOURCE_DATE_EPOCH=99999999999 (year 5138) with a Haskell error, the step with a traceback."""
    with pytest.raises(BuildError) as caught:
        settings({**CONFIG, "png_dpi": 300, "source_date_epoch": 99_999_999_999})
    assert str(caught.value).startswith("config/config.yaml, line 8, key 'source_date_epoch': found 99999999999"), (
        caught.value  # the file's line of the key, where an author would write it
    )
    settings({**CONFIG, "png_dpi": 300, "source_date_epoch": 4_102_444_799})  # 2099-12-31


@pytest.mark.parametrize(
    ("change", "said"),
    [(lambda text: text + "png_dpi: 150\n", "line 16, column 1: not valid YAML (the key 'png_dpi' is given twice, "
                                            "on line 5 and here; keep one)."),
     (lambda text: text.replace("languages: [kk, ru, en]", "languages: [kk, ru, en"), "line 3, column 9: not valid "
                                                                                      "YAML (did not find expected ',' or ']'"),
     (lambda text: text + "deep: " + "[" * 3000 + "]" * 3000 + "\n", "line 16, column 1006: not valid YAML (exceeded "
                                                                     "maximum nesting depth"),
     (lambda text: text.replace("formats: [html, pdf, docx, xml]", "formats: 2025-13-45"),
      "line 4: found 2025-13-45, which YAML reads as a date"),
     (lambda text: text.replace("editions: [kk, ru, en]", "editions: [kk, 2025-01-01]"),
      "line 3: found 2025-01-01, which YAML reads as a date"),
     # LibYAML took a tab after the colon, and Snakemake's loader stopped with a traceback (ScannerError)
     (lambda text: text.replace("png_dpi: ", "png_dpi:\t"), "line 5, column 9: not valid YAML (a tab, where YAML takes "
                                                          "spaces only; write spaces in its place)."),
     (lambda text: text.replace("png_dpi: ", "\tpng_dpi: "), "line 5, column 1: not valid YAML (a tab, where YAML "
                                                            "takes spaces only; write spaces in its place)."),
     # An editor that crashed: Snakemake blamed its Snakefile ('WorkflowError in file Snakefile, line 28: Config file
     # must be given as JSON or YAML with keys at top level.')
     (lambda text: "", "line 1: found nothing; expected the build settings"),
     (lambda text: "- " + text.replace("\n", "\n  "), "line 1: found a list; expected the build settings")],
    ids=["key-twice", "unclosed-list", "nested-deep", "not-a-date", "a-date", "tab-after-colon", "tab-indent", "emptied",
         "a-list"],
)  # fmt: skip
def test_a_malformed_settings_file_is_one_message_as_the_workflow_is_read(project, change, said):
    """Snakemake reads config/config.yaml itself: it keeps the last of a key given twice, unsaid, names no line
    of a syntax error, a deep nesting or a date that is none (2025-13-45) crashes it, and a date reaches the
    schema's message as Python's datetime.date(...); the project's loader reads the file first."""
    settings_file = project / "config/config.yaml"
    settings_file.write_text(change(settings_file.read_text(encoding="utf-8")), encoding="utf-8")
    result = snakemake(project, "--list-rules", check=False)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and 'File "' not in result.stderr, result.stderr[-2000:]
    assert result.stderr.strip().splitlines()[-1].startswith(f"ERROR in the build settings: config/config.yaml, {said}")


@pytest.mark.parametrize(
    ("given", "said"),
    [("png_dpi=abc", "key 'png_dpi': found 'abc'; expected a whole number."),
     ("formats=[html,epub]", "key 'formats[2]': found 'epub'; expected one of html, pdf, docx, xml."),
     ("png_dpl=150", "key 'png_dpl': unknown key 'png_dpl' (did you mean 'png_dpi'?)"),
     ("oli_worker_supply=data/raw/nope.csv", "key 'oli_worker_supply': found 'data/raw/nope.csv', which is not a file "
                                             "of the project"),
     # To proofread one edition, its language alone: the build blamed the file ('config/config.yaml, key 'editions':
     # found ru, which 'languages' (kk) lacks'), whose editions still list the others.
     ("languages=[kk]", "key 'languages': found kk, which lacks ru, an edition config/config.yaml builds; give the "
                        "editions too, as --config languages=[kk] editions=[kk]."),
     ("editions=[kk,de]", "key 'editions[2]': found 'de'; expected one of kk, ru, en.")],
    ids=["not-a-number", "unknown-format", "unknown-key", "no-such-file", "language-alone", "unknown-edition"],
)  # fmt: skip
def test_a_bad_setting_given_on_the_command_line_is_blamed_on_it_not_the_file(project, given, said):
    """`./paper build --config png_dpi=abc` said 'config/config.yaml, key 'png_dpi': found 'abc'', a value that file
    does not hold (it says 300): the author looked for it there."""
    result = snakemake(project, "--list-rules", "--config", given, check=False)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr[-2000:]
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith(f"ERROR in the build settings: --config on the command line, {said}"), last


@pytest.mark.parametrize(
    ("written", "said"),
    [("png_dpi: abc\n", "other.yaml, line 1, key 'png_dpi': found 'abc'; expected a whole number."),
     ('png_dpi: "150"\n', 'other.yaml, line 1, key \'png_dpi\': found "150", which its quotes keep text; expected a '
                          "whole number: write it without quotes, 150."),
     ("png_dpi: 150\npng_dpi: 100\n", "other.yaml, line 2, column 1: not valid YAML (the key 'png_dpi' is given twice, "
                                      "on line 1 and here; keep one)."),
     ("oli_worker_supply: data/raw/nope.csv\n", "other.yaml, key 'oli_worker_supply': found 'data/raw/nope.csv', "
                                                "which is not a file of the project"),
     # Snakemake reads these files before the workflow, and said 'Config file is not valid JSON or YAML.', naming
     # neither file nor line, or stopped with a traceback (a date that is none, a file that is not there).
     ("png_dpi: [300\n", "other.yaml, line 2, column 1: not valid YAML (did not find expected ',' or ']'"),
     ("png_dpi:\t300\n", "other.yaml, line 1, column 9: not valid YAML (a tab, where YAML takes spaces only"),
     ("formats: 2025-13-45\n", "other.yaml, line 1: found 2025-13-45, which YAML reads as a date"),
     ("", "other.yaml, line 1: found nothing; expected the build settings"),
     (None, "other.yaml: the file does not exist.")],
    ids=["not-a-number", "in-quotes", "key-twice", "no-such-file", "unclosed-list", "tab", "not-a-date", "emptied",
         "not-there"],
)  # fmt: skip
def test_a_bad_setting_of_a_file_given_with_configfile_is_blamed_on_that_file(project, written, said):
    """`./paper build --configfile other.yaml` (Snakemake puts its values over config/config.yaml's) said
    'config/config.yaml, key 'png_dpi': found 'abc'', a value that file does not hold; a key given twice there was
    built with the last, unsaid."""
    if written is not None:
        (project / "other.yaml").write_text(written, encoding="utf-8")
    env = {**os.environ, "GIGPAPER_VENV": str(Path(sys.executable).parents[1])}
    command = [str(project / "paper"), "build", "--list-rules", "--configfile", "other.yaml"]
    result = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr[-2000:]
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith(f"ERROR in the build settings: {said}"), last


@pytest.mark.parametrize(
    ("path", "old", "said"),
    [("manuscript/labels/en.yaml", "    caption: Gender distribution of workers registered on digital platforms, by occupation",
      "manuscript/labels/en.yaml: figures.figure2.caption, line 1: the number 2025 is typed into prose"),
     ("manuscript/claims.yaml", "    statement: Деректерді талдау әйелдердің", "manuscript/claims.yaml, line ")],
)  # fmt: skip
def test_a_value_that_looks_like_a_date_is_read_as_text(sources, path, old, said):
    """PyYAML would make `2025-13-45` a date and fail with a Python error; it is the author's text."""
    text = Path(path).read_text(encoding="utf-8")
    line = next(line for line in text.splitlines() if line.startswith(old))
    edit(path, line, line.split(":")[0] + ": 2025-13-45")
    try:
        check_project(CONFIG)
    except BuildError as error:  # as text, it types a number into a caption, and is not a claim's quote: one message
        assert str(error).startswith(said), error
    assert "2025-13-45" in str(load_yaml(path))


@pytest.mark.parametrize(("case", "breaks", "expected"), SCHEMA_CASES, ids=[c[0] for c in SCHEMA_CASES])
def test_a_malformed_descriptor_or_manuscript_file_gets_one_message(sources, case, breaks, expected):
    breaks()
    record_checksums(sources)
    message = rejected()
    assert message.startswith(expected[0] + ", line ") or message.startswith(expected[0] + ":"), message
    for part in expected[1:]:
        assert part in message, message


def test_the_config_refuses_an_edition_whose_language_is_not_built(sources):
    message = rejected({**CONFIG, "languages": ["kk", "ru"]})
    assert message.startswith("config/config.yaml, key 'editions': found en, which 'languages' (kk, ru) lacks")


# --- encodings and line endings ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("how", "expected"),
    [
        (lambda t: t.encode("latin-1", errors="replace"), "is not UTF-8; the file seems saved in another encoding"),
        (lambda t: b"\xef\xbb\xbf" + t.encode(), "the file is saved with a byte-order mark (BOM); save it as UTF-8 without BOM"),
        (lambda t: t.replace("\n", "\r\n").encode(), "line 1: the file has Windows (CRLF) or old Mac (CR) line endings"),
        (lambda t: t.replace("\n", "\nx\x00", 1).encode(), "line 2: a control character (U+0000), which no edition can print"),
        (lambda t: t.replace("\n", "\n\x1b[0m", 1).encode(), "line 2: a control character (U+001B), which no edition"),
        (lambda t: t.replace("\n", "\nx\u2028", 1).encode(), "line 2: a Unicode line or paragraph separator (U+2028)"),
        (lambda t: t.replace("\n", "\n\u202e21", 1).encode(), "line 2: a bidirectional control character (U+202E), which "
         "shows the text around it in another order"),
        (lambda t: t.replace("\n", "\nи\u0306", 1).encode(), "line 2: «й» is written as 2 characters (U+0438 CYRILLIC "
         "SMALL LETTER I, U+0306 COMBINING BREVE), not as the one letter"),
        # Pasted from a web page or a PDF: the kk text then differed from its translations' record unseen ('kk change:
        # [-гиг-экономика-]{+гиг-экономика+}'), and a registry reference holding one was 'unexpected char '\u200b' at 665'.
        (lambda t: t.replace("\n", "\nгиг\u200b-экономика", 1).encode(), "line 2: an invisible character (U+200B), "
         "which no reader sees but a search, the published text's comparison and the translations' record see; delete"),
        (lambda t: t.replace("\n", "\nэконо\u00adмика", 1).encode(), "line 2: an invisible character (U+00AD)"),
        # Two revisions merged with git, the conflict left unresolved: the kk edition printed both sides with exit 0.
        (lambda t: t.replace("\n", "\n<<<<<<< HEAD\nмыс\n=======\nмысал\n>>>>>>> revision\n", 1).encode(),
         "line 2: a merge conflict's marker (<<<<<<< HEAD), which git leaves where two versions of the file disagree"),
    ],
    ids=["latin-1", "byte-order mark", "CRLF", "NUL", "escape", "line separator", "right-to-left override", "decomposed",
         "zero-width space", "soft hyphen", "merge conflict"],
)  # fmt: skip
@pytest.mark.parametrize("path", ["data/raw/table2_platforms_kz.en.csv", "manuscript/text/ru/04.results.md", ERRATA])
def test_a_file_saved_in_another_encoding_is_named_in_words(sources, how, expected, path):
    file = Path(path)
    text = file.read_text(encoding="utf-8").replace("Spain", "España")  # a letter Latin-1 writes differently
    file.write_bytes(how(text + "Ä\n" if file.suffix == ".md" else text))
    record_checksums(sources)
    message = rejected()
    assert message.startswith(path), message
    assert expected in message, message


# A journal's style as the Zotero Style Repository serves most of them: a name and a link to the style it follows.
DEPENDENT_STYLE = """<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" version="1.0" default-locale="en-US">
  <info>
    <title>Bulletin of an Academy</title>
    <link href="http://www.zotero.org/styles/apa" rel="independent-parent"/>
    <category citation-format="author-date"/>
  </info>
</style>
"""


@pytest.mark.parametrize(
    ("change", "said"),
    [(lambda text: "", ", line 1, column 1: not well-formed XML (no element found); expected a CSL style."),
     (lambda text: text.replace("</style>", ""), ", line 167, column 1: not well-formed XML (no element found); "
      "expected a CSL style."),
     (lambda text: "<html></html>\n", ": found the element <html>; expected a CSL style, <style "
      'xmlns="http://purl.org/net/xbiblio/csl">.'),
     (lambda text: DEPENDENT_STYLE, ', line 5: a dependent style (<link rel="independent-parent" '
      'href="http://www.zotero.org/styles/apa">), whose parent Pandoc would fetch from the web at every build; expected '
      "an independent style: save the parent's CSL file here in its place.")],
    ids=["empty", "unclosed", "not-csl", "dependent"],
)  # fmt: skip
def test_a_citation_style_pandoc_cannot_read_is_refused_at_its_line(sources, change, said):
    """Pandoc's citeproc stopped every edition late, blaming its Markdown: 'ERROR in rule render_edition: Pandoc could
    not read manuscript/build/paper.ru.md: CiteprocXMLError: Missing root element'; a journal's dependent style, as
    the Zotero Style Repository gives most, made it fetch the parent style from the web in every edition's step
    ('Pandoc could not read manuscript/build/paper.en.md: Could not fetch http://www.zotero.org/styles/apa'
    offline; online, the editions changed with what the web served)."""
    style = Path("manuscript/pandoc/article.csl")
    style.write_text(change(style.read_text(encoding="utf-8")), encoding="utf-8")
    assert rejected() == f"{style}{said}"


@pytest.mark.parametrize(
    ("replace", "said"),
    [(lambda path: path.symlink_to("/dev/zero"), ": a link to /dev/zero, outside the project; put the file itself here."),
     (lambda path: path.mkdir(), ": a folder, where the build reads a file; put the file itself here.")],
    ids=["link-to-a-device", "folder"],
)  # fmt: skip
def test_a_file_a_pandoc_defaults_file_names_that_is_no_file_is_named_as_what_it_is(sources, replace, said):
    """The defaults file's key was blamed for naming a file that 'does not exist', which was there."""
    style = Path("manuscript/pandoc/article.csl")
    style.unlink()
    replace(style)
    assert rejected() == f"{style}{said}"


@pytest.mark.parametrize(
    ("path", "expected"),
    [("manuscript/pandoc/article.typ", "the format's Pandoc template"),
     ("manuscript/pandoc/article.css", "the HTML edition's style sheet"),
     ("manuscript/pandoc/docx-captions.lua", "a Pandoc Lua filter"),
     ("manuscript/templates/review.html.j2", "the reviewer page's template")],
    ids=["typst-template", "css", "lua-filter", "review-template"],
)  # fmt: skip
def test_an_emptied_template_style_sheet_or_filter_is_refused(sources, path, expected):
    """An emptied file built: a blank PDF, an unstyled HTML, DOCX captions without their style, an empty reviewer page."""
    Path(path).write_text("\n", encoding="utf-8")
    assert rejected() == f"{path}: the file is empty; expected {expected} (restore it: git checkout -- {path})."


SAVE_AGAIN = "expected plain text in UTF-8: save it again under this name as plain text, UTF-8 (a table as CSV UTF-8, "


@pytest.mark.parametrize(
    ("path", "saved", "found"),
    [("data/raw/table2_platforms_kz.en.csv", b"PK\x03\x04\x14\x00\x06\x00", "a ZIP archive, as Word, Excel and "
      "LibreOffice save their documents (.docx, .xlsx, .odt)"),
     ("manuscript/text/kk/04.results.md", b"PK\x03\x04\x14\x00\x06\x00", "a ZIP archive, as Word"),
     ("manuscript/text/en/04.results.md", "# Results\n".encode("utf-16"), "text saved as UTF-16 (Word's and Notepad's "
      '"Unicode")'),
     ("data/raw/article_numbers.csv", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "a Word or Excel document of the old "
      "binary format (.doc, .xls)")],
    ids=["xlsx-as-csv", "docx-as-md", "utf-16", "xls-as-csv"],
)  # fmt: skip
def test_a_file_word_or_excel_saved_in_their_own_format_is_named_so(sources, path, saved, found):
    """Word or Excel asked to save a text or a table under its name: the check named a control character to delete
    ('line 1: a control character (U+0003)...') or guessed Latin-1 or Windows-1251 ('byte 0xff is not UTF-8')."""
    Path(path).write_bytes(saved + b"\x00" * 20)
    record_checksums(sources)
    message = rejected()
    assert message.startswith(f"{path}: found {found}"), message
    assert message.endswith(f"; {SAVE_AGAIN}comma-separated)."), message


def test_pandocs_terms_get_the_encoding_check_every_text_input_gets(sources):
    """manuscript/pandoc/translations/kk.yaml, in a folder of manuscript/pandoc/, is read by Pandoc as the rest is."""
    terms = Path("manuscript/pandoc/translations/kk.yaml")
    terms.write_bytes(terms.read_bytes().replace(b"\nAbstract", b"\nAbstract\x1b[0m", 1))
    message = rejected()
    assert message.startswith(f"{terms}, line ") and "a control character (U+001B)" in message, message


def test_an_editors_swap_file_beside_pandocs_files_or_the_templates_is_not_checked_as_a_text(sources):
    """Vim keeps a binary swap file beside a file it edits: with html.yaml open, the build stopped with
    'manuscript/pandoc/.html.yaml.swp, line 1: a control character (U+0000), which no edition can print'."""
    for swap in ("manuscript/pandoc/.html.yaml.swp", "manuscript/templates/.paper.md.j2.swp"):
        Path(swap).write_bytes(b"b0VIM 9.0\x00\x00\x10\x00")
    check_project(CONFIG)


@pytest.mark.parametrize(
    ("old", "new", "said"),
    [("Figure: Сурет", "Figure: [Сурет", "line 8, column 6: not valid YAML (did not find expected ',' or ']'; while parsing a flow "
      "sequence)."),
     ("Figure: Сурет", "Figure: [Сурет, Сызба]", "line 7, key 'Figure': found ['Сурет', 'Сызба']; expected text."),
     ("Figure: Сурет", "Figur: Сурет", "line 7, key 'Figur': unknown key 'Figur' (did you mean 'Figure'?); expected "
      "one of Abstract, Appendix, Bibliography, Cc, Chapter, Contents, Encl, Figure, Glossary, Index, ListOfFigures, "
      "ListOfTables, Listing, Page, Part, Preface, Proof, References, See, SeeAlso, Table, To.")],
    ids=["malformed", "not-text", "unknown-term"],
)  # fmt: skip
def test_pandocs_terms_that_pandoc_would_leave_out_are_refused_at_their_line(sources, old, new, said):
    """Pandoc read such a file with a warning in the edition's log ('Could not load translations for kk') and left
    out every term of it; the build went on, exit 0."""
    terms = "manuscript/pandoc/translations/kk.yaml"
    edit(terms, old, new)
    assert rejected() == f"{terms}, {said}"


# --- what would keep a step busy for ever --------------------------------------------------------------

# Nine lines of aliases of aliases: 9**9 values, which a check walking the data went through one by one (a build
# that never ended, its errata or metadata being read).
ALIAS_BOMB = "".join(
    f"{name}: &{name} [{', '.join([f'*{previous}' if previous else 'x'] * 9)}]\n"
    for previous, name in zip(["", *"abcdefgh"], "abcdefghi", strict=True)
)  # fmt: skip


@pytest.mark.parametrize(
    "path",
    [ERRATA, "manuscript/metadata.yaml", "manuscript/pandoc/html.yaml", "data/raw/datapackage.yaml",
     "manuscript/translations.yaml"],
)  # fmt: skip
def test_yaml_aliases_that_repeat_values_without_end_are_refused(sources, path):
    Path(path).write_text(ALIAS_BOMB, encoding="utf-8")
    assert rejected() == (
        f"{path}: found at least 597871 values once its aliases (*name) are written out; expected at most 100000."
    )
    Path(path).write_text("x: &loop [1, *loop]\n", encoding="utf-8")
    assert rejected() == (
        f"{path}, line 1: an alias (*name) inside the value it names, which would repeat without end; "
        "expected a value written out."
    )


@pytest.mark.parametrize(
    ("path", "line"),
    [("manuscript/labels/en.yaml", 1), ("manuscript/claims.yaml", 1), ("manuscript/pandoc/html.yaml", 1),
     ("data/raw/datapackage.yaml", 1)],
)  # fmt: skip
def test_yaml_values_nested_hundreds_deep_are_refused(sources, path, line):
    """The schemas and the memo's pickle go a Python call deeper for each level: a RecursionError before the change."""
    Path(path).write_text("zz: " + "[" * 900 + "x" + "]" * 900 + "\n" + Path(path).read_text(encoding="utf-8"))
    assert rejected() == f"{path}, line {line}: found values nested more than 50 deep; expected at most 50."


def test_a_yaml_alias_that_repeats_a_value_a_few_times_is_read(sources):
    edit("manuscript/labels/en.yaml", "contents_heading: Contents", "contents_heading: &contents Contents")
    edit("manuscript/labels/en.yaml", "editions_heading: Other language editions", "editions_heading: *contents")
    check_project(CONFIG)
    assert load_yaml("manuscript/labels/en.yaml")["editions_heading"] == "Contents"


def test_a_kk_section_saved_decomposed_is_refused_not_read_as_changed_after_publication(sources):
    """Saved decomposed (NFD, as some editors and PDF copies give letters), the section looks the same but would be
    reported as departing from the published text at every line with a й (13 lines of 04.results.md)."""
    section = Path("manuscript/text/kk/04.results.md")
    section.write_text(unicodedata.normalize("NFD", section.read_text(encoding="utf-8")), encoding="utf-8")
    message = rejected()
    assert message.startswith(f"{section}, line 3: «й» is written as 2 characters"), message


@pytest.mark.parametrize(
    ("path", "old", "new", "where"),
    [("manuscript/text/kk/05.discussion.md", "\n\n", "\n\n{word}\n\n", "line 3"),
     ("manuscript/labels/ru.yaml", "contents_heading: ", "contents_heading: {word} ", "line 4"),
     ("data/raw/table2_platforms_kz.csv", ",Glovo,", ",{word},", "row 3, column 'name'"),
     ("data/raw/table2_platforms_kz.csv", ",Glovo,", ',"Glo\nvo {word}",', "row 3, column 'name'")],  # a cell of 2 lines
    ids=["a section", "a label", "a table cell", "a cell of two lines"],
)  # fmt: skip
def test_a_word_longer_than_any_language_has_is_refused(sources, path, old, new, where):
    """Pandoc's Typst writer takes time growing with the square of a word's length: a minute for 100,000 letters."""
    edit(path, old, new.format(word="ж" * 100_000))
    record_checksums(sources)
    message = rejected()
    assert message.startswith(f"{path}, {where}: found a word of 100"), message
    assert message.endswith("…»; expected words of at most 10000 characters: put spaces where they belong."), message


@pytest.mark.parametrize(("separator", "named"), [(";", "semicolons"), ("\t", "tabs")], ids=["semicolons", "tabs"])
@pytest.mark.parametrize(
    "path", ["data/raw/ppmi2024_gender_by_occupation.csv", "data/raw/oli_worker_supply_annual.csv"]
)
def test_a_table_a_spreadsheet_saved_with_another_separator_is_told_so(sources, separator, named, path):
    # Excel in a Kazakh or Russian locale saves "CSV" with semicolons, the comma being its decimal mark.
    file = Path(path)
    file.write_text(file.read_text(encoding="utf-8").replace(",", separator), encoding="utf-8")
    record_checksums(sources)
    message = rejected()
    assert message.startswith(f"{path}, row 1, column '(header)'"), message
    assert f"its cells are separated by {named}: save it as comma-separated CSV" in message, message


def replaced_by_a_folder(path: Path) -> None:
    path.unlink()
    path.mkdir()


def replaced_by_a_link_to_itself(path: Path) -> None:
    path.unlink()
    path.symlink_to(path.name)


def replaced_by_a_named_pipe(path: Path) -> None:
    path.unlink()
    os.mkfifo(path)  # reading it waits for a writer: a build that never ends
    threading.Thread(target=_write_nothing_to, args=(path,), daemon=True).start()


def _write_nothing_to(pipe: Path) -> None:
    """A writer that closes at once each time something reads the pipe: a test that reads it ends on the message,
    not by waiting (a build that does not read it leaves this thread waiting, until pytest exits)."""
    while True:
        open(pipe, "wb").close()  # noqa: SIM115


IN_PLACE_OF_A_FILE = [
    (replaced_by_a_folder, "a folder, where the build reads a file; put the file itself here."),
    (replaced_by_a_link_to_itself, "the file cannot be read (Symlink loop from"),
    (replaced_by_a_named_pipe, "a named pipe or a device, where the build reads a file; put the file itself here."),
]
IN_PLACE_IDS = ["folder", "link-to-itself", "named-pipe"]


@pytest.mark.parametrize(("replace", "said"), IN_PLACE_OF_A_FILE, ids=IN_PLACE_IDS)
@pytest.mark.parametrize(
    "path",
    ["manuscript/labels/kk.yaml", "manuscript/text/kk/05.discussion.md", "manuscript/templates/paper.md.j2", TABLE2],
)
def test_a_folder_or_a_looping_link_in_place_of_an_input_is_named(sources, replace, said, path):
    replace(Path(path))
    message = rejected()
    assert message.startswith(f"{path}: {said}"), message


@pytest.mark.parametrize(("replace", "said"), IN_PLACE_OF_A_FILE, ids=IN_PLACE_IDS)
def test_a_folder_or_a_looping_link_in_place_of_the_settings_is_one_message(project, replace, said):
    replace(project / "config/config.yaml")
    result = snakemake(project, "--list-rules", check=False)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr[-2000:]
    assert result.stderr.strip().splitlines()[-1].startswith(f"ERROR in the build settings: config/config.yaml: {said}")


@pytest.mark.parametrize(
    ("old", "new", "said"),
    [("draw: gigpaper.figures.draw_online_labour_index", "draw: os.system",
      "key 'figures.figure1.draw': found 'os.system', which no module under workflow/ defines (workflow/os.py does not exist)"),
     ("finish: gigpaper.docx_furniture.finish_docx", "finish: gigpaper.docx_furniture.finish",
      "key 'formats.docx.finish': found 'gigpaper.docx_furniture.finish', which no module under workflow/ defines "
      "(workflow/gigpaper/docx_furniture.py has no def finish)")],
    ids=["not-the-projects", "no-such-function"],
)  # fmt: skip
def test_a_function_the_catalogue_names_must_be_defined_under_workflow(project, old, new, said):
    """The rules list the imports of its module as their code: a missing module was a Python error as the workflow
    was read, a missing function one in the job that called it."""
    catalogue = project / "workflow/catalogue.yaml"
    catalogue.write_text(catalogue.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    result = snakemake(project, "--list-rules", check=False)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr[-2000:]
    assert (
        result.stderr.strip()
        .splitlines()[-1]
        .startswith(f"ERROR in the workflow catalogue: workflow/catalogue.yaml, {said}")
    )


@pytest.mark.parametrize(
    ("old", "new", "said"),
    [("pandoc_common: manuscript/pandoc/common.yaml", "pandoc_common: https://example.org/common.yaml",
      "key 'pandoc_common': found 'https://example.org/common.yaml'; expected a Pandoc defaults file of "
      "manuscript/pandoc/ (manuscript/pandoc/<name>.yaml)."),
     ("html: {defaults: manuscript/pandoc/html.yaml}", "html: {defaults: pandoc/html.yaml}",
      "key 'formats.html.defaults': found 'pandoc/html.yaml'; expected a Pandoc defaults file of manuscript/pandoc/"),
     ("reference: manuscript/build/reference.docx", "reference: .git/config",
      "key 'formats.docx.reference': found '.git/config'; expected one of manuscript/build/reference.docx.")],
    ids=["a-web-address", "a-path-without-its-folder", "a-file-the-build-does-not-make"],
)  # fmt: skip
def test_a_file_the_catalogue_names_for_a_format_is_one_the_build_reads_or_makes(project, old, new, said):
    """Any path passed: the input check then blamed the path itself ('https:/example.org/common.yaml: the file does not
    exist.'), and a reference document the build does not make was Snakemake's MissingInputException (a file outside
    the project) or Pandoc's Haskell backtrace late (.git/config)."""
    catalogue = project / "workflow/catalogue.yaml"
    catalogue.write_text(catalogue.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    result = snakemake(project, "--list-rules", check=False)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr[-2000:]
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("ERROR in the workflow catalogue: workflow/catalogue.yaml, line "), last
    assert said in last, last


@pytest.mark.parametrize(
    ("path", "old", "new", "said"),
    [("workflow/catalogue.yaml", "    source: online_labour_index\n", "    source: no_such_table\n",
      "key 'figures.figure1.source': found 'no_such_table', which is not a table of data/raw/datapackage.yaml"),
     ("workflow/catalogue.yaml", "{name: 26, country_of_origin: 18,", "{name: 26, country: 18,",
      "key 'tables.table2.columns': found the column 'country', which 'table2_platforms' of data/raw/datapackage.yaml "
      "does not have; expected one of platform_id, name, country_of_origin, service, source_line."),
     ("workflow/catalogue.yaml", "occupations: occupation}", "occupations: occupations}",
      "key 'figures.figure2.labels': found the column 'occupations', which 'gender_by_occupation'"),
     ("data/raw/datapackage.yaml", "  - name: table2_platforms\n", "  - name: table2_platform\n",
      "key 'tables.table2.source': found 'table2_platforms', which is not a table of data/raw/datapackage.yaml"),
     ("workflow/catalogue.yaml", "    number: 2\n    source: gender_by", "    number: 1\n    source: gender_by",
      "key 'figures.figure2.number': found 1, the number of figure1 too; expected a number of its own."),
     ("workflow/catalogue.yaml", "number_words: {1: one,", "number_words: {1: \"(one\",",
      "key 'languages.en.number_words.1': found '(one', which is not a regular expression (missing ), unterminated "
      "subpattern at position 0); expected the word's forms as one")],
    ids=["figure-source-unknown", "table-column-unknown", "figure-labels-column-unknown", "table-source-renamed",
         "two-figures-one-number", "number-word-not-a-pattern"],
)  # fmt: skip
def test_the_catalogues_figures_and_tables_must_name_what_the_data_package_has(project, path, old, new, said):
    """They were a Python error as the workflow looked a source up (or the input check, a column); two figures of
    one number were both printed as Figure 1; a number word that is not a pattern, an error in the claims ledger."""
    edited = project / path
    text = edited.read_text(encoding="utf-8")
    assert old in text, old
    edited.write_text(text.replace(old, new, 1), encoding="utf-8")
    result = snakemake(project, "--list-rules", check=False)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr[-2000:]
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith(f"ERROR in the workflow catalogue: workflow/catalogue.yaml, {said}"), last


def test_a_new_resource_whose_file_is_missing_is_the_data_packages_message(built_copy):
    """The workflow plans a job per source: it stopped with Snakemake's MissingInputException for the file, before
    the input check ran."""
    descriptor = built_copy / "data/raw/datapackage.yaml"
    text = descriptor.read_text(encoding="utf-8")
    resource = (
        '  - name: extra\n    path: extra.csv\n    hash: "sha256:' + "0" * 64 + '"\n    description: x\n'
        "    schema:\n      primaryKey: [a]\n      fields:\n        - {name: a, type: string}\n\n"
    )  # a table: a job of its own
    descriptor.write_text(text.replace("  - name: table2_platforms\n", resource + "  - name: table2_platforms\n"))
    assert "validate_source" in snakemake(built_copy, "--list-rules").stdout  # the workflow is still shown
    result = snakemake(built_copy, check=False)
    assert result.returncode == 1 and "MissingInput" not in result.stdout + result.stderr, result.stderr[-2000:]
    line = text[: text.index("  - name: table2_platforms\n")].count("\n") + 1
    assert result.stderr.strip().splitlines()[-2:] == [
        f"ERROR in the inputs: data/raw/datapackage.yaml, line {line}, resource 'extra': its file data/raw/extra.csv "
        "does not exist (restore the file, or correct the resource's path).",
        "Nothing was built; the outputs of the last build are unchanged.",
    ]


# Table 2's resource copied for a new table, its name left as it was; or renamed to the name of Table 1's.
NAME_GIVEN_TWICE = [
    (lambda block: re.sub(r"    translations:\n(?:      .*\n)+    translated_fields: .*\n", "", block).replace(
        "table2_platforms_kz.csv", "table3_platforms.csv") + block, "table2_platforms"),
    (lambda block: block.replace("name: table2_platforms", "name: table1_platform_employment"),
     "table1_platform_employment"),
]  # fmt: skip


@pytest.mark.parametrize(("change", "name"), NAME_GIVEN_TWICE, ids=["a-copy-keeps-it", "renamed-to-another"])
def test_a_resource_name_given_twice_is_the_data_packages_message(project, change, name):
    """The workflow, the catalogue and the steps know a resource by its name, each finding one of two: a clean build
    stopped late with a traceback of the claims ledger (KeyError: 'translations'), a built project passed (exit 0)
    with the second table never checked nor tidied; or the catalogue was blamed ('ERROR in the workflow catalogue:
    workflow/catalogue.yaml, key 'tables.table1.columns': found the column 'aspect', which ...')."""
    shutil.copy(project / "data/raw/table2_platforms_kz.csv", project / "data/raw/table3_platforms.csv")
    descriptor = project / "data/raw/datapackage.yaml"
    text = descriptor.read_text(encoding="utf-8")
    block = text[text.index("  - name: table2_platforms\n") : text.index("  # The public data")]
    descriptor.write_text(text.replace(block, change(block)), encoding="utf-8")
    record_checksums(project)
    result = snakemake(project, check=False)  # the data package names the jobs: said as the workflow is read
    lines = descriptor.read_text(encoding="utf-8").splitlines()
    first, second = [number for number, line in enumerate(lines, start=1) if line == f"  - name: {name}"]
    assert result.returncode == 1, result.stderr[-2000:]
    assert result.stderr.strip().splitlines()[-2:] == [
        f"ERROR in the inputs: data/raw/datapackage.yaml, line {second}, resource '{name}': the name is used twice "
        f"(also at line {first}); each name must be unique (the workflow, the catalogue and the steps would read only "
        "the first).",
        "Nothing was built; the outputs of the last build are unchanged.",
    ]


@pytest.mark.parametrize("folder", ["manuscript/build", "figures"])
def test_a_file_in_place_of_an_output_folder_is_one_message(project, folder):
    """Snakemake's NotADirectoryError, a traceback, as it listed the folder's files to plan the build."""
    shutil.rmtree(project / folder, ignore_errors=True)
    (project / folder).write_text("notes\n", encoding="utf-8")
    result = snakemake(project, "--dry-run", check=False)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr[-2000:]
    assert result.stderr.strip().splitlines()[-1] == (
        f"ERROR: {folder}: a file, where the build keeps its outputs in a folder; move the file away (the build makes "
        "the folder). Nothing was built."
    )


def test_a_text_that_links_out_of_the_project_is_refused(sources, tmp_path_factory):
    """Its words are not the project's (here, the same words), and a clone would hold only the link."""
    section = Path("manuscript/text/kk/01.introduction.md")
    outside = tmp_path_factory.mktemp("elsewhere") / section.name
    outside.write_bytes(section.read_bytes())
    section.unlink()
    section.symlink_to(outside)
    assert rejected() == f"{section}: a link to {outside.resolve()}, outside the project; put the file itself here."


# --- templates: syntax, typed numbers, unknown ids --------------------------------------------------------


def test_a_jinja_syntax_error_names_file_and_line(sources):
    section = "manuscript/text/en/04.results.md"
    lines = Path(section).read_text(encoding="utf-8").splitlines()
    number = next(i for i, line in enumerate(lines, 1) if "{{ n." in line)
    edit(section, "}}", "}", 1)
    message = rejected()
    assert message.startswith(f"{section}, line {number}: template syntax:"), message


@pytest.mark.parametrize(
    ("path", "old", "code", "line"),
    [("manuscript/text/kk/05.discussion.md", "\n\n", "{{ " + "( " * 3000 + "1" + " )" * 3000 + " }}", 3),
     ("manuscript/text/ru/04.results.md", "\n\n", "{% if 1 %}" * 500 + "x" + "{% endif %}" * 500, 3),
     ("manuscript/templates/paper.md.j2", "\n", "{{ " + "[ " * 3000 + " ]" * 3000 + " }}", 2)],
    ids=["brackets", "blocks", "project-template"],
)  # fmt: skip
def test_template_code_nested_hundreds_deep_is_one_message_not_a_recursion_error(sources, path, old, code, line):
    """Jinja's parser recurses for each level: a RecursionError (a traceback) before the change."""
    edit(path, old, f"{old}{code}{old}")
    assert rejected() == (
        f"{path}, line {line}: template code nested deeper than Jinja can read (brackets or blocks inside one another, "
        "hundreds deep); expected a few levels at most"
    )


@pytest.mark.parametrize(
    ("change", "missing"),
    [(lambda text: "", "abstracts"), (lambda text: text[: text.index("{% for section in sections %}")], "sections")],
    ids=["emptied", "cut-short"],
)  # fmt: skip
def test_a_skeleton_that_prints_no_section_or_abstract_is_refused(sources, change, missing):
    """An emptied paper.md.j2 made editions of a title alone, one cut short editions without a body: exit 0."""
    skeleton = Path("manuscript/templates/paper.md.j2")
    skeleton.write_text(change(skeleton.read_text(encoding="utf-8")), encoding="utf-8")
    assert rejected() == (
        f"{skeleton}: found no use of '{missing}'; expected the skeleton to print the edition's {missing} "
        f"({{% for ... in {missing} %}}), else no edition holds them"
    )


def test_an_unclosed_reference_is_a_syntax_error_not_a_typed_number(sources):
    # A tired author's `{{ n.oli_kaz_2024` left open, with no `}}` after it: its digits are no typed number.
    section = "manuscript/text/kk/03.materials_methods.md"
    text = Path(section).read_text(encoding="utf-8")
    Path(section).write_text(text + "\nМәтін {{ n.oli_kaz_2024\n", encoding="utf-8")
    message = rejected()
    assert message.startswith(f"{section}, line ") and ": template syntax:" in message, message


@pytest.mark.parametrize(
    ("path", "old", "new", "expected"),
    [
        ("manuscript/text/kk/04.results.md", "{{ n.gender_pay_gap_couriers_microtasks }}",
         "{ n.gender_pay_gap_couriers_microtasks }",
         "manuscript/text/kk/04.results.md, line 7: found '{ n.gender_pay_gap_couriers_microtasks }'; expected "
         "'{{ n.gender_pay_gap_couriers_microtasks }}', two braces each side (else Jinja leaves it alone, and the "
         "edition prints it as typed)"),
        ("manuscript/text/kk/05.discussion.md", "{{ n.oli_kaz_2024 }}", "{n.oli_kaz_2024}}",
         "manuscript/text/kk/05.discussion.md, line 31: found '{n.oli_kaz_2024}}'; expected '{{ n.oli_kaz_2024 }}', "
         "two braces each side (else Jinja leaves it alone, and the edition prints it as typed)"),
        ("manuscript/text/en/05.discussion.md", "{{ ref.figure2 }}", "{ ref.figure2 }",
         "manuscript/text/en/05.discussion.md, line 37: found '{ ref.figure2 }'; expected '{{ ref.figure2 }}', two "
         "braces each side (else Jinja leaves it alone, and the edition prints it as typed)"),
        ("data/raw/table1_platform_employment.csv", "{{ n.women_share_platform_workers }}",
         "{ n.women_share_platform_workers }",
         "data/raw/table1_platform_employment.csv, row 4, column 'after': found '{ n.women_share_platform_workers }'; "
         "expected '{{ n.women_share_platform_workers }}', two braces each side (else Jinja leaves it alone, and the "
         "edition prints it as typed)."),
        # Jinja's usual comment, which the texts leave to Pandoc's {#id}: every edition printed it, exit 0.
        ("manuscript/text/en/06.conclusion.md", "\n\n", "\n\nText {# TODO: check the source #} here.\n\n",
         "manuscript/text/en/06.conclusion.md, line 3: found '{# TODO: check the source #}'; expected a comment as a "
         "text writes it, {## ... ##} (Jinja's usual {# ... #} is left to Pandoc's {#id} here, so every edition would "
         "print it)"),
    ],
    ids=["kk-only", "digits-in-its-id", "a-cross-reference", "a-table-cell", "a-comment"],
)  # fmt: skip
def test_template_code_typed_otherwise_than_a_text_writes_it_is_named_so(sources, path, old, new, expected):
    """'{ n.id }' (a brace each side slipped): typed in the kk text alone, the build blamed the ru and en texts for
    the number they have ('... differ from the kk text's; ... extra [n.gender_pay_gap_couriers_microtasks]'); with
    digits in its id, it called them a number typed into prose; in every language, or in a table's cell, the build
    passed and every edition printed the braces and the id where the number goes. A comment typed as Jinja's
    defaults write one, {# ... #}, was printed in every edition."""
    edit(path, old, new)
    record_checksums(sources)
    assert rejected() == expected


@pytest.mark.parametrize(
    ("path", "old", "new", "expected"),
    [
        ("manuscript/labels/kk.yaml", "    caption: Цифрлық платформалардың тіркелген қызметкерлерін кәсіптер бойынша "
         "гендерлік бөлу", "    caption: '{## Цифрлық платформалар'",
         "manuscript/labels/kk.yaml: figures.figure2.caption, line 1: template syntax: Missing end of comment tag"),
        ("manuscript/text/abstracts/ru.md", "", "{## a note\n",
         "manuscript/text/abstracts/ru.md, line 1: template syntax: Missing end of comment tag"),
    ],
    ids=["a caption", "an abstract"],
)  # fmt: skip
def test_a_comment_left_open_where_a_text_starts_is_a_syntax_error(sources, path, old, new, expected):
    # Jinja reads the first token as its parser is made: the error came from there, outside the check (a traceback).
    edit(path, old, new)
    assert rejected() == expected


@pytest.mark.parametrize(
    ("path", "old", "new", "said"),
    [("manuscript/text/en/04.results.md", "{{ n.gender_pay_gap_couriers_microtasks }} lower",
      "{{ n.gender_pay_gap_couriers_microtasks }}% lower", "manuscript/text/en/04.results.md, line 7: "
      "n.gender_pay_gap_couriers_microtasks prints its own '%', and another follows it (the edition would print "
      "'%%'); delete this one"),
     ("manuscript/labels/en.yaml", "{{ n.ppmi_writing_translation_women }} in writing",
      "{{ n.ppmi_writing_translation_women }} % in writing", "manuscript/labels/en.yaml: figures.figure2.alt, line 1: "
      "n.ppmi_writing_translation_women prints its own '%', and another follows it"),
     ("data/raw/table1_platform_employment.en.csv", "{{ n.women_share_platform_workers }} of",
      "{{ n.women_share_platform_workers }}% of", "data/raw/table1_platform_employment.en.csv, row 4, column 'after': "
      "n.women_share_platform_workers prints its own '%', and another follows it")],
    ids=["section", "label", "table-cell"],
)  # fmt: skip
def test_a_per_cent_sign_after_a_percentage_that_prints_its_own_is_refused(sources, path, old, new, said):
    """'{{ n.gender_pay_gap_couriers_microtasks }}% lower' printed '20–30%% lower' in the English edition; the build
    passed (exit 0)."""
    edit(path, old, new)
    record_checksums(sources)
    assert rejected().startswith(said)


@pytest.mark.parametrize(
    ("path", "old", "new", "said"),
    [("manuscript/text/kk/06.conclusion.md", "n.women_share_it_conclusion", "n.women_share_it_conclusio",
      "n.women_share_it_conclusio is not a number of the registry (did you mean 'women_share_it_conclusion'?)"),
     # A letter of another script that looks Latin, or a capital, cut the name short: 'n.women_share_it_c
     # is not a number of the registry', with no suggestion; 'ref 'figur' does not exist'.
     ("manuscript/text/kk/06.conclusion.md", "n.women_share_it_conclusion", "n.women_share_it_c\u043enclusion",
      "n.women_share_it_c\u043enclusion is not a number of the registry (did you mean 'women_share_it_conclusion'?); "
      "its «\u043e» is U+043E CYRILLIC SMALL LETTER O, not a Latin letter"),
     ("manuscript/text/en/06.conclusion.md", "n.women_share_it_conclusion", "n.women_share_IT_conclusion",
      "n.women_share_IT_conclusion is not a number of the registry (did you mean 'women_share_it_conclusion'?)"),
     ("manuscript/text/ru/05.discussion.md", "ref.figure2", "ref.figur\u04352",
      "ref 'figur\u04352' does not exist (did you mean 'figure2'?); its «\u0435» is U+0435 CYRILLIC SMALL LETTER IE, "
      "not a Latin letter"),
     # A percentage in thousands: the input check passed, and the Markdown step stopped late, with no value shown.
     ("manuscript/text/kk/06.conclusion.md", "n.women_share_it_conclusion", "n.women_share_it_conclusion.thousands",
      "n.women_share_it_conclusion.thousands: 'women_share_it_conclusion' is 10%, not a whole number of thousands; "
      "write {{ n.women_share_it_conclusion }}")],
    ids=["misspelt", "cyrillic-look-alike", "capitals", "cyrillic-in-a-cross-reference", "thousands-of-a-percentage"],
)  # fmt: skip
def test_an_unknown_registry_id_is_named_with_a_suggestion(sources, path, old, new, said):
    edit(path, old, new)
    message = rejected()
    assert message.startswith(f"{path}, line "), message
    assert f": {said}" in message, message


@pytest.mark.parametrize(
    "template",
    ["manuscript/text/ru/06.conclusion.md", "manuscript/text/abstracts/ru.md", "manuscript/text/kk/01.introduction.md"],
)
def test_a_typed_number_in_a_section_or_abstract_is_refused(sources, template):
    edit(template, "\n\n", "\n\nВ 2025 году.\n\n")
    message = rejected()
    assert message.startswith(f"{template}, line 3: the number 2025 is typed into prose"), message


def test_a_web_address_with_digits_is_no_typed_number_but_its_link_text_is(sources):
    """A link to a statistics page (.../publications/2024/) was refused as 'the number 2024 is typed into prose; take
    it from the registry'; the address states no number, so the build takes it, and the link's own text is prose."""
    section = "manuscript/text/kk/06.conclusion.md"
    page = "https://stat.gov.kz/ru/industries/labor-and-income/stat-empt-unempl/publications/2024/"
    edit(section, "\n\n", f"\n\nҚараңыз: <{page}>, [есеп]({page}).\n\n[кесте]: {page}\n\n")
    check_project(CONFIG)
    edit(section, "[есеп]", "[есеп 2024]")
    assert rejected().startswith(f"{section}, line 3: the number 2024 is typed into prose"), rejected()


def test_a_name_with_digits_is_marked_as_one_and_its_digits_are_no_number(sources):
    """'COVID-19 пандемиясы' was refused as 'the number 19 is typed into prose; take it from the registry', and a Jinja
    string ({{ "COVID-19" }}) is refused too: an author had no way to write the name. Marked as a name, it is taken;
    a number alone is no name, and what the mark holds is held to what prose may hold."""
    section = "manuscript/text/kk/06.conclusion.md"
    edit(section, "\n\n", "\n\nCOVID-19 пандемиясы жұмысты өзгертті.\n\n")
    assert rejected() == (f"{section}, line 3: the number 19 is typed into prose; take it from the registry "
                          "({{ n.<id> }}), or, if it is part of a name, mark the name as one: [COVID-19]{.name}")  # fmt: skip
    edit(section, "COVID-19 пандемиясы", "[COVID-19]{.name} пандемиясы")
    check_project(CONFIG)
    edit(section, "[COVID-19]{.name}", "[19]{.name}")
    assert rejected().startswith(f"{section}, line 3: the number 19 is typed into prose; take it from the registry")
    edit(section, "[19]{.name}", "[<b>COVID-19</b>]{.name}")
    assert rejected().startswith(f"{section}, line 3: raw HTML (<b>) would reach an edition unchecked")


@pytest.mark.parametrize(
    ("path", "old", "new", "said"),
    [("manuscript/text/kk/04.results.md", "Қазақстанда гиг", "Қ" + "a" + "зақстанда гиг",  # a Latin a
      "line 3: the word «Қaзақстанда» mixes Cyrillic and Latin letters: its «a» is U+0061 LATIN SMALL LETTER A"),
     ("manuscript/text/ru/04.results.md", "в Казахстане были", "в Казахстанe были",
      "line 3: the word «Казахстанe» mixes Cyrillic and Latin letters: its «e» is U+0065 LATIN SMALL LETTER E"),
     ("manuscript/labels/en.yaml", "Gender distribution of workers", "Gender distributi\u043en of workers",
      "figures.figure2.caption, line 1: the word «distributi\u043en» mixes Latin and Cyrillic letters: its «\u043e» is "
      "U+043E CYRILLIC SMALL LETTER O"),
     ("data/raw/table2_platforms_kz.csv", "glovo,Glovo,Испания,", "glovo,Glovo,Испaния,",
      "row 3, column 'country_of_origin': the word «Испaния» mixes Cyrillic and Latin letters: its «a» is U+0061 LATIN "
      "SMALL LETTER A")],
    ids=["kk-section", "ru-section", "en-label", "kk-table-cell"],
)  # fmt: skip
def test_a_word_typed_in_two_scripts_is_refused_at_its_line(sources, path, old, new, said):
    """A word copied from the published PDF's text may mix scripts (its extraction holds «цифровline») and look right:
    with «Қaзақстанда» (a Latin a) in the kk Results the build exited 0, named the ru and en paragraphs stale and the
    published line as no longer printed, and made the Kazakh edition a revised one."""
    edit(path, old, new)
    record_checksums(sources)
    message = rejected()
    assert message.startswith(f"{path}{': ' if path.endswith('.yaml') else ', '}{said}; "), message
    assert message.endswith("it looks the same, but a search, a screen reader and the comparison with the published "
                            "text read another word: retype it in one script"), message  # fmt: skip


def test_a_section_number_typed_into_a_heading_is_named_so(sources):
    """An author copying the printed headings ('1. Кіріспе') was told to take the number from the registry."""
    section = "manuscript/text/kk/01.introduction.md"
    edit(section, "# Кіріспе", "# 1. Кіріспе")
    assert rejected() == (
        f"{section}, line 1: the number 1 is typed into a heading; the build numbers the sections: write it without"
    )


def test_a_list_numbered_by_hand_is_told_to_let_pandoc_number_it(sources):
    """A list of recommendations typed '1. ...', '2. ...' was refused as 'take it from the registry', advice no list
    can follow; written '#.', Pandoc numbers it in every format (an ordered list in the HTML, JATS and PDF)."""
    section = "manuscript/text/kk/06.conclusion.md"
    edit(section, "\n\n", "\n\n1. Бірінші ұсыныс.\n2. Екінші ұсыныс.\n\n")
    assert rejected() == (f"{section}, line 3: the number 1 is typed into prose; take it from the registry ({{{{ n.<id> }}}}), "
                          "or, if it numbers a list's item, write #. in place of 1. (every edition numbers the items)")  # fmt: skip
    edit(section, "1. Бірінші ұсыныс.\n2. Екінші", "#. Бірінші ұсыныс.\n#. Екінші")
    check_project(CONFIG)


@pytest.mark.parametrize("typed", ["(Schor, 2020)", "(Schor, 2020"], ids=["as-printed", "parenthesis-left-open"])
def test_a_citation_typed_as_the_article_prints_it_is_told_to_cite_the_work(sources, typed):
    """An author writing a citation as the published article prints it, (Schor, 2020), was told to take the year
    from the registry; so was one whose parenthesis was cut."""
    section = "manuscript/text/kk/06.conclusion.md"
    edit(section, "\n\n", f"\n\nПлатформалар өседі {typed}.\n\n")
    assert rejected() == (f"{section}, line 3: the number 2020 is typed into prose; take it from the registry "
                          "({{ n.<id> }}), or, if it is a citation's year, cite the work as [@key], its key in "
                          "manuscript/bibliography.yaml")  # fmt: skip
    edit(section, typed, "[@schor2020]")
    for lang in ("ru", "en"):  # a work cited in one language is cited in every one (parity)
        edit(f"manuscript/text/{lang}/06.conclusion.md", "\n\n", "\n\nPlatforms grow [@schor2020].\n\n")
    check_project(CONFIG)


# Markup that Pandoc would copy as it is into one format, or that reaches outside the article: each is refused
# at its line in every language's text, before any edition holds it (a self-contained HTML page would run the
# script, or carry the machine's file in it).
RAW_MARKUP_CASES = [
    ("<script>alert()</script>", "raw HTML (<script>) would reach an edition unchecked"),
    ("Мәтін <!-- жасырын -->", "raw HTML (<!--) would reach an edition unchecked"),
    ('```{=typst}\n#read("/etc/passwd")\n```', "a raw block or span ({=typst}) would reach an edition unchecked"),
    ("![сурет](file:///etc/passwd)", "an image (![сурет](file:///etc/passwd)) would reach an edition unchecked"),
    ("![](https://example.org/a.png)", "an image (![](https://example.org/a.png)) would reach an edition"),
    ("[басу](javascript:alert())", "the link target 'javascript:alert('; expected a web address (https://...)"),
    ("<javascript:alert()>", "the link target 'javascript:alert()'; expected a web address"),
    # Pandoc writes an attribute as it is into the HTML: an event handler ran in the page, a style covered it.
    ('[басу](https://example.org){onclick="alert()"}', 'an attribute ({onclick="alert()"}) would reach an edition'),
    ('[мәтін]{autofocus="" onfocus="alert()"}', 'an attribute ({autofocus="" onfocus="alert()"}) would reach an'),
    ('[мәтін]{.note onmouseover="alert()"}', 'an attribute ({.note onmouseover="alert()"}) would reach an'),
    ('[мәтін]{lang=en style="position:fixed"}', 'an attribute ({lang=en style="position:fixed"}) would reach an'),
    ("[a]: file:///etc/passwd\n\n[сілтеме][a]", "the link target 'file:///etc/passwd'; expected a web address"),
    ("{{ '<b>x</b>' }}", "{{ '<b>x</b>' }}: a text may hold only {{ n.<id> }} (or .low, .high, .thousands), {{ ref."),
    ("{% if true %}x{% endif %}", "{% if true %}: a text may hold only {{ n.<id> }}"),
    ("---\ntitle: Hacked\n---", "a YAML metadata block (---) would reach an edition unchecked"),  # the title replaced
    ("---\nНәтижелер: кестеде\n...", "a YAML metadata block (---) would reach an edition unchecked"),  # text vanished
    # A table had no number or caption, which stopped the JATS deposit late; the PDF's template drew no rule.
    ("| a | b |\n|---|---|\n| c | d |", "a table (| a | b |) would reach an edition unchecked"),
    ("+---+---+\n| a | b |\n+===+===+", "a table (+---+---+) would reach an edition unchecked"),
    ("* * *", "a horizontal rule (* * *) would reach an edition unchecked"),
    ("-----", "a horizontal rule (-----) would reach an edition unchecked"),
    # Raw TeX: Pandoc left the command and what it held out of every edition ("A \\emph{word}" printed "A").
    ("Мәтін \\emph{маңызды} сөз", "raw TeX (\\emph), which every edition would leave out, with what it holds"),
    ("\\begin{center}\nМәтін\n\\end{center}", "raw TeX (\\begin), which every edition would leave out"),
]


@pytest.mark.parametrize(("markup", "expected"), RAW_MARKUP_CASES, ids=[c[0][:20] for c in RAW_MARKUP_CASES])
@pytest.mark.parametrize("template", ["manuscript/text/en/05.discussion.md", "manuscript/text/abstracts/kk.md"])
def test_raw_markup_in_an_authors_text_is_refused_at_its_line(sources, template, markup, expected):
    edit(template, "\n\n", f"\n\n{markup}\n\n")
    message = rejected()
    assert message.startswith(f"{template}, line 3: {expected}"), message


@pytest.mark.parametrize(
    "link",
    ["[the report](https://example.org/report2022.pdf)", "<https://doi.org/10.1177/20539517211043240>",
     "[the report][r]\n\n[r]: https://example.org/2022/report"],
    ids=["inline", "automatic", "reference"],
)  # fmt: skip
def test_a_web_address_holding_digits_is_no_number_typed_into_prose(sources, link):
    """README lets a text link to the web: an address with a year or a DOI in it was refused as 'the number 2022 is
    typed into prose; take it from the registry ({{ n.<id> }})', advice no address can take. A number of the prose
    beside it is still refused."""
    section = "manuscript/text/en/05.discussion.md"
    edit(section, "\n\n", f"\n\nSee {link}.\n\n")
    check_project(CONFIG)
    edit(section, "See ", "See 2025 and ")
    assert (
        rejected()
        == f"{section}, line 3: the number 2025 is typed into prose; take it from the registry ({{{{ n.<id> }}}})"
    )


def test_a_number_typed_into_a_label_is_refused_and_a_cited_works_year_is_not(sources):
    labels = "manuscript/labels/en.yaml"
    assert "from @olo2024" in Path(labels).read_text(encoding="utf-8")  # a citation key holds digits: no number
    edit(
        labels,
        "Kazakhstan and the world's top {{ n.oli_top_country_count }} countries",
        "Kazakhstan and the world's top 5 countries",
    )
    message = rejected()
    assert message == (
        f"{labels}: figures.figure1.caption, line 1: the number 5 is typed into prose; take it from the registry "
        "({{ n.<id> }})"
    ), message


FIGURE2_CAPTION = "Gender distribution of workers registered on digital platforms, by occupation"


@pytest.mark.parametrize(
    ("caption", "said"),
    [("|\n      Gender distribution\n\n      # Heading {#sec-x}\n", "line 2: a blank line, which would end the label's "
      "paragraph where the edition prints it; expected one paragraph"),
     (FIGURE2_CAPTION.replace(", by", "] by"), "line 1: a ']' that no '[' opens, which would end a figure's caption "
      "where the edition prints it (![caption](...)); remove it, or write \\] for a bracket meant as text"),
     (FIGURE2_CAPTION + "\\", "line 1: a backslash at its end, which would escape what the edition prints after it "
      "(the ] of a figure's caption); remove it, or write \\\\ for a backslash meant as text")],
    ids=["two-paragraphs", "a-bracket-never-opened", "a-backslash-at-its-end"],
)  # fmt: skip
def test_a_label_that_would_end_its_markup_early_is_refused_at_its_line(sources, caption, said):
    """A caption with a blank line and a heading under it, a ']' typed in it, or a backslash slipped in at its end
    (beside Enter) built the input check's way, then stopped Typst late: 'label `<fig-figure2>` does not exist in the
    document', naming neither the labels file nor the key: the figure's markup ended early, the figure lost."""
    edit("manuscript/labels/en.yaml", f"    caption: {FIGURE2_CAPTION}", f"    caption: {caption}")
    assert rejected() == f"manuscript/labels/en.yaml: figures.figure2.caption, {said}"


def test_raw_markup_in_a_label_is_refused_and_a_web_link_in_the_text_is_not(sources):
    for lang in ("kk", "ru", "en"):  # a link to the web, in every edition alike: the check passes
        edit(f"manuscript/text/{lang}/06.conclusion.md", "\n\n", "\n\n[Glovo](https://glovoapp.com).\n\n")
    check_project(CONFIG)
    edit("manuscript/labels/en.yaml", "contents_heading: ", "contents_heading: <script>alert()</script> ")
    assert rejected().startswith("manuscript/labels/en.yaml: contents_heading, line 1: raw HTML (<script>)")


def test_an_editors_hidden_lock_or_backup_beside_a_section_is_not_a_section(sources):
    """Emacs's lock of a section with unsaved changes stopped the build: 'manuscript/text/kk/.#04.results.md: the
    file does not exist.' (a link to nothing); a hidden copy was checked, and printed, as a section of its own."""
    lock = Path("manuscript/text/kk/.#04.results.md")
    lock.symlink_to("user@host.1234:1700000000")
    shutil.copy("manuscript/text/en/04.results.md", "manuscript/text/en/.04.results.md")
    shutil.copy("manuscript/text/ru/04.results.md", "manuscript/text/ru/04.results.md~")  # a backup, an auto-save
    shutil.copy("manuscript/text/ru/04.results.md", "manuscript/text/ru/#04.results.md#")
    shutil.copy("manuscript/text/kk/04.results.md", "manuscript/text/kk/~$04.results.md")  # Microsoft Office's lock
    try:
        check_project(CONFIG)
    finally:
        lock.unlink()
        Path("manuscript/text/en/.04.results.md").unlink()


SECTIONS_ONLY = (
    "expected a section file, named NN.<section>.md: an edition reads only these, and would leave this one out"
)


@pytest.mark.parametrize(
    ("name", "said"),
    [("07.appendix.MD", f"found a file whose name does not end in .md among the sections; {SECTIONS_ONLY} (rename it "
      "07.appendix.md, or move it out of manuscript/text/kk/)."),
     ("07.appendix.markdown", "(rename it 07.appendix.md, or move it out of manuscript/text/kk/)."),
     ("07.appendix.txt", "(rename it 07.appendix.md, or move it out of manuscript/text/kk/)."),
     ("06.conclusion.md.orig", f"{SECTIONS_ONLY} (move it out of manuscript/text/kk/)."),
     ("07.appendix/07.appendix.md", "found a folder among the sections; expected section files only, named "
      "NN.<section>.md: an edition reads no folder there (move the sections it holds into manuscript/text/kk/).")],
    ids=["upper-case", "markdown", "txt", "merge-leftover", "folder"],
)  # fmt: skip
def test_a_section_the_edition_would_leave_out_unseen_is_named(sources, name, said):
    """A section saved under another name than NN.<section>.md, or in a folder, never reached the edition, unsaid."""
    path = Path("manuscript/text/kk", name)
    path.parent.mkdir(exist_ok=True)
    shutil.copy("manuscript/text/kk/06.conclusion.md", path)
    message = rejected()
    assert message.startswith(f"manuscript/text/kk/{name.split('/')[0]}: found a "), message
    assert message.endswith(said), message


ORDER = "(the edition prints its sections in the order of their numbers)."


@pytest.mark.parametrize(
    ("name", "blamed", "said"),
    [("1.preface.md", "1.preface.md", "found a section named '1.preface.md'; expected NN.<section>.md, its number of "
      f"two digits first {ORDER}"),
     ("appendix.md", "appendix.md", "found a section named 'appendix.md'; expected NN.<section>.md, its number of two "
      f"digits first {ORDER}"),
     ("04.extra.md", "04.results.md", "found the number 04, which 04.extra.md has too; expected each section its own "
      f"number {ORDER}")],
    ids=["one-digit", "no-number", "number-twice"],
)  # fmt: skip
def test_a_section_numbered_otherwise_than_its_place_is_named(sources, name, blamed, said):
    """A new section, the same in every language (parity held), stood elsewhere than its number said: 1.preface.md
    after 06.conclusion.md, a second section numbered 04 before 04.results.md (the rest of their names ordering
    them), and the build ended well."""
    for lang in ("kk", "ru", "en"):
        Path(f"manuscript/text/{lang}/{name}").write_text("# Мәтін {#sec-added}\n\nМәтін.\n", encoding="utf-8")
    assert rejected() == f"manuscript/text/kk/{blamed}: {said}"


@pytest.mark.parametrize(
    ("copy", "to", "what"),
    [("manuscript/text/kk", "manuscript/text/kz", "a folder of sections"),
     ("manuscript/text/abstracts/kk.md", "manuscript/text/abstracts/kz.md", "an abstract"),
     ("manuscript/labels/kk.yaml", "manuscript/labels/kz.yaml", "labels"),
     ("manuscript/pandoc/translations/kk.yaml", "manuscript/pandoc/translations/kz.yaml", "Pandoc's terms")],
    ids=["sections", "abstract", "labels", "pandoc-terms"],
)  # fmt: skip
def test_a_languages_file_under_a_code_the_catalogue_lacks_is_named(sources, copy, to, what):
    """A misspelt language code (kz for kk) made files no edition reads: the build ended well, unsaid."""
    (shutil.copytree if Path(copy).is_dir() else shutil.copy)(copy, to)
    languages = "kk, ru, en, abstracts" if what == "a folder of sections" else "kk, ru, en"
    assert rejected() == (
        f"{to}: found {what} for the language 'kz', which workflow/catalogue.yaml does not list (did you mean 'kk'?); "
        f"expected one of {languages} (no edition reads it: a new language is added to the catalogue first, README "
        '"Add a language").'
    )


def test_the_abstracts_folder_renamed_is_named_as_such(sources):
    """manuscript/text/abstract/ was named a folder of sections for a language 'abstract', with no advice."""
    Path("manuscript/text/abstracts").rename("manuscript/text/abstract")
    assert rejected().startswith(
        "manuscript/text/abstract: found a folder of sections for the language 'abstract', which "
        "workflow/catalogue.yaml does not list (did you mean 'abstracts'?); expected one of kk, ru, en, abstracts"
    )


@pytest.mark.parametrize("label", ["note", "1"], ids=["a-word", "a-number"])
def test_a_footnote_is_text_not_a_link_target_and_its_text_is_checked(sources, label):
    """A footnote's definition ([^1]: text) was refused as 'the link target 'The'; expected a web address'; one
    labelled by a number, as Pandoc's manual labels them, as 'the number 1 is typed into prose; take it from the
    registry': a label is the footnote's name, which no edition prints (Pandoc numbers the footnotes)."""
    for lang in ("kk", "ru", "en"):
        edit(f"manuscript/text/{lang}/06.conclusion.md", "\n\n", f"\n\nСілтеме[^{label}].\n\n[^{label}]: The note.\n\n")
    check_project(CONFIG)
    edit("manuscript/text/en/06.conclusion.md", f"[^{label}]: The note.", f"[^{label}]: The <b>note</b>.")
    assert rejected().startswith("manuscript/text/en/06.conclusion.md, line 5: raw HTML (<b>) would reach an edition")


@pytest.mark.parametrize(
    ("note", "said"),
    [("Text[^note].\n\n[^Note]: The note.", "line 3: the footnote [^note] has no text in this edition (did you mean "
      "[^Note]?); expected a line [^note]: its text (else the edition prints [^note] as text, and no note)"),
     ("Text[^note].", "line 3: the footnote [^note] has no text in this edition; expected a line [^note]: its text"),
     ("Text.\n\n[^note]: The note.", "line 5: the footnote [^note] is marked nowhere in this edition; expected "
      "[^note] where its mark goes (else the edition leaves its text out)"),
     ("Text[^note].\n\n[^note]: Another note.", "line 5: the footnote [^note] has its text here and at "
      "manuscript/text/en/04.results.md, line 5; give each footnote a label of its own in the edition (else Pandoc "
      "prints one text for both marks)")],
    ids=["label-misspelt", "text-missing", "mark-missing", "label-of-another-section"],
)  # fmt: skip
def test_a_footnote_without_its_text_or_its_mark_is_refused(sources, note, said):
    """Pandoc prints a mark without a text as it is typed ('Text[^note].') and leaves a text without a mark out, and
    of two sections that each label their footnote [^note] (an author numbering a file's notes from 1), prints the
    last text at both marks: with a warning naming the edition's Markdown (manuscript/build/paper.en.md), not the
    author's file; the build passed (exit 0)."""
    if "Another" in note:  # a footnote of the same label in another section of the edition
        edit("manuscript/text/en/04.results.md", "\n\n", "\n\nText[^note].\n\n[^note]: The note.\n\n")
    section = "manuscript/text/en/06.conclusion.md"
    edit(section, "\n\n", f"\n\n{note}\n\n")
    assert rejected().startswith(f"{section}, {said}")


@pytest.mark.parametrize(
    ("path", "old", "new", "key"),
    [("manuscript/metadata.yaml", '  kk: "Гиг-экономика', '  kk: "<script>alert()</script> Гиг-экономика', "title.kk"),
     ("manuscript/metadata.yaml", "  kk: [Қазақстан,", "  kk: [Қазақстан, <i>kw</i>,", "keywords.kk[2]"),
     ("manuscript/labels/languages.yaml", "abstract_heading: Abstract,", 'abstract_heading: "Abstract <script>x()</script>",',
      "en.abstract_heading")],
    ids=["title", "keyword", "abstract-heading"],
)  # fmt: skip
def test_raw_markup_in_the_metadata_is_refused(sources, path, old, new, key):
    """Pandoc reads the title and keywords as Markdown: raw HTML there ran in the page's title block. An abstract's
    heading (manuscript/labels/languages.yaml) was held to nothing: '<script>' there ran in every HTML edition (the
    published one prints every abstract), and the heading was printed as text ('# Abstract', '{#abstract-en ...}')."""
    edit(path, old, new)
    assert rejected().startswith(f"{path}: {key}, line 1: raw HTML (<")


# Pandoc's reader takes time doubling with each '[' left open in a paragraph or nested in another (jgm/pandoc#1735):
# twenty such in a section kept a build running for minutes. Each is refused at its line, wherever Pandoc reads it.
OPEN = "Деректер [бойынша " * 20
BRACKET_CASES = [
    ("manuscript/text/kk/05.discussion.md", "\n\n", f"\n\n{OPEN}\n\n", "manuscript/text/kk/05.discussion.md, line 3: "
     "a '[' that no ']' closes in its paragraph; close it, or write \\[ for a bracket meant as text"),
    ("manuscript/text/abstracts/en.md", "\n\n", "\n\n[[[[twelve]]]] deep\n\n", "manuscript/text/abstracts/en.md, line 3: "
     "brackets nested more than 3 deep; expected at most 3"),
    ("manuscript/text/ru/06.conclusion.md", "\n\n", "\n\n[Glovo](https://glovoapp.com and on\n\n",
     "manuscript/text/ru/06.conclusion.md, line 3: a link's '(' that no ')' closes in its paragraph; close it"),
    ("manuscript/labels/en.yaml", "contents_heading: ", f"contents_heading: {OPEN}",
     "manuscript/labels/en.yaml: contents_heading, line 1: a '[' that no ']' closes in its paragraph"),
    ("manuscript/metadata.yaml", '  kk: "Гиг-экономика', f'  kk: "{OPEN} Гиг-экономика',
     "manuscript/metadata.yaml: title.kk, line 1: a '[' that no ']' closes in its paragraph"),
    # A citation cut in half: its page was called 'the number 272 is typed into prose; take it from the registry'.
    ("manuscript/text/kk/06.conclusion.md", "\n\n", "\n\nЖаңа сөйлем [@schor2020, 272.\n\n",
     "manuscript/text/kk/06.conclusion.md, line 3: a '[' that no ']' closes in its paragraph; close it, or write \\[ "
     "for a bracket meant as text"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("path", "old", "new", "expected"), BRACKET_CASES, ids=["section", "nested", "link", "label", "title", "citation"]
)
def test_brackets_left_open_or_nested_deep_are_refused_at_their_line(sources, path, old, new, expected):
    edit(path, old, new)
    message = rejected()
    assert message.startswith(expected), message


@pytest.mark.parametrize(
    ("path", "blocks", "line"),
    [("manuscript/text/kk/05.discussion.md", "> " * 9 + "Мәтін", 3),
     ("manuscript/text/abstracts/en.md", "\n".join("  " * level + "- Text" for level in range(40)), 3 + 16)],
    ids=["quotes", "list"],
)  # fmt: skip
def test_blocks_nested_deeper_than_typst_can_lay_out_are_refused_at_their_line(sources, path, blocks, line):
    """Typst stopped the PDF with "maximum show rule depth exceeded", blaming the Typst Pandoc wrote."""
    edit(path, "\n\n", f"\n\n{blocks}\n\n")
    assert rejected() == f"{path}, line {line}: block quotes or lists nested more than 8 deep; expected at most 8"


def test_brackets_closed_in_their_paragraph_escaped_ones_and_quotes_eight_deep_pass(sources):
    for lang in ("kk", "ru", "en"):  # the same in every edition: parity holds
        edit(
            f"manuscript/text/{lang}/06.conclusion.md",
            "\n\n",
            "\n\n[[[Три]]] [уровня](https://e.kz/a_(b)), \\[ и `[`.\n\n",
        )
        # a backslash written as text (\\) before a word, and one in code, are no raw TeX
        edit(f"manuscript/text/{lang}/06.conclusion.md", "\n\n", "\n\nC:\\\\Users, `\\emph`.\n\n")
        edit(f"manuscript/text/{lang}/06.conclusion.md", "\n\n", "\n\n" + "> " * 8 + "Цитата.\n\n")  # laid out
    check_project(CONFIG)


# --- one error, one message, blamed on the file that is wrong -------------------------------------------------


@pytest.mark.parametrize(
    ("change", "found"),
    [(lambda text: "", "an empty file"), (lambda text: text.split("\n", 1)[1], "'Қазақстанның гиг-экономикасы"),
     # The id's Kazakh і (U+0456) looks Latin: the message showed the heading, which looked right.
     (lambda text: text.replace("{#sec-conclusion}", "{#sec-conclus\u0456on}"),
      "'# Қорытынды {#sec-conclus\u0456on}'; its «\u0456» is U+0456 CYRILLIC SMALL LETTER BYELORUSSIAN-UKRAINIAN I, not "
      "a Latin letter")],
    ids=["emptied", "heading-deleted", "kazakh-letter-in-its-id"],
)  # fmt: skip
def test_a_kazakh_section_without_its_heading_is_blamed_not_the_translations(sources, change, found):
    """The parity check would say the ru and en files have a heading too many."""
    section = Path("manuscript/text/kk/06.conclusion.md")
    section.write_text(change(section.read_text(encoding="utf-8")), encoding="utf-8")
    message = rejected()
    assert message.startswith(f"{section}, line 1: found {found}"), message
    assert message.endswith("expected the section's heading first, as # Title {#sec-name}"), message


@pytest.mark.parametrize("emptied", ["", "\n  \n"], ids=["empty", "blank-lines"])
def test_an_empty_abstract_is_refused_not_printed_as_a_heading_over_nothing(sources, emptied):
    """An abstract saved empty passed every check: each edition printed its heading and keywords over nothing."""
    Path("manuscript/text/abstracts/en.md").write_text(emptied, encoding="utf-8")
    assert rejected() == (
        "manuscript/text/abstracts/en.md, line 1: found an empty file; expected the abstract's paragraphs (the "
        "editions print its heading and keywords around them)"
    )


@pytest.mark.parametrize(
    ("heading", "found"), [("# Abstract", "# Abstract"), ("Abstract\n========", "Abstract")], ids=["atx", "setext"]
)
def test_an_abstract_pasted_with_its_heading_is_refused_at_its_line(sources, heading, found):
    """The heading was printed as a numbered section, '1 Abstract', in every edition, and each section after it took
    the next number (the Kazakh edition's '1 Кіріспе' became '2 Кіріспе'); the build ended well."""
    abstract = Path("manuscript/text/abstracts/en.md")
    abstract.write_text(f"{heading}\n\n{abstract.read_text(encoding='utf-8')}", encoding="utf-8")
    assert rejected() == (
        f"{abstract}, line 1: a heading ({found}); expected the abstract's paragraphs only (the editions write its "
        "heading; one of its own is numbered as a section, and every section's number after it shifts)"
    )


@pytest.mark.parametrize(
    ("lang", "keywords"),
    [("en", "Keywords: Kazakhstan, gender equality, gig economy."),
     ("kk", "Түйін сөздер: Қазақстан, гендерлік теңдік, гиг экономика."),
     ("ru", "Ключевые слова: Казахстан, гендерное равенство.")],
    ids=["en", "kk", "ru"],
)  # fmt: skip
def test_an_abstract_pasted_with_its_keywords_is_refused_at_their_line(sources, lang, keywords):
    """The published text prints each abstract's keywords under it ('Keywords: Kazakhstan, ...', line 26): pasted with
    them, an abstract printed its keywords twice in every edition, once as its last paragraph and once from
    manuscript/metadata.yaml; the build ended well."""
    abstract = Path(f"manuscript/text/abstracts/{lang}.md")
    text = abstract.read_text(encoding="utf-8")
    abstract.write_text(f"{text}\n{keywords}\n", encoding="utf-8")
    assert rejected() == (
        f"{abstract}, line {text.count(chr(10)) + 2}: the abstract's keywords ({keywords.split(':')[0]}: ...); expected "
        "the abstract's paragraphs only (the editions print its keywords under it, from manuscript/metadata.yaml)"
    )


@pytest.mark.parametrize(
    ("markup", "said"),
    [('{{ figure("figure1") }}', "an abstract places figure 'figure1'"),
     ("[Мәтін]{#sec-results}", "an abstract gives the id '#sec-results'")],
    ids=["figure", "id"],
)  # fmt: skip
def test_a_figure_or_an_id_in_an_abstract_is_refused_at_its_line(sources, markup, said):
    """The published edition prints every language's abstract: a figure placed in one stopped the Kazakh edition late,
    in its deposit ("paper.kk.xml: xlink:href 'figures/figure1.kk.svg' names no file the deposit holds"); an id of a
    section given there again made two elements of one id in the HTML and the JATS, the build ending well."""
    edit("manuscript/text/abstracts/en.md", "\n\n", f"\n\n{markup}\n\n")
    assert rejected() == (
        f"manuscript/text/abstracts/en.md, line 3: {said}; expected text only (figures, tables and ids belong to the "
        "sections, and every language's abstract is printed in the published edition)"
    )


@pytest.mark.parametrize(
    ("section", "item", "first"),
    [("manuscript/text/kk/05.discussion.md", 'figure("figure1")', "manuscript/text/kk/05.discussion.md, line 29"),
     ("manuscript/text/en/06.conclusion.md", 'table("table1")', "manuscript/text/en/05.discussion.md, line 5")],
    ids=["figure-same-file", "table-another-file"],
)  # fmt: skip
def test_a_figure_or_table_placed_twice_in_an_edition_is_refused_where_it_comes_again(sources, section, item, first):
    """An edition prints each under one id (fig-figure1): twice would be a duplicate id in the HTML and the JATS."""
    Path(section).write_text(Path(section).read_text(encoding="utf-8") + f"\n{{{{ {item} }}}}\n", encoding="utf-8")
    kind, name = item.split("(")[0], item.split('"')[1]
    assert f"{kind} '{name}' is placed here and at {first}; place it once, and refer to it elsewhere with" in rejected()


@pytest.mark.parametrize(
    ("item", "placed", "line"),
    [('figure("figure2")', "they reproduce existing gender inequalities, as shown here: {{ figure(\"figure2\") }}", 58),
     ('table("table2")', "they reproduce existing gender inequalities.\n{{ table(\"table2\") }}", 59)],
    ids=["figure-in-a-sentence", "table-under-a-line"],
)  # fmt: skip
def test_a_figure_or_table_placed_inside_a_paragraph_is_refused_at_its_line(sources, item, placed, line):
    """Pandoc makes a figure of an image alone in its paragraph, and reads a table's caption and rows only as blocks
    of their own: inside a paragraph, the edition printed no figure or table and Typst stopped the PDF late ('label
    `<fig-figure2>` does not exist in the document'), naming neither the section nor its line."""
    section = "manuscript/text/en/05.discussion.md"
    edit(section, f"\n{{{{ {item} }}}}\n", "\n")
    edit(section, "they reproduce existing gender inequalities.", placed)
    kind, name = item.split("(")[0], item.split('"')[1]
    assert rejected() == (
        f"{section}, line {line}: {kind} '{name}' is placed inside a paragraph; expected {{{{ {item} }}}} alone on its "
        f"line, after a blank line (else the edition prints no {kind} there)"
    )


@pytest.mark.parametrize(("item", "line"), [('figure("figure2")', 37), ('table("table1")', 3)], ids=["figure", "table"])
def test_a_figure_or_table_referred_to_but_placed_nowhere_is_refused_where_it_is_referred_to(sources, item, line):
    """With a figure's placement taken out of every language (parity held), the build stopped late, in Typst:
    'Typst cannot compile manuscript/build/paper.kk.pdf: label `<fig-figure2>` does not exist in the document'."""
    for lang in ("kk", "ru", "en"):
        edit(f"manuscript/text/{lang}/05.discussion.md", f"{{{{ {item} }}}}", "")
    kind, name = item.split("(")[0], item.split('"')[1]
    assert rejected() == (
        f"manuscript/text/kk/05.discussion.md, line {line}: refers to {kind} '{name}', which no section of this edition "
        f"places; place it with {{{{ {item} }}}}, or take the reference out"
    )


ID_CASES = [
    ("# Қайта {#sec-discussion}", "the id '#sec-discussion' is given here and at manuscript/text/kk/05.discussion.md, "
     "line 1; give each its own"),
    ("[Мәтін]{#sec-results}", "the id '#sec-results' is given here and at manuscript/text/kk/04.results.md, line 1;"),
    ("[Мәтін]{#fig-figure1}", "the id '#fig-figure1' is one the build gives its figures, tables, abstracts or references"),
    ("[Мәтін]{.note #ref-olo2024}", "the id '#ref-olo2024' is one the build gives its figures, tables, abstracts or"),
]  # fmt: skip


@pytest.mark.parametrize(("markup", "said"), ID_CASES, ids=["heading-twice", "another-file", "a-figures", "a-works"])
def test_an_id_given_twice_in_an_edition_or_one_the_build_gives_is_refused_where_it_is(sources, markup, said):
    """HTML and JATS forbid two elements of one id. The parity check blamed the ru text for lacking the heading
    the kk text repeated; a figure's or a work's id given to a span went unseen to the Nu checker and the DTD."""
    edit("manuscript/text/kk/05.discussion.md", "\n\n", f"\n\n{markup}\n\n")
    assert rejected().startswith(f"manuscript/text/kk/05.discussion.md, line 3: {said}")


def test_an_id_of_the_authors_own_given_once_passes(sources):
    for lang in ("kk", "ru", "en"):
        edit(f"manuscript/text/{lang}/06.conclusion.md", "\n\n", "\n\n[Мәтін]{#note-one}\n\n")
    check_project(CONFIG)


def test_an_unknown_citation_in_the_kazakh_text_is_blamed_on_the_kazakh_file(sources):
    section = "manuscript/text/kk/06.conclusion.md"
    edit(section, "\n\n", "\n\nМәтін [@nobody2030].\n\n")
    message = rejected()
    assert message == (
        f"{section}, line 3: cites @nobody2030, which manuscript/bibliography.yaml does not hold; "
        "add the work to the bibliography or correct the key."
    )


@pytest.mark.parametrize(
    ("citation", "said"),
    [("[@Schor2020]", "cites @Schor2020, which manuscript/bibliography.yaml does not hold (did you mean 'schor2020'?)"),
     ("[@schor2020:272]", "cites @schor2020:272, which manuscript/bibliography.yaml does not hold (did you mean "
                          "'schor2020'?)"),
     ("[@sch\u043er2020, 272]", "cites @sch\u043er2020, which manuscript/bibliography.yaml does not hold (did you mean "
                                "'schor2020'?); its «\u043e» is U+043E CYRILLIC SMALL LETTER O, not a Latin letter;"),
     ("[see @sec-results]", "cites @sec-results, which manuscript/bibliography.yaml does not hold;")],
    ids=["capital", "colon-locator", "cyrillic-look-alike", "section-id"],
)  # fmt: skip
def test_a_citation_key_is_read_whole_as_pandoc_reads_it(sources, citation, said):
    """Pandoc reads a key of any letters, with punctuation inside it: `[@Schor2020]` passed the check, which read
    keys of a-z, 0-9 and _ only, and stopped the build late in Typst, blaming the PDF; `@schor2020:272`, a key with
    a Cyrillic look-alike letter, and `@sec-results` were refused under a key cut short (@schor2020 passed; 'cites
    @sch', 'cites @sec')."""
    section = "manuscript/text/en/06.conclusion.md"
    edit(section, "\n\n", f"\n\nText {citation}.\n\n")
    assert rejected().startswith(f"{section}, line 3: {said}")


@pytest.mark.parametrize(
    ("path", "old", "new", "said"),
    [("manuscript/text/ru/04.results.md", "{{ n.gender_pay_gap_couriers_microtasks }}", "{{ n.gender_pay_gap_conclusion }}",
      "manuscript/text/ru/04.results.md, line 7: its numbers, figures and tables differ from the kk text's; missing "
      "['n.gender_pay_gap_couriers_microtasks'] (manuscript/text/kk/04.results.md, line 7), extra "
      "['n.gender_pay_gap_conclusion']."),
     ("manuscript/text/en/02.literature_review.md", "[@schor2020, 272]", "[@schor2020, 227]",
      "manuscript/text/en/02.literature_review.md, line 3: its citations differ from the kk text's; missing "
      "['@schor2020, 272'] (manuscript/text/kk/02.literature_review.md, line 3), extra ['@schor2020, 227']."),
     ("manuscript/text/en/02.literature_review.md", " [@schor2020, 272]", "",
      "manuscript/text/en/02.literature_review.md: its citations differ from the kk text's; missing ['@schor2020, "
      "272'] (manuscript/text/kk/02.literature_review.md, line 3), extra []."),
     # The slip in the kk text, which the message named nowhere: 'missing ['sec-conclusoin'], extra ['sec-conclusion']'.
     ("manuscript/text/kk/06.conclusion.md", "{#sec-conclusion}", "{#sec-conclusoin}",
      "manuscript/text/ru/06.conclusion.md, line 1: its headings differ from the kk text's; missing ['sec-conclusoin'] "
      "(manuscript/text/kk/06.conclusion.md, line 1), extra ['sec-conclusion'].")],
    ids=["a-number-mistyped", "a-page-mistyped", "a-citation-left-out", "a-kk-heading-id-mistyped"],
)  # fmt: skip
def test_what_a_translation_cites_or_prints_otherwise_than_the_kk_text_is_named_at_its_line(sources, path, old, new,
                                                                                            said):  # fmt: skip
    """A registry id or a page typed otherwise in one language was named by its file alone, which runs to dozens
    of lines; one left out gives the kk text's line, where it is. What the kk text has in place of one typed otherwise
    gives the kk text's line too: the slip may be the kk text's, an edit of which was otherwise blamed on ru alone."""
    edit(path, old, new)
    assert rejected() == said


def test_a_missing_russian_section_gives_no_false_advice(sources):
    os.remove("manuscript/text/ru/04.results.md")
    message = rejected()
    assert message == "manuscript/text/ru/ lacks the section 04.results.md, which manuscript/text/kk/ has."


def test_an_uncited_reference_is_named_at_its_line(sources):
    Path(BIB).write_text(
        Path(BIB).read_text(encoding="utf-8")
        + "\n  - {id: unused2020, status: unconfirmed, type: document, author: [{literal: Unused}], issued: 2020,"
        " reviewer_note: Not found.}\n",
        encoding="utf-8",
    )
    message = rejected()
    assert re.fullmatch(r"manuscript/bibliography.yaml, line \d+: the entry 'unused2020' is cited nowhere .*", message)


def test_a_table_that_dropped_the_only_citation_of_an_entry_is_named_with_the_entry(sources):
    """The bibliography is right to list the work; the table lost its citation. In a git checkout the committed
    files say which file cited it; elsewhere the entry alone is named."""
    old = "мыңнан астам адам ресми түрде жұмыс істейді.,mlsp2023,"
    edit("data/raw/table1_platform_employment.csv", old, old.replace("mlsp2023", ""))
    update_checksums("data/raw/datapackage.yaml")
    assert re.fullmatch(r"manuscript/bibliography.yaml, line \d+: the entry 'mlsp2023' is cited nowhere .*", rejected())
    edit("data/raw/table1_platform_employment.csv", old.replace("mlsp2023", ""), old)
    update_checksums("data/raw/datapackage.yaml")
    commit_as_cloned()
    edit("data/raw/table1_platform_employment.csv", old, old.replace("mlsp2023", ""))
    update_checksums("data/raw/datapackage.yaml")
    assert re.fullmatch(
        r"data/raw/table1_platform_employment.csv: cited 'mlsp2023' in the committed files \(git HEAD\) and no longer "
        r"does, and nothing else cites it \(text, labels or tables\); manuscript/bibliography.yaml, line \d+ lists it: "
        r"cite it again, or remove the entry.",
        rejected(),
    )


def commit_as_cloned() -> None:
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    for command in (["init", "-q"], ["add", "data", "manuscript"], ["commit", "-q", "-m", "as cloned"]):
        subprocess.run([*git, *command], check=True)


def test_a_line_added_to_the_published_text_is_blamed_on_it_not_on_the_rows_that_quote_it(sources):
    """The rows are right to cite their lines; the published text moved them. In a git checkout the committed text
    says where it changed; elsewhere the first row whose line moved is named, as before."""
    article = "data/raw/published_article.kk.txt"
    lines = Path(article).read_text(encoding="utf-8").split("\n")
    Path(article).write_text("\n".join([*lines[:242], "", *lines[242:]]), encoding="utf-8")
    update_checksums("data/raw/datapackage.yaml")
    moved = "data/raw/olo2024_online_labour_index.csv, row 2, column 'source_line': found 501; expected the line"
    assert rejected().startswith(moved)
    Path(article).write_text("\n".join(lines), encoding="utf-8")
    update_checksums("data/raw/datapackage.yaml")
    commit_as_cloned()
    Path(article).write_text("\n".join([*lines[:242], "", *lines[242:]]), encoding="utf-8")
    update_checksums("data/raw/datapackage.yaml")
    message = rejected()
    assert message.startswith(
        f"{article}, line 243: differs from the committed file (git HEAD) from this line on, and {moved}"
    ), message
    assert message.endswith("restore the published text, the article as the journal printed it (record a departure "
                            "from it in manuscript/errata.yaml).")  # fmt: skip


def test_an_id_two_sources_define_names_both_files(sources):
    with open("data/raw/article_numbers.csv", "a", encoding="utf-8") as handle:
        handle.write("oli_kaz_2020,point,5,,,index_points,,,501,2020 жылы Қазақстан үшін индекс 5-тен аз болды,,\n")
    record_checksums(sources)
    message = rejected()
    assert message == (
        "Registry id 'oli_kaz_2020' is defined twice, by data/raw/article_numbers.csv, row 16 and "
        "data/raw/olo2024_online_labour_index.csv, row 2; each id must be defined once."
    ) or ("defined twice" in message and "article_numbers.csv" in message and "olo2024" in message), message


# --- a failed build leaves the previous outputs as they were ---------------------------------------------------


def test_snakemakes_introspection_shows_the_workflow_of_a_tree_with_a_bad_cell(built_copy):
    """--list-rules, --dag, --summary and --dry-run work on a broken tree; the build still stops, changing nothing."""
    before = outputs(built_copy)
    shares = built_copy / "data/raw/ppmi2024_gender_by_occupation.csv"
    shares.write_text(
        shares.read_text(encoding="utf-8").replace(
            "2024,software_dev_tech,women,10,", "2024,software_dev_tech,women,ten,"
        ),
        encoding="utf-8",
    )
    record_checksums(built_copy)
    assert "render_edition" in snakemake(built_copy, "--list-rules").stdout
    assert "digraph snakemake_dag" in snakemake(built_copy, "--dag").stdout
    summary = snakemake(built_copy, "--summary").stdout
    assert "data/processed/gender_by_occupation.csv" in summary and "update pending" in summary
    assert "validate_source" in snakemake(built_copy, "--dry-run").stdout
    result = snakemake(built_copy, check=False)
    assert result.returncode == 1
    assert result.stderr.count("ERROR") == 1 and "Traceback" not in result.stderr, result.stderr
    assert (
        "ERROR in the inputs: data/raw/ppmi2024_gender_by_occupation.csv, row 2, column 'share_pct': found 'ten'; "
        "expected a number written with a decimal point." in result.stderr
    )
    assert outputs(built_copy) == before
    assert not list((built_copy / ".snakemake/locks").glob("*"))


def test_removing_an_occupation_stops_before_any_output_changes(built_copy):
    before = outputs(built_copy)
    shares = built_copy / "data/raw/ppmi2024_gender_by_occupation.csv"
    shares.write_text(
        "".join(
            line
            for line in shares.read_text(encoding="utf-8").splitlines(keepends=True)
            if "sales_marketing" not in line
        ),
        encoding="utf-8",
    )
    record_checksums(built_copy)
    result = snakemake(built_copy, check=False)
    assert result.returncode == 1
    # The data file that lost the rows is blamed, not the text that (rightly) quotes them.
    assert (
        "ERROR in the inputs: data/raw/ppmi2024_gender_by_occupation.csv: the number 'ppmi_sales_marketing_"
        in result.stderr
    ), result.stderr
    assert "manuscript/text/kk/05.discussion.md, line 45 uses it" in result.stderr
    assert "Traceback" not in result.stderr
    assert outputs(built_copy) == before


LOST_ROWS = [
    ("data/raw/ppmi2024_gender_by_occupation.csv", "sales_marketing", "ppmi_sales_marketing_",
     "manuscript/text/kk/05.discussion.md, line 45 uses it"),
    ("data/raw/article_numbers.csv", "women_share_platform_workers,", "women_share_platform_workers",
     "manuscript/claims.yaml, line 26 uses it"),
]  # fmt: skip


@pytest.mark.parametrize(("raw", "row_mark", "number", "user"), LOST_ROWS, ids=["ppmi-rows", "article-number-row"])
def test_a_never_built_clone_blames_the_data_file_that_lost_a_quoted_number(project, raw, row_mark, number, user):
    """With no last build to compare with, the committed data (git HEAD) say what the file lost."""
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], cwd=project, check=True)
    subprocess.run([*git, "add", "-A"], cwd=project, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "as cloned"], cwd=project, check=True)
    data = project / raw
    lines = data.read_text(encoding="utf-8").splitlines(keepends=True)
    data.write_text("".join(line for line in lines if row_mark not in line), encoding="utf-8")
    record_checksums(project)
    result = snakemake(project, check=False)
    assert result.returncode == 1
    assert result.stderr.count("ERROR") == 1 and "Traceback" not in result.stderr, result.stderr
    assert f"ERROR in the inputs: {raw}: the number '{number}" in result.stderr, result.stderr
    assert "in the committed data (git HEAD)) is gone from the file" in result.stderr
    assert user in result.stderr
    assert outputs(project) == {}


def test_a_step_that_fails_late_puts_back_every_output_of_the_last_good_build(built_copy):
    """A failure the input check cannot foresee (here Typst) still leaves the old outputs, not a mix."""
    before = {p: (built_copy / p).stat().st_mtime_ns for p in outputs(built_copy)}
    before_bytes = outputs(built_copy)
    shares = built_copy / "data/raw/ppmi2024_gender_by_occupation.csv"
    text = shares.read_text(encoding="utf-8").replace(
        "2024,sales_marketing,women,33,", "2024,sales_marketing,women,37,"
    )
    shares.write_text(text.replace("2024,sales_marketing,men,67,", "2024,sales_marketing,men,63,"), encoding="utf-8")
    record_checksums(built_copy)
    # A setting too: only Snakemake's record of the params says that Figure 1's PNG must be redrawn.
    config = built_copy / "config/config.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("png_dpi: 300", "png_dpi: 150"), encoding="utf-8")
    typst = built_copy / "manuscript/pandoc/article.typ"
    typst.write_text(typst.read_text(encoding="utf-8") + "\n#no-such-function()\n", encoding="utf-8")
    result = snakemake(built_copy, check=False)
    assert result.returncode != 0
    # Below Snakemake's account of the failed jobs and their long commands: the cause again, and the outputs.
    stopped = result.stderr[result.stderr.rindex("\nThe build stopped:\n") :]
    assert re.search(r"^ERROR in rule render_edition: manuscript/pandoc/article\.typ, line \d+: Typst", stopped, re.M)
    said = re.findall(r"^ERROR.*", result.stderr, re.M)
    assert said and len(said) == len(set(said)) and stopped.count("ERROR") == len(said), said  # each once, there
    assert "\nThe outputs of the last good build are unchanged.\n" in stopped
    assert outputs(built_copy) == before_bytes
    assert {p: (built_copy / p).stat().st_mtime_ns for p in before} == before
    assert not (built_copy / ".snakemake/gigpaper/last-good").exists()
    # Mended, the next build brings every output up to date.
    typst.write_text(typst.read_text(encoding="utf-8").replace("\n#no-such-function()\n", ""), encoding="utf-8")
    snakemake(built_copy)
    assert "37%" in (built_copy / "manuscript/build/paper.en.md").read_text(encoding="utf-8")
    png = "figures/figure1.en.png"
    assert len((built_copy / png).read_bytes()) < len(before_bytes[png]), "Figure 1 was not redrawn at 150 dpi"


# --- an interrupted build recovers on its own ------------------------------------------------------------------


def paper_build(project: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "GIGPAPER_VENV": str(Path(sys.executable).parents[1]), "PYTHONHASHSEED": "0"}
    return subprocess.Popen(
        [str(project / "paper"), "build", "--cores", "2"], cwd=project, env=env, text=True,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
    )  # fmt: skip


def interrupt_when_editions_render(project: Path, sig: signal.Signals) -> None:
    """Start a build that must redo the editions and send `sig` to it while Pandoc is writing them."""
    process = paper_build(project)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        if (project / "logs/render_edition").exists():
            time.sleep(0.3)  # into Pandoc's work
            break
        time.sleep(0.05)
    os.killpg(process.pid, sig)
    try:
        process.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        # Which processes outlived the signal, and in which step: the build's session is its process group.
        tree = subprocess.run(["ps", "-o", "pid,ppid,pgid,stat,etime,args", "--forest", "-g", str(process.pid)],
                              capture_output=True, text=True).stdout  # fmt: skip
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        pytest.fail(f"the build still runs 60 s after {sig.name}; its processes then:\n{tree}")


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM, signal.SIGKILL], ids=["ctrl-c", "sigterm", "killed"])
def test_the_next_plain_build_recovers_from_an_interrupted_one(built_copy, sig):
    shutil.rmtree(built_copy / "logs", ignore_errors=True)
    section = built_copy / "manuscript/text/en/01.introduction.md"
    section.write_text(
        section.read_text(encoding="utf-8").replace("\n\n", "\n\nAn added sentence.\n\n", 1), encoding="utf-8"
    )
    interrupt_when_editions_render(built_copy, sig)
    result = paper_build(built_copy)
    stdout, stderr = result.communicate(timeout=300)
    assert result.returncode == 0, stderr[-3000:]
    assert "IncompleteFilesException" not in stderr and "LockException" not in stderr
    assert "An added sentence." in (built_copy / "manuscript/build/paper.en.md").read_text(encoding="utf-8")
    hidden = [p for p in (built_copy / "manuscript/build").rglob(".*") if p.is_file()]
    assert not hidden, hidden
    assert "Nothing to be done" in snakemake(built_copy, "--dry-run").stdout  # nothing left to do, or to unlock


def test_a_second_build_in_the_same_folder_is_refused_while_one_runs(built_copy):
    section = built_copy / "manuscript/text/kk/01.introduction.md"
    section.write_text(section.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    first = paper_build(built_copy)
    time.sleep(1.0)
    second = paper_build(built_copy)
    _, stderr = second.communicate(timeout=120)
    first.communicate(timeout=300)
    assert first.returncode == 0
    assert second.returncode == 1 and "Another ./paper build is running in this folder" in stderr
