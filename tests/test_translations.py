"""Translations know their kk source: an edit of the Kazakh makes exactly its ru/en translations
stale, in the build, in `./paper translations` and in translators' PO files."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from conftest import snakemake
from gigpaper.errors import BuildError
from gigpaper.worddiff import tokens, word_diff

KK = "manuscript/text/kk/04.results.md"
OLD, NEW = "мынадай түйінді нәтижелер алынды", "мынадай негізгі нәтижелер алынды"
STALE = {"manuscript/text/ru/04.results.md:3", "manuscript/text/en/04.results.md:3"}


def translations(project: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, "-m", "gigpaper.translations_cli", *args], cwd=project, capture_output=True, text=True
    )
    if check and result.returncode != 0:
        raise AssertionError(f"translations {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


def named(output: str) -> set[str]:
    """The ru/en FILE:LINE of every stale-translation line of a build's output."""
    return set(re.findall(r"stale translation: (\S+) translates manuscript/text/kk/04\.results\.md:3,", output))


def edit_kk_sentence(project: Path) -> None:
    path = project / KK
    text = path.read_text(encoding="utf-8")
    assert OLD in text
    path.write_text(text.replace(OLD, NEW), encoding="utf-8")


def markdown_bytes(project: Path) -> dict[str, bytes]:
    return {str(p.relative_to(project)): p.read_bytes() for p in sorted((project / "manuscript").rglob("*.md"))
            if "build" not in p.parts}  # fmt: skip


def test_the_shipped_translations_all_follow_their_source(built: Path) -> None:
    report = (built / "manuscript/build/translations.txt").read_text(encoding="utf-8").splitlines()
    assert re.fullmatch(r"(\d+) of \1 translations follow their kk source", report[0]), report[0]
    assert report[1:] == []


def test_a_kk_edit_names_exactly_its_translations_and_accept_clears_them(built_copy: Path) -> None:
    edit_kk_sentence(built_copy)
    result = snakemake(built_copy)
    lines = [line for line in result.stderr.splitlines() if line.startswith("stale translation:")]
    assert named(result.stderr) == STALE and len(lines) == 2, result.stderr[-3000:]
    page = (built_copy / "manuscript/build/review.html").read_text(encoding="utf-8")
    assert all(where in page for where in STALE)

    shown = translations(built_copy).stdout
    assert "[-түйінді-]{+негізгі+}" in shown and "2 of " in shown

    translations(built_copy, "--accept", "manuscript/text/ru/04.results.md:3")
    assert named(snakemake(built_copy).stderr) == {"manuscript/text/en/04.results.md:3"}
    translations(built_copy, "--accept", "all")
    assert "stale translation" not in snakemake(built_copy).stderr
    assert "All " in translations(built_copy).stdout


def test_a_ru_or_en_rewording_never_makes_a_translation_stale(built_copy: Path) -> None:
    path = built_copy / "manuscript/text/ru/04.results.md"
    path.write_text(path.read_text(encoding="utf-8").replace("ключевые результаты", "основные результаты"), "utf-8")
    assert "stale translation" not in snakemake(built_copy).stderr


def test_the_strict_setting_stops_the_build_with_the_same_names(built_copy: Path) -> None:
    edit_kk_sentence(built_copy)
    result = snakemake(built_copy, "--config", "translations_strict=True", check=False)
    assert result.returncode != 0
    assert named(result.stderr) == STALE, result.stderr[-3000:]
    assert "translations_strict" in result.stderr


def test_po_export_then_import_changes_no_byte_and_marks_stale_entries_fuzzy(project: Path) -> None:
    edit_kk_sentence(project)
    before = markdown_bytes(project)
    record_before = (project / "manuscript/translations.yaml").read_bytes()
    translations(project, "--export")
    for lang in ("ru", "en"):
        po = polib.pofile(str(project / f"manuscript/build/translations/{lang}.po"))
        fuzzy = po.fuzzy_entries()
        assert len(fuzzy) == 1 and fuzzy[0].occurrences == [(f"manuscript/text/{lang}/04.results.md", "3")]
        assert NEW in fuzzy[0].msgid and OLD in fuzzy[0].previous_msgid
        assert len(po) == len(po.translated_entries()) + len(fuzzy)
        checked = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", po.fpath], capture_output=True, text=True)
        assert checked.returncode == 0, checked.stderr  # GNU gettext's own check, as Poedit runs on save
        translations(project, "--import", f"manuscript/build/translations/{lang}.po")
    assert markdown_bytes(project) == before
    assert (project / "manuscript/translations.yaml").read_bytes() == record_before


