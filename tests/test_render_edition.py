"""One reading of an edition's Markdown for all its formats (gigpaper.pandoc.render_edition)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pypdf
import pytest
from conftest import ROOT
from gigpaper import catalogue
from gigpaper.errors import BuildError
from gigpaper.files import load_yaml
from gigpaper.pandoc import (
    DATA_DIRECTORY,
    PANDOC,
    pandoc_output,
    read_command,
    reading,
    render_edition,
    write_command,
)

EDITION = "kk"  # the published edition: three abstracts, every figure, table and citation


def test_each_format_written_from_the_one_reading_is_what_a_whole_pandoc_run_writes(built, tmp_path):
    """Every format of the catalogue, written from the shared JSON, byte for byte as one Pandoc run from the
    Markdown writes it (the way the preview writes the HTML alone): a format file that needs what only
    a run with citeproc gives its writer (typst's `-citations`) fails here."""
    markdown, bibliography = f"manuscript/build/paper.{EDITION}.md", f"manuscript/build/references.{EDITION}.json"
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1735689600"}

    def pandoc(command: list[str]) -> None:
        subprocess.run(command, cwd=built, env=env, check=True, capture_output=True)

    document = tmp_path / "paper.json"
    pandoc(read_command(markdown, catalogue.PANDOC_COMMON, bibliography, document))
    for fmt, entry in {name: f.entry() for name, f in catalogue.formats().items()}.items():
        whole, shared = (pandoc_output(tmp_path / f"{how}.{fmt}", entry) for how in ("whole", "shared"))
        pandoc(write_command(reading(markdown, catalogue.PANDOC_COMMON, bibliography), entry, whole))
        pandoc(write_command(["--from=json", str(document)], entry, shared))
        assert whole.read_bytes() == shared.read_bytes(), f"{fmt}: the shared reading writes other bytes"
        assert len(whole.read_bytes()) > 10_000, f"{fmt}: Pandoc wrote next to nothing"


def test_a_users_own_pandoc_data_reaches_no_edition(built_copy, tmp_path, monkeypatch):
    """Pandoc reads its user data directory (~/.local/share/pandoc, ~/.pandoc) for default templates and
    translated terms: a Pandoc user's own would make other editions on that machine (the HTML is written with
    Pandoc's default template). Every format, written with such a folder in place, is the build's, byte for byte."""
    home = tmp_path / "home"
    for data in (home / ".local/share/pandoc", home / ".pandoc"):
        for name in ("templates/default.html5", "templates/default.typst", "templates/default.jats_publishing"):
            (data / name).parent.mkdir(parents=True, exist_ok=True)
            (data / name).write_text("A user's own template $body$\n", encoding="utf-8")
        (data / "translations").mkdir()
        for lang in ("kk", "en"):
            (data / f"translations/{lang}.yaml").write_text("Abstract: A user's\nFigure: own\nTable: terms\n")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    monkeypatch.chdir(built_copy)  # Typst compiles only what is under the project's root
    formats = {name: f.entry() for name, f in catalogue.formats().items()}
    written = {fmt: f"elsewhere/paper.{fmt}" for fmt in formats}
    Path("elsewhere").mkdir()
    markdown, bibliography = f"manuscript/build/paper.{EDITION}.md", f"manuscript/build/references.{EDITION}.json"
    render_edition(markdown, bibliography, catalogue.PANDOC_COMMON, formats, 1735689600, **written)
    for fmt, path in written.items():
        assert Path(path).read_bytes() == Path(f"manuscript/build/paper.{EDITION}.{fmt}").read_bytes(), fmt


def test_pandocs_terms_in_kazakh_are_the_labels_words_and_pandoc_writes_without_a_warning(tmp_path, monkeypatch):
    """Pandoc ships no Kazakh terms: manuscript/pandoc/translations/kk.yaml gives them (the words the labels print),
    so a Kazakh edition's Pandoc runs say nothing (before: ten warnings in every build's output)."""
    monkeypatch.chdir(ROOT)
    terms = load_yaml(Path("manuscript/pandoc/translations/kk.yaml"))
    labels = load_yaml(Path("manuscript/labels/kk.yaml"))
    abstract = load_yaml(Path("manuscript/labels/languages.yaml"))["kk"]["abstract_heading"]
    assert terms == {"Abstract": abstract, "Figure": labels["figure_prefix"], "Table": labels["table_prefix"]}
    for fmt in ("html", "docx", "typst"):  # the writers that look the terms up
        done = subprocess.run(
            [PANDOC, DATA_DIRECTORY, "--from=markdown", f"--to={fmt}", "--standalone", "--metadata=lang:kk",
             "--metadata=title:Т", f"--output={tmp_path / f'paper.{fmt}'}"],
            input="Мәтін.\n", capture_output=True, text=True, check=True,
        )  # fmt: skip
        assert "[WARNING]" not in done.stderr, (fmt, done.stderr)


def test_a_reading_pandoc_refuses_stops_the_edition_with_its_message_and_writes_no_format(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)  # the defaults files name their files from the project's root
    markdown = tmp_path / "paper.md"
    markdown.write_text("---\ntitle: A\n---\n\nText [@key].\n", encoding="utf-8")
    bibliography = tmp_path / "references.json"
    bibliography.write_text("{not json", encoding="utf-8")
    formats = {fmt: catalogue.formats()[fmt].entry() for fmt in ("html", "xml")}
    outputs = {fmt: str(tmp_path / f"paper.{fmt}") for fmt in formats}
    with pytest.raises(BuildError) as error:
        render_edition(str(markdown), str(bibliography), catalogue.PANDOC_COMMON, formats, 0, **outputs)
    assert f"Pandoc could not read {markdown}" in str(error.value)
    assert f"bibliography file {bibliography}" in str(error.value)
    assert sorted(path.name for path in tmp_path.iterdir()) == ["paper.md", "references.json"]


def test_the_edition_step_does_not_load_the_catalogue_on_import():
    """Its formats come as parameters; loading and checking the catalogue would cost each job 0.13 CPU-s."""
    code = "import sys; import gigpaper.deposit; print(sorted(m for m in sys.modules if m in ('gigpaper.catalogue', 'yaml')))"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True,
        env={"PYTHONPATH": str(ROOT / "workflow")},
    )  # fmt: skip
    assert result.stdout.strip() == "[]"


