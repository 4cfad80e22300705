"""The published text stays the reference: the Kazakh edition is "as published" until a data or text
change makes it print something else, and then the build, the edition and the review page say so."""

from __future__ import annotations

import csv
import re
from pathlib import Path

from conftest import record_checksums, snakemake
from gigpaper.as_published import departures, registry_rows

FIGURE2 = "data/raw/ppmi2024_gender_by_occupation.csv"


def kk_report(project: Path) -> tuple[list[str], str]:
    """Build the kk edition's Markdown and the as-published report; the report's lines and the Markdown."""
    snakemake(project, "manuscript/build/paper.kk.md", "manuscript/build/as_published.txt")
    build = project / "manuscript/build"
    return (build / "as_published.txt").read_text(encoding="utf-8").splitlines(), (build / "paper.kk.md").read_text(
        encoding="utf-8"
    )


def test_the_shipped_kazakh_edition_is_as_published(built: Path) -> None:
    report = (built / "manuscript/build/as_published.txt").read_text(encoding="utf-8")
    assert report == "kk edition: as published\n"
    assert "edition-status" not in (built / "manuscript/build/paper.kk.md").read_text(encoding="utf-8")
    assert 'id="data-changed"' not in (built / "manuscript/build/review.html").read_text(encoding="utf-8")


def test_figure2_changed_to_45_55_is_data_changed_after_publication_not_the_articles_contradiction(
    built: Path, built_copy: Path
) -> None:
    path = built_copy / FIGURE2
    text = path.read_text(encoding="utf-8")
    text = text.replace("clerical_data_entry,women,40,", "clerical_data_entry,women,45,")
    path.write_text(text.replace("clerical_data_entry,men,60,", "clerical_data_entry,men,55,"), encoding="utf-8")
    record_checksums(built_copy)
    result = snakemake(built_copy)

    named = re.findall(r"published line (\d+) no longer matches the kk edition .*?: (\S+) is now (\d+)", result.stderr)
    assert named == [("555", "ppmi_clerical_data_entry_women", "45"), ("558", "ppmi_clerical_data_entry_men", "55")]
    assert result.stderr.count("the data were changed after publication") == 2
    markdown = (built_copy / "manuscript/build/paper.kk.md").read_text(encoding="utf-8")
    assert "edition-status: revised (departs from the published article at lines 555, 558)" in markdown
    assert "subtitle: Қайта қаралған басылым · " in markdown
    assert "edition-status" not in (built_copy / "manuscript/build/paper.ru.md").read_text(encoding="utf-8")
    jats = (built_copy / "manuscript/build/paper.kk.xml").read_text(encoding="utf-8")
    assert "<meta-name>edition-status</meta-name><meta-value>revised (departs" in jats
    assert "Қайта қаралған басылым" in (built_copy / "manuscript/build/paper.kk.html").read_text(encoding="utf-8")

    def findings(page: str) -> int:
        return int(re.search(r'<h2 id="findings">Findings \((\d+)\)</h2>', page).group(1))

    before = (built / "manuscript/build/review.html").read_text(encoding="utf-8")
    after = (built_copy / "manuscript/build/review.html").read_text(encoding="utf-8")
    changed = re.search(r'<h2 id="data-changed">(.*?)</ol>', after, re.DOTALL).group(1)
    assert "raw_value_differs_ppmi_clerical_data_entry_women" in changed
    assert "raw_value_differs_ppmi_clerical_data_entry_men" in changed
    assert findings(after) == findings(before)  # nothing of the change is blamed on the article
    article_findings = re.search(r'<h2 id="findings">.*?</ol>', after, re.DOTALL).group(0)
    assert "raw_value_differs" not in article_findings


def test_a_share_changed_in_a_sentence_over_three_lines_is_blamed_on_the_data(built: Path) -> None:
    # The author corrects Figure 2's software and technology shares (10/90 to 13/87), which the sentence starting on
    # published line 545 prints on line 547. Before, the build said 'published line 545 ...: its words are not in the
    # kk edition: the kk text was changed after publication', which the author never edited, then line 547 apart.
    changed = {"ppmi_software_dev_tech_women": 13.0, "ppmi_software_dev_tech_men": 87.0}
    registry = [{**row, "value": changed.get(row["id"], row["value"])}
                for row in registry_rows(built / "data/processed/numbers.csv")]  # fmt: skip
    markdown = (built / "manuscript/build/paper.kk.md").read_text(encoding="utf-8")
    markdown = markdown.replace("үлесі 90% құрайды, ал әйелдер тек 10%", "үлесі 87% құрайды, ал әйелдер тек 13%")
    sources = ("data/raw/published_article.kk.txt", "manuscript/errata.yaml", "manuscript/bibliography.yaml")
    found = departures(markdown, *(built / name for name in sources), registry)
    assert [(d.line, d.data_changed) for d in found] == [(545, tuple(sorted(changed)))]