def test_an_imported_translation_is_written_back_and_recorded_up_to_date(project: Path) -> None:
    edit_kk_sentence(project)
    translations(project, "--export")
    po_path = project / "manuscript/build/translations/ru.po"
    po = polib.pofile(str(po_path))
    entry = po.fuzzy_entries()[0]
    entry.msgstr = entry.msgstr.replace("ключевые", "основные")
    entry.flags.remove("fuzzy")
    label = next(e for e in po if e.msgctxt == "label figures.figure2.caption")
    label.msgstr = "Гендерное распределение: «новое»"
    po.save(str(po_path))
    result = translations(project, "--import", str(po_path))
    assert "2 translation(s) written back, 1 recorded as up to date" in result.stdout
    assert "основные результаты" in (project / "manuscript/text/ru/04.results.md").read_text(encoding="utf-8")
    assert 'caption: "Гендерное распределение: «новое»"' in (project / "manuscript/labels/ru.yaml").read_text("utf-8")
    shown = translations(project).stdout
    assert "manuscript/text/en/04.results.md:3" in shown and "manuscript/text/ru/04.results.md:3" not in shown


def test_an_imported_table_cell_records_its_own_files_checksum_and_no_others(project: Path) -> None:
    """The import recorded the checksum of every raw file: a share changed by accident in another table (which the
    checksum is there to catch) was recorded with the translator's cell, unsaid, and the build took it."""
    shares = project / "data/raw/ppmi2024_gender_by_occupation.csv"
    descriptor = project / "data/raw/datapackage.yaml"
    recorded = descriptor.read_text(encoding="utf-8")
    shares.write_text(shares.read_text(encoding="utf-8").replace(",60,", ",61,", 1), encoding="utf-8")
    translations(project, "--export")
    po_path = project / "manuscript/build/translations/ru.po"
    po = polib.pofile(str(po_path))
    entry = next(e for e in po if e.occurrences[0][0] == "data/raw/table2_platforms_kz.ru.csv")
    entry.msgstr += " (новое)"
    po.save(str(po_path))
    translations(project, "--import", str(po_path))
    changed = [line for line in descriptor.read_text(encoding="utf-8").splitlines() if line not in recorded]
    assert len(changed) == 1 and "table2_platforms_kz.ru.csv" in changed[0], changed


def test_the_translators_po_file_and_the_texts_it_writes_are_not_outputs_a_hand_edit_may_not_touch(built_copy):
    """Translating in the exported PO file, building meanwhile, importing, then rewording the imported text by
    hand: the build goes on each time. The export and the import used to record what they wrote as build outputs,
    so the next build refused it as 'changed after the build wrote it'."""
    translations(built_copy, "--export")
    po_path = built_copy / "manuscript/build/translations/ru.po"
    po = polib.pofile(str(po_path))
    entry = next(e for e in po if e.msgctxt == "04.results.md ¶2")
    entry.msgstr = entry.msgstr.replace("ключевые", "основные")
    po.save(str(po_path))  # as Poedit saves it
    assert "changed after the build wrote it" not in snakemake(built_copy, "--dry-run").stderr
    translations(built_copy, "--import", str(po_path))
    ru = built_copy / "manuscript/text/ru/04.results.md"
    ru.write_text(ru.read_text(encoding="utf-8").replace("основные", "главные"), encoding="utf-8")
    planned = snakemake(built_copy, "--dry-run")
    assert "changed after the build wrote it" not in planned.stderr and "render_markdown" in planned.stdout
    # A record an earlier import left for a source is not an output's: the text stays the author's.
    record = built_copy / "manuscript/build/.produced/manuscript/text/ru/04.results.md.sha256"
    record.parent.mkdir(parents=True, exist_ok=True)
    record.write_text("0" * 64 + "\n", encoding="utf-8")
    assert "changed after the build wrote it" not in snakemake(built_copy, "--dry-run").stderr