def test_a_typst_error_in_the_pdf_template_names_the_template_line_and_writes_no_format(tmp_path, monkeypatch):
    """An editor's slip in the journal's Typst template is one message naming the template's line, not a traceback."""
    shutil.copytree(ROOT / "manuscript/pandoc", tmp_path / "manuscript/pandoc")
    monkeypatch.chdir(tmp_path)  # Typst compiles files under the working folder only
    template = Path("manuscript/pandoc/article.typ")
    good = template.read_text(encoding="utf-8")
    template.write_text(good + "#let broken = (\n", encoding="utf-8")
    Path("paper.md").write_text("---\ntitle: A\n---\n\nText.\n", encoding="utf-8")
    Path("references.json").write_text("[]", encoding="utf-8")
    with pytest.raises(BuildError) as error:
        formats = {"pdf": catalogue.formats()["pdf"].entry()}
        render_edition("paper.md", "references.json", catalogue.PANDOC_COMMON, formats, 0, pdf="paper.pdf")
    line = len(good.splitlines()) + 1
    assert str(error.value) == (
        f"{template}, line {line}: Typst cannot compile paper.pdf: unclosed delimiter (found «#let broken = (»)."
    )
    assert sorted(path.name for path in tmp_path.iterdir()) == ["manuscript", "paper.md", "references.json"]


def test_a_name_keyword_or_journal_with_quotes_or_a_backslash_reaches_the_pdfs_metadata(tmp_path, monkeypatch):
    """The PDF's template writes each author's name, keyword and its description (the journal, the issue, the DOI)
    into a Typst string: a name with its nickname in quotes ('Aigerim "Aika" Nurlanovna' in manuscript/metadata.yaml),
    or a journal's name with quotes, passed the input check, then stopped every edition late, once each, with Typst's
    'expected comma' in the Typst Pandoc wrote, naming no input."""
    shutil.copytree(ROOT / "manuscript/pandoc", tmp_path / "manuscript/pandoc")
    monkeypatch.chdir(tmp_path)  # Typst compiles files under the working folder only
    name, keyword = 'Aigerim "Aika" Nurlanovna', 'the "gig" economy #work \\\\ platforms'  # \\ is one backslash
    journal = 'Bulletin of "Turan" University · No. two'  # Pandoc reads "No. " with a non-breaking space
    meta = {"title": "A", "lang": "en", "contributors": [{"name": name}], "keywords": [keyword, "women"],
            "description": journal}  # fmt: skip
    Path("paper.md").write_text(f"---\n{json.dumps(meta)}\n---\n\nText.\n", encoding="utf-8")
    Path("references.json").write_text("[]", encoding="utf-8")
    formats = {"pdf": catalogue.formats()["pdf"].entry()}
    render_edition("paper.md", "references.json", catalogue.PANDOC_COMMON, formats, 0, pdf="paper.pdf")
    info = pypdf.PdfReader("paper.pdf").metadata
    printed = (name.replace('"Aika"', "“Aika”"), "the “gig” economy #work \\ platforms, women",
               journal.replace('"Turan"', "“Turan”"))  # fmt: skip  # Pandoc's smart quotes
    assert (info["/Author"], info["/Keywords"], info["/Subject"]) == printed
