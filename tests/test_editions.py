"""The three editions: the whole article in kk, ru and en, walking in step, each rebuilt only when it changes."""

from __future__ import annotations

import re

import pytest
from conftest import ROOT, record_checksums, snakemake
from gigpaper.errors import BuildError
from gigpaper.parity import check_parity, section_tokens

LANGS = ("kk", "ru", "en")
KAZAKH_ONLY = re.compile(r"[әғқңөұүһіӘҒҚҢӨҰҮҺІ]")
CYRILLIC = re.compile(r"[\u0400-\u04FF]")


def body(built, lang: str) -> str:
    """The rendered body of an edition (sections, figures, tables), without abstracts and references."""
    text = (built / f"manuscript/build/paper.{lang}.md").read_text(encoding="utf-8")
    return text[text.index("{#sec-introduction}") : text.index("{#references")]


def test_all_nine_files_build(built):
    for lang in LANGS:
        for fmt in ("html", "pdf", "docx"):
            assert (built / f"manuscript/build/paper.{lang}.{fmt}").stat().st_size > 10_000, (lang, fmt)


def test_the_editions_walk_in_step(built):
    structure = {}
    for lang in LANGS:
        text = (built / f"manuscript/build/paper.{lang}.md").read_text(encoding="utf-8")
        structure[lang] = {
            "sections": re.findall(r"\{#(sec-[a-z-]+)", text),
            "figures and tables": re.findall(r"\{#((?:fig|tbl)-\w+)", text),
            "citations": sorted(re.findall(r"(?<![\w\\])@([a-z][a-z0-9_]*)", text)),
            "abstracts": re.findall(r"\{#abstract-(\w+)", text),
        }
    for lang in ("ru", "en"):
        for what in ("sections", "figures and tables", "citations"):
            assert structure[lang][what] == structure["kk"][what], (lang, what)
        assert structure[lang]["abstracts"][0] == lang and sorted(structure[lang]["abstracts"]) == sorted(LANGS)
    for name in sorted(p.name for p in (ROOT / "manuscript/text/kk").glob("*.md")):
        tokens = {
            lang: section_tokens((ROOT / f"manuscript/text/{lang}/{name}").read_text(encoding="utf-8"))
            for lang in LANGS
        }
        assert tokens["ru"] == tokens["kk"] == tokens["en"], name


def test_russian_body_has_no_untranslated_kazakh_and_english_no_cyrillic(built):
    for sentence in re.split(r"(?<=[.!?])\s+", body(built, "ru")):
        assert not KAZAKH_ONLY.search(sentence), sentence
    for sentence in re.split(r"(?<=[.!?])\s+", body(built, "en")):
        assert not CYRILLIC.search(sentence), sentence


def test_each_html_edition_links_to_the_other_two(built):
    for lang in LANGS:
        html = (built / f"manuscript/build/paper.{lang}.html").read_text(encoding="utf-8")
        for other in set(LANGS) - {lang}:
            assert f'href="paper.{other}.html"' in html, (lang, other)
        references = {"kk": "Әдебиеттер", "ru": "Литература", "en": "References"}[lang]
        assert f">{references}</h2>" in html


def test_a_missing_section_or_label_fails_with_its_name(tmp_path):
    sections = [str(p) for p in sorted((ROOT / "manuscript/text").glob("*/*.md"))]
    labels = [str(ROOT / f"manuscript/labels/{lang}.yaml") for lang in LANGS]
    check_parity(sections, labels, list(LANGS), str(tmp_path / "ok.txt"))
    without = [p for p in sections if not p.endswith("ru/04.results.md")]
    with pytest.raises(BuildError, match=r"manuscript/text/ru/ lacks the section 04.results.md"):
        check_parity(without, labels, list(LANGS), str(tmp_path / "x.txt"))
    # The author drops the Conclusion from the kk text, the edition of record; the message said only 'manuscript/
    # text/ru/06.conclusion.md has no counterpart in manuscript/text/kk/.', as if the Russian file were the mistake.
    dropped = [p for p in sections if not p.endswith("kk/06.conclusion.md")]
    with pytest.raises(BuildError, match=r"^manuscript/text/ru/06.conclusion.md has no counterpart in manuscript/text/"
                       r"kk/, the text the other editions translate; to drop the section, delete its file in every "
                       r"language \(manuscript/text/\*/06.conclusion.md\), or else name it as the kk section"):  # fmt: skip
        check_parity(dropped, labels, list(LANGS), str(tmp_path / "z.txt"))
    broken = tmp_path / "en.yaml"
    broken.write_text(
        (ROOT / "manuscript/labels/en.yaml")
        .read_text()
        .replace("  figure2:\n    caption:", "  figure2:\n    title:", 1)
    )
    with pytest.raises(BuildError, match=r"lacks the labels \['figures.figure2.caption'\]"):
        check_parity(sections, [*labels[:2], str(broken)], list(LANGS), str(tmp_path / "y.txt"))


def test_edits_rebuild_what_they_touch_and_a_raw_value_reaches_everything(built_copy):
    project = built_copy
    build = project / "manuscript/build"

    def stamps() -> dict[str, int]:
        files = [*build.glob("paper.*.*"), *(project / "figures").glob("figure*")]
        return {p.name: p.stat().st_mtime_ns for p in files}

    # One English sentence: only the English edition is rebuilt.
    before = stamps()
    section = project / "manuscript/text/en/01.introduction.md"
    section.write_text(
        section.read_text(encoding="utf-8").replace("\n\n", "\n\nAn added sentence.\n\n", 1), encoding="utf-8"
    )
    snakemake(project)
    changed = {name for name, stamp in stamps().items() if stamp != before[name]}
    assert changed == {f"paper.en.{ext}" for ext in ("md", "html", "pdf", "docx", "xml")}

    # One raw value: Figure 2, the ledger and all three editions change together; Figure 1 does not.
    before = stamps()
    shares = project / "data/raw/ppmi2024_gender_by_occupation.csv"
    text = shares.read_text(encoding="utf-8")
    text = text.replace("2024,sales_marketing,women,33,", "2024,sales_marketing,women,37,")
    shares.write_text(text.replace("2024,sales_marketing,men,67,", "2024,sales_marketing,men,63,"), encoding="utf-8")
    record_checksums(project)
    snakemake(project)
    changed = {name for name, stamp in stamps().items() if stamp != before[name]}
    assert {n for n in changed if n.startswith("figure")} == {
        f"figure2.{lang}.{ext}" for lang in LANGS for ext in ("svg", "png", "pdf")
    }
    assert {f"paper.{lang}.{ext}" for lang in LANGS for ext in ("md", "html", "pdf", "docx", "xml")} <= changed
    assert not any(name.startswith("figure1") for name in changed)
    for lang in LANGS:
        assert "37%" in body(project, lang) and "33%" not in body(project, lang), lang
        assert "<!-- 37% -->" in (project / f"figures/figure2.{lang}.svg").read_text()
    ledger = (build / "claims_ledger.csv").read_text(encoding="utf-8")
    assert "ppmi_sales_marketing_women@figure 2,data,ppmi_sales_marketing_women,figure 2,37%,37%,37%" in ledger