def test_a_po_file_with_unknown_references_is_refused_and_changes_nothing(project: Path) -> None:
    translations(project, "--export")
    po_path = project / "manuscript/build/translations/en.po"
    po = polib.pofile(str(po_path))
    po[0].msgctxt = "99.nowhere.md ¶1"
    po[1].msgstr = "Changed"
    po.save(str(po_path))
    before = markdown_bytes(project)
    result = translations(project, "--import", str(po_path), check=False)
    assert result.returncode == 1
    assert "1 entries name no unit of the en text; nothing was imported" in result.stderr
    assert "99.nowhere.md ¶1" in result.stderr and result.stderr.count("ERROR") == 1
    assert markdown_bytes(project) == before


def test_a_po_file_that_is_not_there_is_named_so(project: Path) -> None:
    result = translations(project, "--import", "manuscript/build/translations/ru.po", check=False)
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "ERROR: manuscript/build/translations/ru.po: no such file; give the PO file that ./paper translations "
        "--export wrote, translated."
    )


@pytest.mark.parametrize(
    "text", ["Әйелдер шамамен 40% құрайды", "более 500 000 человек в 2020–2024 годах", "gig-economy's 3.5 share"]
)
def test_the_word_diff_never_splits_a_word_or_a_number(text: str) -> None:
    changed = text.replace("40%", "45%").replace("500 000", "600 000").replace("3.5", "3.75")
    changed = changed.replace("құрайды", "құрады").replace("человек", "человека").replace("share", "shares")
    pieces = word_diff(text, changed)
    for op, piece in pieces:
        if op != "=":
            assert tokens(piece) and "".join(tokens(piece)) == piece
            assert all(t in tokens(text) + tokens(changed) for t in tokens(piece)), piece
    assert "".join(p for op, p in pieces if op != "+") == text
    assert "".join(p for op, p in pieces if op != "-") == changed


def test_the_word_diff_keeps_a_citation_whole() -> None:
    # a mark inside the brackets would leave no citation for Pandoc to read
    assert word_diff("Деректер [@ilo2021] бойынша.", "Деректер [@ilo2021, 12] бойынша.") == [
        ("=", "Деректер "), ("-", "[@ilo2021]"), ("+", "[@ilo2021, 12]"), ("=", " бойынша."),
    ]  # fmt: skip
    assert tokens("[x@y.kz](mailto:x@y.kz)")[:3] == ["[", "x", "@"]  # an e-mail address is no citation


def test_the_record_writes_a_kk_text_in_typographic_quotes_so_that_the_input_check_reads_it(tmp_path: Path) -> None:
    """The input check refuses a YAML value in typographic quotes left unquoted (a word processor's quotes typed as
    YAML's), which PyYAML writes so: a kk label printed in them would have made the record a file the check refuses."""
    from gigpaper.files import load_yaml
    from gigpaper.translations import write_record

    quoted = "\u201c\u0422\u044b\u0440\u043d\u0430\u049b\u0448\u0430\u0434\u0430\u201d"
    write_record({"ru": {"label figures.figure1.caption": "f"}, "sources": {"f": quoted}}, tmp_path / "record.yaml")
    assert load_yaml(tmp_path / "record.yaml")["sources"] == {"f": quoted}


ENTRY = 'msgctxt "01.introduction.md ¶1"\nmsgid "# Кіріспе {#sec-introduction}"\n'
QUOTES = (
    "expected its text in quotes, closed by a '\"' at the line's end, a '\"' within it written \\\" (polib would "
    "read it otherwise: a closing quote left out takes the text's last character with it); nothing was imported."
)


@pytest.mark.parametrize(
    ("entries", "said"),
    [(ENTRY + 'msgstr "# Введение в тему {#sec-introduction}\n',
      f"line 8: found 'msgstr \"# Введение в тему {{#sec-introduction}}'; {QUOTES}"),
     (ENTRY + 'msgstr "Введение" в тему"\n', f"line 8: found 'msgstr \"Введение\" в тему\"'; {QUOTES}"),
     # Two translations of one unit (a colleague's file pasted under one's own): the last was imported, the first lost.
     (ENTRY + 'msgstr "# Введение {#sec-introduction}"\n\n' + ENTRY + 'msgstr "# Введение снова {#sec-introduction}"\n',
      "line 10: msgctxt '01.introduction.md ¶1' again (its first entry is at line 6); expected each unit once, with "
      "one translation; nothing was imported.")],
    ids=["closing-quote-left-out", "quote-unescaped", "an-entry-twice"],
)  # fmt: skip
def test_a_po_file_msgfmt_refuses_is_refused_at_its_line_before_anything_is_written(
    tmp_path: Path, entries: str, said: str
) -> None:
    """polib reads a line's string as what lies between its first and last characters: a translator's msgstr whose
    closing quote was deleted was imported without its last character (the heading's '}', a paragraph's full stop),
    unsaid ('1 translation(s) written back'); of two entries of one unit, one was imported, unsaid. msgfmt refuses
    both."""
    from gigpaper.translation_po import import_po

    po = tmp_path / "ru.po"
    header = 'msgid ""\nmsgstr ""\n"Language: ru\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
    po.write_text(header + entries, encoding="utf-8")
    with pytest.raises(BuildError) as refused:
        import_po({}, [], po)
    assert str(refused.value) == f"{po}, {said}"