def test_a_number_added_after_publication_makes_the_edition_revised_and_is_traced_to_its_source(built_copy):
    # A test value, cited to a work and page, that the published article does not print.
    numbers = built_copy / "data/raw/article_numbers.csv"
    numbers.write_text(numbers.read_text(encoding="utf-8") + "test_added_share,point,12,,,percent,ilo2021,p. 12,,,,\n",
                       encoding="utf-8")  # fmt: skip
    for lang in ("kk", "ru", "en"):
        text = built_copy / f"manuscript/text/{lang}/05.discussion.md"
        text.write_text(
            text.read_text(encoding="utf-8") + "\n\n{{ n.test_added_share }} [@ilo2021, 12].\n", encoding="utf-8"
        )
    record_checksums(built_copy)
    snakemake(
        built_copy, *(f"manuscript/build/{name}" for name in ("paper.kk.md", "as_published.txt", "claims_ledger.csv"))
    )
    build = built_copy / "manuscript/build"

    report = (build / "as_published.txt").read_text(encoding="utf-8").splitlines()
    assert report == [
        "kk edition: revised (adds the numbers test_added_share; adds a citation)",
        "the kk edition's citation in section «Талқылау» prints «@ilo2021, 12», which the published article does not "
        "print: the kk text cites it since publication",
        "the kk edition's numbers include test_added_share, which the published article does not print: 12, from "
        "ilo2021, p. 12, added after publication (data/raw/article_numbers.csv row 16)",
    ]
    markdown = (build / "paper.kk.md").read_text(encoding="utf-8")
    assert "edition-status: revised (adds the numbers test_added_share; adds a citation)" in markdown
    assert "\n12% [@ilo2021, 12].\n" in markdown  # the value the row holds, printed where the text asks for it
    with (build / "claims_ledger.csv").open(encoding="utf-8") as ledger:
        rows = [row for row in csv.DictReader(ledger) if row["registry_id"] == "test_added_share"]
    assert [(r["place"], r["value_kk"], r["value_en"]) for r in rows] == [("prose: 05.discussion", "12%", "12%")]
    assert {k: rows[0][k] for k in ("provenance", "obtained", "citation_key", "cited_locator", "source_line")} == {
        "provenance": "added after publication", "obtained": "added_after_publication", "citation_key": "ilo2021",
        "cited_locator": "p. 12", "source_line": "",
    }  # fmt: skip


def test_a_sentence_added_to_the_kk_text_makes_the_edition_revised(built_copy: Path) -> None:
    # The author adds a paragraph after review: the edition no longer is the published article, though it still
    # prints every published sentence. (It was "as published", in its front matter and in ./paper diff published.)
    added = "Бұл абзац мақалаға рецензиядан кейін қосылды."
    text = built_copy / "manuscript/text/kk/06.conclusion.md"
    text.write_text(text.read_text(encoding="utf-8") + f"\n{added}\n", encoding="utf-8")
    report, markdown = kk_report(built_copy)
    assert report == [
        "kk edition: revised (adds a sentence)",
        f"the kk edition's section «Қорытынды» prints «{added}», which the published article does not print: the "
        "kk text was added to after publication",
    ]
    assert "edition-status: revised (adds a sentence)" in markdown


def test_a_citations_page_corrected_after_publication_makes_the_edition_revised(built_copy: Path) -> None:
    # After review the author corrects the page cited of Schor (2020) in every language. Before, the edition still
    # called itself "as published" (a sentence is compared without its citations), though it cited a page the
    # published article does not; so with a work newly cited, whose entry the reference list then prints.
    for lang in ("kk", "ru", "en"):
        text = built_copy / f"manuscript/text/{lang}/02.literature_review.md"
        text.write_text(text.read_text(encoding="utf-8").replace("[@schor2020, 272]", "[@schor2020, 274]"),
                        encoding="utf-8")  # fmt: skip
    report, _ = kk_report(built_copy)
    assert report == [
        "kk edition: revised (departs from the published article at lines 159; adds a citation)",
        "published line 159 no longer matches the kk edition («@schor2020, 272…»): the kk edition no longer cites it "
        "so: the kk text was changed after publication (not recorded in manuscript/errata.yaml)",
        "the kk edition's citation in section «Әдеби шолу» prints «@schor2020, 274», which the published article does "
        "not print: the kk text cites it since publication",
    ]


def test_a_number_table_one_prints_changed_after_publication_makes_the_edition_revised(built_copy: Path) -> None:
    # The author corrects women's share of platform workers, which Table 1 prints (40% as published), and records the
    # checksum. Before, the edition printed the new share in Table 1 and still called itself "as published" (its
    # front matter, as_published.txt, ./paper diff published): the published lines of tables were not compared.
    numbers = built_copy / "data/raw/article_numbers.csv"
    text = numbers.read_text(encoding="utf-8")
    numbers.write_text(text.replace("women_share_platform_workers,approximate,40,", "women_share_platform_workers,"
                                    "approximate,42,"), encoding="utf-8")  # fmt: skip
    record_checksums(built_copy)
    report, markdown = kk_report(built_copy)
    assert report == [
        "kk edition: revised (departs from the published article at lines 357)",
        "published line 357 no longer matches the kk edition («Әйелдер платформалық жұмысшылардың шамамен 40% "
        "құрайды…»): women_share_platform_workers is now 42, from data/raw/article_numbers.csv row 3, column value: "
        "the data were changed after publication (not recorded in manuscript/errata.yaml)",
    ]
    assert "edition-status: revised (departs from the published article at lines 357)" in markdown


