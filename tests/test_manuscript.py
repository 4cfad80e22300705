"""The Kazakh edition: the whole published article in HTML, PDF and DOCX, built from templates and data."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pypdf
import pytest
import yaml
from conftest import ROOT
from gigpaper.errors import BuildError, TemplateError
from gigpaper.prose_checks import typed_numbers
from gigpaper.tables import table_markdown
from published import abstract_sentences, body_sentences, edition_text
from test_clients import docx_text

FORMATS = ("html", "pdf", "docx")
SECTION_IDS = ["sec-introduction", "sec-literature-review", "sec-materials-methods", "sec-results",
               "sec-discussion", "sec-conclusion"]  # fmt: skip


class _Text(HTMLParser):
    """Visible text of an HTML page, and the URLs its images, scripts and styles load."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.loads: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "style"):
            self._skip += 1
        if tag in ("img", "script", "source", "iframe", "embed") and attrs.get("src"):
            self.loads.append(attrs["src"])
        if tag == "link" and attrs.get("href"):
            self.loads.append(attrs["href"])

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1
        if tag in ("p", "li", "h1", "h2", "td", "th", "div", "figcaption", "caption", "section", "br"):
            self.parts.append("\n")

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def html_text(path: Path) -> tuple[str, list[str]]:
    parser = _Text()
    parser.feed(path.read_text(encoding="utf-8"))
    return "".join(parser.parts), parser.loads


def pdf_text(path: Path) -> str:
    """The PDF's text without its running heads and page numbers, which cut sentences at page ends."""
    pages = []
    for page in pypdf.PdfReader(path).pages:
        lines = page.extract_text().splitlines()
        lines = [line for line in lines if "ISSN 1991-3494" not in line and not re.fullmatch(r"\s*\d+\s*", line)]
        pages.append("\n".join(lines))
    return "\n".join(pages)


def edition_texts(built: Path, lang: str) -> dict[str, str]:
    build = built / "manuscript/build"
    return {
        "html": html_text(build / f"paper.{lang}.html")[0],
        "pdf": pdf_text(build / f"paper.{lang}.pdf"),
        "docx": docx_text(build / f"paper.{lang}.docx"),
    }


@pytest.fixture(scope="module")
def kk(built) -> dict[str, str]:
    return edition_texts(built, "kk")


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_published_sentence_is_in_the_kazakh_edition(kk, fmt):
    text = edition_text(kk[fmt])
    expected = body_sentences() + [s for lang in ("en", "kk", "ru") for s in abstract_sentences(lang)]
    missing = [s for s in expected if s not in text]
    assert not missing, f"{len(missing)} of {len(expected)} published sentences missing from the {fmt}: {missing[:5]}"


@pytest.mark.parametrize("fmt", FORMATS)
def test_title_headings_captions_and_references(built, kk, fmt):
    text = re.sub(r"\s+", " ", kk[fmt])
    meta = yaml.safe_load((ROOT / "manuscript/metadata.yaml").read_text(encoding="utf-8"))
    labels = yaml.safe_load((ROOT / "manuscript/labels/kk.yaml").read_text(encoding="utf-8"))
    assert meta["title"]["kk"] in text
    for heading in ("Кіріспе", "Әдеби шолу", "Материалдар және негізгі әдістер", "Нәтижелер", "Талқылау",
                    "Қорытынды", "Abstract", "Аннотация", "Әдебиеттер"):  # fmt: skip
        assert heading in text, heading
    for caption in ("Кесте 1 – Қазақстанда платформалық жұмыспен қамту", "Сурет 1 – 2020–2024 жылдар аралығындағы",
                    "Сурет 2 – Цифрлық платформалардың тіркелген", "Кесте 2 – Қазақстанда жергілікті жерде",
                    "Ескерту: авторлар PPMI (2024) негізінде құрастырған"):  # fmt: skip
        assert caption in text, caption
    references = text[text.rindex(labels["references_heading"]) :]
    for entry in ("Schor, Juliet B.", "After the Gig", "Woodcock", "Kasipodaq. 2022", "Online Labour Index 2020"):
        assert entry in references, entry
    for number in ("500 мыңнан астам", "шамамен 40%", "90%", "52%", "68%", "20–30%", "25%"):
        assert number in text, number


def test_the_html_is_self_contained_and_describes_itself(built):
    page = built / "manuscript/build/paper.kk.html"
    html = page.read_text(encoding="utf-8")
    _, loads = html_text(page)
    assert loads, "the page embeds its figures and styles"
    assert all(url.startswith("data:") for url in loads), [u[:60] for u in loads if not u.startswith("data:")]
    assert '<html xmlns="http://www.w3.org/1999/xhtml" lang="kk"' in html
    assert 'id="TOC"' in html and 'name="viewport"' in html
    assert html.count("<figure") == 2 and html.count("<table") == 2
    assert html.count('alt="Онлайн еңбек индексі') == 1 and 'alt="Қазақстандағы цифрлық' in html and "<caption>" in html