def test_a_translation_split_into_more_paragraphs_than_its_source_is_named(project: Path) -> None:
    path = project / "manuscript/text/en/04.results.md"
    path.write_text(path.read_text(encoding="utf-8").replace(". However,", ".\n\nHowever,", 1), encoding="utf-8")
    shown = translations(project).stdout
    assert "unpaired translation: manuscript/text/en/04.results.md has 8 paragraphs" in shown
    assert "manuscript/text/kk/04.results.md has 7" in shown


def test_label_nodes_are_read_as_pyyaml_reads_them_and_a_broken_file_is_named_with_its_line() -> None:
    """The labels are composed by LibYAML: each scalar's value, line and offset are what PyYAML's own loader gives
    (the PO export and import write at those offsets), and a syntax error keeps its words and line."""
    import yaml
    from conftest import ROOT
    from gigpaper.errors import BuildError
    from gigpaper.translations import yaml_scalars

    def scalars(node: yaml.Node, prefix: str = "") -> dict[str, tuple[str, int, int]]:
        if isinstance(node, yaml.MappingNode):
            return {
                k: v
                for key, value in node.value
                for k, v in scalars(value, f"{prefix}.{key.value}".lstrip(".")).items()
            }
        return (
            {prefix: (node.value, node.start_mark.line, node.start_mark.index)}
            if isinstance(node, yaml.ScalarNode)
            else {}
        )

    for lang in ("kk", "ru", "en"):
        path = ROOT / f"manuscript/labels/{lang}.yaml"
        text = path.read_text(encoding="utf-8")
        pure = scalars(yaml.compose(text, Loader=yaml.SafeLoader))
        assert len(pure) > 40
        assert {
            key: (n.value, n.start_mark.line, n.start_mark.index) for key, n in yaml_scalars(text, path).items()
        } == pure
    with pytest.raises(BuildError) as raised:
        yaml_scalars("figures:\n  figure1: [\n  caption: Сурет\n", "manuscript/labels/kk.yaml")
    assert str(raised.value).startswith("manuscript/labels/kk.yaml: not valid YAML (while parsing a flow sequence")
    assert "line 2, column 12:\n      figure1: [\n               ^\nexpected ',' or ']', but got" in str(raised.value)


def insert_paragraph(path: Path, index: int, text: str) -> None:
    paragraphs = path.read_text(encoding="utf-8").split("\n\n")
    path.write_text("\n\n".join([*paragraphs[:index], text, *paragraphs[index:]]), encoding="utf-8")