def test_a_table_cell_reworded_after_publication_makes_the_edition_revised(built_copy: Path) -> None:
    # The author rewords a cell of Table 2 (Glovo's service) and records the checksum. Before, the edition printed the
    # new words in Table 2 and still called itself "as published": the tables were not compared at all.
    table = built_copy / "data/raw/table2_platforms_kz.csv"
    text = table.read_text(encoding="utf-8")
    table.write_text(text.replace("glovo,Glovo,Испания,Азық-түлік жеткізу,", "glovo,Glovo,Испания,Тамақ жеткізу,"),
                     encoding="utf-8")  # fmt: skip
    record_checksums(built_copy)
    report, _ = kk_report(built_copy)
    assert report == [
        "kk edition: revised (changes a table's cell)",
        "the kk edition's cell of Кесте 2 prints «Тамақ жеткізу», which the published article does not print: the "
        "table was changed after publication",
    ]


def test_a_table_row_removed_or_moved_and_a_paragraph_moved_make_the_edition_revised(built_copy: Path) -> None:
    # The author drops Quick Work from Table 2 and lists Wolt before Glovo (each language's file, checksums recorded),
    # and moves a paragraph of the Conclusion after the next. Before, the edition still called itself "as published"
    # (its title block, as_published.txt, ./paper diff published): each sentence and cell it printed was published.
    for suffix in ("", ".ru", ".en"):
        table = built_copy / f"data/raw/table2_platforms_kz{suffix}.csv"
        rows = [row for row in table.read_text(encoding="utf-8").splitlines() if not row.startswith("quick_work,")]
        rows[2], rows[3] = rows[3], rows[2]
        table.write_text("\n".join(rows) + "\n", encoding="utf-8")
    record_checksums(built_copy)
    text = built_copy / "manuscript/text/kk/06.conclusion.md"
    paragraphs = text.read_text(encoding="utf-8").split("\n\n")
    paragraphs[2], paragraphs[3] = paragraphs[3], paragraphs[2]
    text.write_text("\n\n".join(paragraphs), encoding="utf-8")
    report, markdown = kk_report(built_copy)
    moved = "its words are in the kk edition, in another place: the kk text was moved after publication"
    assert [re.sub(r"«.*?…»", "«…»", line) for line in report] == [
        "kk edition: revised (departs from the published article at lines 594, 607, 659, 661, 664)",
        "published line 594 no longer matches the kk edition («…»): its row is printed in another place: the table "
        "was changed after publication (not recorded in manuscript/errata.yaml)",
        "published line 607 no longer matches the kk edition («…»): its row is not in the kk edition's table: the "
        "table was changed after publication (not recorded in manuscript/errata.yaml)",
        *(f"published line {line} no longer matches the kk edition («…»): {moved} (not recorded in "
          "manuscript/errata.yaml)" for line in (659, 661, 664)),
    ]  # fmt: skip
    assert "edition-status: revised (departs from the published article at lines 594, 607, 659" in markdown


def test_a_caption_reworded_after_publication_makes_the_edition_revised(built_copy: Path) -> None:
    # The author rewords Figure 2's caption in manuscript/labels/kk.yaml. Before, the edition printed it and still
    # called itself "as published": captions and notes were not compared.
    labels = built_copy / "manuscript/labels/kk.yaml"
    old = "Цифрлық платформалардың тіркелген қызметкерлерін кәсіптер бойынша гендерлік бөлу"
    new = "Цифрлық платформалардағы жұмысшылардың кәсіптер бойынша гендерлік бөлінісі"
    labels.write_text(labels.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    report, _ = kk_report(built_copy)
    assert report == [
        "kk edition: revised (changes a caption or note)",
        f"the kk edition's caption or note of Сурет 2 prints «Сурет 2 – {new[:60]}…», which the published article "
        "does not print: it was changed after publication",
    ]


def test_the_authors_filled_in_leave_the_edition_as_published(built_copy: Path) -> None:
    # The authors fill in their names in manuscript/metadata.yaml, as README invites them to. Before, the kk edition
    # became 'revised (adds the numbers [Testova Aigerim]{.author-name}, [Сынақ университеті]{.affiliation} ...)'
    # in its title block, each author's line read as a sentence the published article does not print.
    metadata = built_copy / "manuscript/metadata.yaml"
    authors = (
        "authors:\n- {name: Testova Aigerim, affiliation: {kk: Сынақ университеті, ru: Тестовый университет, en: Test "
        "University}, email: a.testova@example.org}\n- {name: Testov Daniyar, affiliation: {kk: Сынақ институты, ru: "
        "Тестовый институт, en: Test Institute}}\n"
    )
    metadata.write_text(metadata.read_text(encoding="utf-8").replace("authors: []\n", authors), encoding="utf-8")
    report, markdown = kk_report(built_copy)
    assert report == ["kk edition: as published"]
    assert "[Testov Daniyar]{.author-name}" in markdown