def test_the_pdf_is_a_journal_article(built):
    reader = pypdf.PdfReader(built / "manuscript/build/paper.kk.pdf")
    assert len(reader.pages) >= 6
    second = reader.pages[1].extract_text()
    assert "ISSN 1991-3494" in second and "№ 2, 2025" in second, "running head with journal and issue"
    assert re.search(r"^\s*2\s*$", second, re.M), "page number"
    fonts = {f for page in reader.pages for f in (page["/Resources"].get("/Font") or {}).values()}
    assert fonts, "fonts are embedded"
    assert "\ufffd" not in "".join(page.extract_text() for page in reader.pages), "no broken glyphs"


def test_no_prose_template_types_a_number():
    for path in sorted((ROOT / "manuscript/text").rglob("*.md")):
        assert typed_numbers(path.read_text(encoding="utf-8")) == [], path


def test_values_from_data_render_literally(built):
    import pypandoc
    from gigpaper.files import load_labels
    from gigpaper.numbers import NumberRegistry

    rows = [{"name": "*Star*_Co <b> #1 $5 @home", "country_of_origin": "A|B", "service": "[x](y)",
             "raw_file": "t.csv", "raw_row": "2"}]  # fmt: skip
    registry = NumberRegistry.from_csv(str(built / "data/processed/numbers.csv"), "en")
    markdown = table_markdown("table2", rows, load_labels(ROOT / "manuscript/labels/en.yaml"), registry, "en.yaml")
    html = pypandoc.convert_text(markdown, "html", format="markdown")
    assert "*Star*_Co &lt;b&gt; #1 $5 @home" in html and "A|B" in html and "[x](y)" in html


def test_a_template_error_names_the_template():
    from gigpaper.templating import render

    with pytest.raises(TemplateError, match=r"labels/kk.yaml: figures.figure1.caption, line 1: undefined"):
        render("{{ n.missing }}", {"n": {}}, "labels/kk.yaml: figures.figure1.caption")
    with pytest.raises(BuildError):
        render("{{ n.x.thousands }}", {"n": {"x": None}}, "t")


def test_two_clean_builds_give_identical_bytes(built, rebuilt):
    from conftest import outputs

    first_outputs, second_outputs = outputs(built), outputs(rebuilt)
    assert first_outputs.keys() == second_outputs.keys()
    differ = [name for name in first_outputs if first_outputs[name] != second_outputs[name]]
    assert not differ, f"not byte-identical: {differ}"


def test_a_language_name_heading_word_or_keyword_is_printed_as_typed(tmp_path, monkeypatch):
    """The skeleton writes each language's name into a Pandoc attribute of its abstract's heading and the links between
    editions, under the labels' heading word, into raw HTML: a '"' in either ended the attribute, and what followed
    became one ('English" onmouseover="alert(document.domain)' in manuscript/labels/languages.yaml ran in the page).
    It wrote the keywords as Markdown: '@home work' in manuscript/metadata.yaml was a citation of a work 'home', which
    stopped the PDF late ('label <ref-home> does not exist'), and a ']' ended the keywords' line early; an '@' in the
    title was a citation too."""
    import pypandoc
    from gigpaper.manuscript import render_markdown

    hostile = '" onmouseover="alert(document.domain)'
    languages = yaml.safe_load((ROOT / "manuscript/labels/languages.yaml").read_text(encoding="utf-8"))
    languages["en"]["language_name"] += hostile
    labels = yaml.safe_load((ROOT / "manuscript/labels/kk.yaml").read_text(encoding="utf-8"))
    labels["editions_heading"] += hostile
    metadata = yaml.safe_load((ROOT / "manuscript/metadata.yaml").read_text(encoding="utf-8"))
    metadata["keywords"]["en"][:2] = ["@home work", "gender *equality*]"]
    metadata["title"]["en"] = "Gender equality @work, in the *gig economy*"  # cites no work; emphasis stays
    for name, tree in {"languages.yaml": languages, "kk.yaml": labels, "metadata.yaml": metadata}.items():
        (tmp_path / name).write_text(yaml.safe_dump(tree, allow_unicode=True), encoding="utf-8")
    (tmp_path / "numbers.csv").write_text("id,kind,value,low,high,unit\n", encoding="utf-8")
    monkeypatch.chdir(ROOT)  # the templates are named from the project's root
    abstracts = [f"manuscript/text/abstracts/{lang}.md" for lang in ("kk", "ru", "en")]
    render_markdown(
        "manuscript/templates/paper.md.j2", [], abstracts, str(tmp_path / "metadata.yaml"),
        str(tmp_path / "kk.yaml"), str(tmp_path / "languages.yaml"), str(tmp_path / "numbers.csv"), [], "en",
        ["kk", "ru", "en"], str(tmp_path / "paper.md"),
    )  # fmt: skip
    page = pypandoc.convert_file(str(tmp_path / "paper.md"), "html5", format="markdown", extra_args=["-s"])
    attributes: list[str] = []
    parser = HTMLParser()
    parser.handle_starttag = lambda tag, attrs: attributes.extend(name for name, _ in attrs)
    parser.feed(page)
    assert "onmouseover" not in attributes and "data-language-name" in attributes, page
    words = " ".join(page.split())
    assert "<strong>Keywords:</strong> @home work, gender *equality*], gig economy" in words, page
    assert 'content="@home work, gender *equality*], gig economy' in words, page  # the page's keywords
    assert "<title>Gender equality @work, in the gig economy</title>" in words, page
    assert '<h1 class="title">Gender equality @work, in the <em>gig economy</em></h1>' in words, page