def test_a_kk_paragraph_added_makes_only_it_a_translators_job_not_every_paragraph_after_it(project: Path) -> None:
    # The author adds a paragraph to the kk conclusion, after its second paragraph (its heading is the first).
    # Before, every paragraph after it was called stale, each shown beside the wrong kk paragraph, and the PO file
    # offered each translation for the kk paragraph before its own, without the last kk paragraph at all.
    kk, name = project / "manuscript/text/kk/06.conclusion.md", "06.conclusion.md"
    insert_paragraph(kk, 2, "Бұл абзац мақалаға рецензиядан кейін қосылды.")
    added = f"manuscript/text/kk/{name}:5"
    shown = translations(project).stdout
    # Not "All ... follow their kk source" above the lines that say two files do not: it said so.
    assert shown.splitlines()[0].endswith(
        "paired translations follow their kk source; these paragraphs pair with none:"
    )
    assert not shown.startswith("All"), shown
    for lang in ("ru", "en"):
        assert (
            f"unpaired translation: manuscript/text/{lang}/{name} has 8 paragraphs" in shown
            and f"{added} was added since the translation; add its translation as a paragraph after "
            f"manuscript/text/{lang}/{name}:3"
            in shown
        ), shown
    translations(project, "--export")
    po = polib.pofile(str(project / "manuscript/build/translations/ru.po"))
    last_kk = kk.read_text(encoding="utf-8").split("\n\n")[-1].strip()
    last_ru = (project / f"manuscript/text/ru/{name}").read_text(encoding="utf-8").split("\n\n")[-1].strip()
    assert [(e.msgid, e.msgstr) for e in po if e.msgid == last_kk] == [(last_kk, last_ru)]
    assert not po.fuzzy_entries()

    # The translators add theirs where the build said: only those are stale, and accepting them leaves none.
    insert_paragraph(project / f"manuscript/text/ru/{name}", 2, "Этот абзац добавлен после рецензии.")
    insert_paragraph(project / f"manuscript/text/en/{name}", 2, "This paragraph was added after review.")
    shown = translations(project).stdout
    stale = re.findall(r"^(\S+) translates (\S+)$", shown, re.MULTILINE)
    assert stale == [(f"manuscript/text/ru/{name}:5", added), (f"manuscript/text/en/{name}:5", added)], shown
    assert "unpaired" not in shown
    translations(project, "--accept", added)
    assert "All " in translations(project).stdout

    # The author then deletes a paragraph: the translation's counterpart is named to delete, nothing is stale.
    paragraphs = kk.read_text(encoding="utf-8").split("\n\n")
    kk.write_text("\n\n".join(paragraphs[:3] + paragraphs[4:]), encoding="utf-8")
    shown = translations(project).stdout
    assert "translations follow their kk source" in shown.splitlines()[0], shown
    assert f"manuscript/text/ru/{name}:7 translates a kk paragraph since removed; delete it" in shown, shown


def test_a_section_renumbered_keeps_its_translations_up_to_date(project: Path) -> None:
    # The author puts a section before the conclusion, so the conclusion's file is renumbered in every language.
    # Before, every paragraph of its translations was stale, with no record of its kk source.
    for lang in ("kk", "ru", "en"):
        folder = project / "manuscript/text" / lang
        (folder / "06.conclusion.md").rename(folder / "07.conclusion.md")
    shown = translations(project).stdout
    assert shown.startswith("All "), shown
    record = project / "manuscript/translations.yaml"
    kk = project / "manuscript/text/kk/07.conclusion.md"
    kk.write_text(kk.read_text(encoding="utf-8").replace("Ақырында,", "Соңында,"), encoding="utf-8")
    assert re.findall(r"^(\S+) translates", translations(project).stdout, re.MULTILINE) == [
        "manuscript/text/ru/07.conclusion.md:13",
        "manuscript/text/en/07.conclusion.md:13",
    ]
    translations(project, "--accept", "all")  # the record now names the file as it is called
    text = record.read_text(encoding="utf-8")
    assert "06.conclusion.md" not in text and "07.conclusion.md ¶7" in text


def test_a_new_sections_paragraphs_are_named_as_having_no_record_not_as_changed(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The author adds a section in the three languages; no translation of it was ever accepted. The build said
    # "which changed since" of each paragraph, though there was nothing before; ./paper translations said "no record".
    from gigpaper.translations import check_translations

    texts = {"kk": "# Ұсыныстар {#sec-recommendations}", "ru": "# Рекомендации {#sec-recommendations}",
             "en": "# Recommendations {#sec-recommendations}"}  # fmt: skip
    for lang, heading in texts.items():
        (project / f"manuscript/text/{lang}/07.recommendations.md").write_text(heading + "\n", encoding="utf-8")
    kk = project / KK
    kk.write_text(kk.read_text(encoding="utf-8").replace(OLD, NEW), encoding="utf-8")
    monkeypatch.chdir(project)
    check_translations("manuscript/translations.yaml", "translations.txt", ["kk", "ru", "en"], strict=False)
    lines = (project / "translations.txt").read_text(encoding="utf-8").splitlines()[1:]
    assert lines == [
        f"stale translation: manuscript/text/{lang}/{name}:{line} translates manuscript/text/kk/{name}:{line}, {why}"
        for lang in ("ru", "en")
        for name, line, why in (
            ("04.results.md", 3, "which changed since"),
            ("07.recommendations.md", 1, "with no record of the kk text it was translated from"),
        )
    ], lines
    assert "  kk: (with no record of the kk text it was translated from)" in translations(project).stdout


def test_a_kk_paragraph_added_is_an_untranslated_po_entry_whose_import_inserts_it_in_place(project: Path) -> None:
    # Before, the export had no entry for a kk paragraph added since the translation: the translator had to add
    # the paragraph to the Markdown by hand, where the build said, and accept it.
    name = "06.conclusion.md"
    insert_paragraph(project / f"manuscript/text/kk/{name}", 2, "Бұл абзац мақалаға рецензиядан кейін қосылды.")
    assert ", 1 new (to translate)" in translations(project, "--export").stdout
    po_path = project / "manuscript/build/translations/ru.po"
    po = polib.pofile(str(po_path))
    new = [e for e in po if e.msgid == "Бұл абзац мақалаға рецензиядан кейін қосылды."]
    assert [(e.msgstr, e.flags, e.occurrences) for e in new] == [("", [], [(f"manuscript/text/ru/{name}", "3")])]
    assert po.untranslated_entries() == new and not po.fuzzy_entries()
    assert "inserted after manuscript/text/ru/06.conclusion.md:3" in new[0].comment
    checked = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(po_path)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr

    new[0].msgstr = "Этот абзац добавлен после рецензии."  # as Poedit saves a translated entry
    po.save(str(po_path))
    result = translations(project, "--import", str(po_path))
    assert f"1 recorded as up to date.\n  written: manuscript/text/ru/{name}:5\n" in result.stdout, result.stdout
    ru = (project / f"manuscript/text/ru/{name}").read_text(encoding="utf-8").split("\n\n")
    assert ru[2] == "Этот абзац добавлен после рецензии." and len(ru) == 9
    shown = translations(project).stdout
    assert f"manuscript/text/ru/{name}" not in shown and "manuscript/text/en/" in shown, shown  # en: still to do
    translations(project, "--export")
    assert not polib.pofile(str(po_path)).untranslated_entries()


def test_a_po_file_that_translates_some_of_the_new_kk_paragraphs_leaves_the_others_to_translate(project: Path) -> None:
    # The author adds three paragraphs to the kk conclusion; the Russian translator translates only the second in
    # Poedit and imports the file. Before, the Russian file then paired by position: six of its paragraphs were
    # called stale, each beside the wrong kk paragraph, and the two new kk paragraphs were no longer named.
    name, kk = "06.conclusion.md", project / "manuscript/text/kk/06.conclusion.md"
    news = ("Бірінші жаңа абзац.", "Екінші жаңа абзац.", "Үшінші жаңа абзац.")
    insert_paragraph(kk, 2, news[0])
    insert_paragraph(kk, 5, news[1])
    insert_paragraph(kk, 6, news[2])
    translations(project, "--export")
    po_path = project / "manuscript/build/translations/ru.po"
    po = polib.pofile(str(po_path))
    next(e for e in po if e.msgid == news[1]).msgstr = "Второй новый абзац."
    po.save(str(po_path))
    result = translations(project, "--import", str(po_path))
    assert f"1 recorded as up to date.\n  written: manuscript/text/ru/{name}:9\n" in result.stdout, result.stdout
    shown = translations(project).stdout
    assert shown.startswith("The ") and shown.splitlines()[0].endswith("these paragraphs pair with none:"), shown
    assert [line.split("; ", 1)[1] for line in shown.splitlines() if f"text/ru/{name}" in line] == [
        f"manuscript/text/kk/{name}:5 was added since the translation; add its translation as a paragraph after "
        f"manuscript/text/ru/{name}:3",
        f"manuscript/text/kk/{name}:13 was added since the translation; add its translation as a paragraph after "
        f"manuscript/text/ru/{name}:9",
    ], shown

    # The rest, in a second round: every paragraph in its place, each translation following its kk source.
    translations(project, "--export")
    po = polib.pofile(str(po_path))
    assert [e.msgid for e in po.untranslated_entries()] == [news[0], news[2]]
    for entry, text in zip(po.untranslated_entries(), ("Первый новый абзац.", "Третий новый абзац."), strict=True):
        entry.msgstr = text
    po.save(str(po_path))
    translations(project, "--import", str(po_path))
    ru = (project / f"manuscript/text/ru/{name}").read_text(encoding="utf-8").split("\n\n")
    assert [ru[2], ru[5], ru[6]] == ["Первый новый абзац.", "Второй новый абзац.", "Третий новый абзац."], ru
    assert "manuscript/text/ru/" not in translations(project).stdout


def test_a_kk_paragraph_moved_is_named_as_moved_not_as_reworded(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The reviewer asked for the third paragraph of the literature review to come after the fifth; the author moved it
    # and changed no word. Before, each translation of the three paragraphs was "stale ... which changed since", beside
    # a word diff of two unrelated paragraphs ('kk change: [-Технологиялық-]{+Еуропалық+} ...'), a rewording to do.
    from gigpaper.translations import check_translations

    name = "02.literature_review.md"
    kk = project / f"manuscript/text/kk/{name}"
    heading, *rest = kk.read_text(encoding="utf-8").rstrip("\n").split("\n\n")
    kk.write_text("\n\n".join([heading, rest[0], *rest[2:4], rest[1], *rest[4:]]) + "\n", encoding="utf-8")
    monkeypatch.chdir(project)
    check_translations("manuscript/translations.yaml", "translations.txt", ["kk", "ru"], strict=False)
    lines = (project / "translations.txt").read_text(encoding="utf-8").splitlines()[1:]
    assert lines == [
        f"stale translation: manuscript/text/ru/{name}:{line} translates manuscript/text/kk/{name}:{line}, which moved "
        f"here since from paragraph {before} of the file, its words unchanged: its translation goes here"
        for line, before in ((5, 4), (7, 5), (9, 3))
    ], lines
    shown = translations(project).stdout
    assert "kk change" not in shown and "  kk moved: from paragraph 3 of the file, its words unchanged" in shown, shown
    translations(project, "--export")
    moved = next(e for e in polib.pofile(str(project / "manuscript/build/translations/ru.po")) if e.msgid == rest[1])
    assert moved.comment == "The kk paragraph moved here since from paragraph 3 of the file, its words unchanged."

    # The translator moves the Russian paragraph as the kk one moved, and says so: all follow their source.
    ru = project / f"manuscript/text/ru/{name}"
    heading, *rest = ru.read_text(encoding="utf-8").rstrip("\n").split("\n\n")
    ru.write_text("\n\n".join([heading, rest[0], *rest[2:4], rest[1], *rest[4:]]) + "\n", encoding="utf-8")
    translations(project, "--accept", f"manuscript/text/kk/{name}:9")
    assert f"manuscript/text/ru/{name}:9" not in translations(project).stdout


def test_a_kk_paragraph_added_after_one_removed_and_its_translation_deleted_is_named_to_translate(
    project: Path,
) -> None:
    # The author deleted a paragraph of the kk conclusion; the translators deleted theirs, as the build said, and all
    # followed their source, nothing to accept. Later the author added a paragraph. Before, the record (still of the
    # file before the deletion, as many paragraphs as the kk file now) paired by position: four ru/en paragraphs
    # called stale beside the wrong kk paragraphs, and 'paragraphs pair by position, so split or join them'.
    name = "06.conclusion.md"
    for lang in ("kk", "ru", "en"):
        path = project / f"manuscript/text/{lang}/{name}"
        paragraphs = path.read_text(encoding="utf-8").split("\n\n")
        path.write_text("\n\n".join(paragraphs[:3] + paragraphs[4:]), encoding="utf-8")
    assert translations(project).stdout.startswith("All ")
    insert_paragraph(project / f"manuscript/text/kk/{name}", 2, "Бұл абзац мақалаға рецензиядан кейін қосылды.")
    shown = translations(project).stdout
    assert shown.startswith("The ") and shown.splitlines()[0].endswith("these paragraphs pair with none:"), shown
    assert [line.split("; ", 1)[1] for line in shown.splitlines() if line.startswith("unpaired")] == [
        f"manuscript/text/kk/{name}:5 was added since the translation; add its translation as a paragraph after "
        f"manuscript/text/{lang}/{name}:3"
        for lang in ("ru", "en")
    ], shown
    translations(project, "--export")
    po_path = project / "manuscript/build/translations/ru.po"
    po = polib.pofile(str(po_path))
    po.untranslated_entries()[0].msgstr = "Этот абзац добавлен после рецензии."
    po.save(str(po_path))
    translations(project, "--import", str(po_path))
    assert "manuscript/text/ru/" not in translations(project).stdout
    assert (project / f"manuscript/text/ru/{name}").read_text(encoding="utf-8").split("\n\n")[2].startswith("Этот")
