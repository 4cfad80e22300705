"""The editions opened as an editor opens them: DOCX in LibreOffice, HTML in Chromium, PDF through
poppler and pypdf, JATS through an XML parser; and the authors rendered in every format.

The clients are Debian packages that `./paper test` installs when a tool is missing. Where one is
not installed (a machine where the tests do not run as root), its tests are skipped, except on CI
(CI=true), where a missing client fails.
"""

from __future__ import annotations

import csv
import html
import os
import re
import shutil
import statistics
import subprocess
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

import pypdf
import pytest
import yaml
from conftest import ROOT, snakemake
from gigpaper.errors import BuildError
from test_jats import jats_errors

LANGS = ("kk", "ru", "en")
A4_PT = (595.3, 841.9)
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def client(tool: str) -> str:
    """The path of a client program; skip the test without it (fail on CI, which installs it)."""
    path = shutil.which(tool)
    if path is None:
        message = f"{tool} is not installed: ./paper test installs it (Debian packages, as root)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path


def docx_text(path: str | Path) -> str:
    """The visible text of a DOCX, paragraph by paragraph."""
    with zipfile.ZipFile(path) as archive:
        xml = archive.read("word/document.xml").decode("utf-8")
    paragraphs = re.findall(r"<w:p[ >].*?</w:p>", xml, re.S)
    return "\n".join("".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", p)) for p in paragraphs)


def edition(built: Path, lang: str, fmt: str) -> Path:
    return built / f"manuscript/build/paper.{lang}.{fmt}"


def figure_alts(markdown: str) -> dict[str, str]:
    """Alt text of each figure as the edition's Markdown gives it, by figure id."""
    return dict(re.findall(r'\{#fig-(figure\d) alt="([^"]*)"', markdown))


# --- DOCX in LibreOffice -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def docx_as_pdf(built: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each DOCX converted to PDF by headless LibreOffice (a fresh profile, as on a clean machine)."""
    soffice = client("soffice")
    out = tmp_path_factory.mktemp("libreoffice")
    docx = [str(edition(built, lang, "docx")) for lang in LANGS]
    result = subprocess.run(
        [soffice, "--headless", "--norestore", f"-env:UserInstallation={(out / 'profile').as_uri()}",
         "--convert-to", "pdf", "--outdir", str(out), *docx],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    converted = {lang: out / f"paper.{lang}.pdf" for lang in LANGS}
    for lang, path in converted.items():
        assert path.exists(), f"LibreOffice did not convert paper.{lang}.docx: {result.stdout} {result.stderr}"
    return converted


def pdf_fonts(path: Path) -> list[tuple[str, bool]]:
    """(font name without its subset prefix, embedded) of every font in a PDF, read by poppler's pdffonts."""
    lines = subprocess.run([client("pdffonts"), str(path)], capture_output=True, text=True, check=True).stdout
    fonts = []
    for line in lines.splitlines()[2:]:
        fields = line.split()
        # name, type (one or two words), encoding, then emb sub uni (yes/no) and the object id
        embedded = fields[-5] == "yes"
        fonts.append((fields[0].split("+", 1)[-1], embedded))
    return fonts


def test_docx_opens_in_libreoffice_on_a4_in_the_serif_face(docx_as_pdf):
    for lang, path in docx_as_pdf.items():
        reader = pypdf.PdfReader(path)
        assert len(reader.pages) > 5, lang
        for number, page in enumerate(reader.pages, 1):
            size = (float(page.mediabox.width), float(page.mediabox.height))
            assert size == pytest.approx(A4_PT, abs=1), f"paper.{lang}.docx page {number} is {size} pt, not A4"
        # Every face LibreOffice set the text in is Times New Roman or its metric twin Liberation Serif
        # (OpenSymbol draws list bullets): no theme face such as Aptos, Calibri or Cambria.
        faces = {name for name, _ in pdf_fonts(path)}
        assert faces, lang
        for face in faces:
            assert face.startswith(("TimesNewRoman", "LiberationSerif", "OpenSymbol")), (lang, face)


def test_libreoffice_shows_the_docx_running_head_and_page_numbers(docx_as_pdf):
    for lang in LANGS:
        reader = pypdf.PdfReader(docx_as_pdf[lang])
        second = reader.pages[1].extract_text().split("\n")
        assert "ISSN 1991-3494" in second[0], (lang, second[:2])
        assert second[-1].strip() == "2", (lang, second[-2:])


def test_docx_heading_styles_are_black_serif_and_links_blue(built):
    with zipfile.ZipFile(edition(built, "kk", "docx")) as archive:
        styles = archive.read("word/styles.xml").decode("utf-8")
        theme = archive.read("word/theme/theme1.xml").decode("utf-8")
        document = archive.read("word/document.xml").decode("utf-8")
    for style in ("Title", "Heading1", "Heading2"):
        xml = re.search(rf'<w:style\b[^>]*w:styleId="{style}".*?</w:style>', styles, re.S).group(0)
        assert 'w:ascii="Times New Roman"' in xml and "Theme=" not in xml, style
        assert "themeColor" not in xml, style
    link = re.search(r'<w:style\b[^>]*w:styleId="Hyperlink".*?</w:style>', styles, re.S).group(0)
    assert '<w:color w:val="1F4E79"' in link
    theme_faces = re.findall(r'<a:(?:major|minor)Font>\s*<a:latin typeface="([^"]*)"', theme)
    assert theme_faces == ["Times New Roman", "Times New Roman"], theme_faces
    # Word takes the page from the DOCX (LibreOffice falls back to its locale's): A4 in twentieths of a point.
    page = re.search(r"<w:pgSz\b[^>]*>", document)
    assert page and 'w:w="11906"' in page.group(0) and 'w:h="16838"' in page.group(0), "the DOCX's page is not A4"


def test_libreoffice_keeps_every_word_of_the_kazakh_table_whole(built, docx_as_pdf):
    """Table 1's first column is wide enough for its longest word ("Экономикалық", not "Экономикалы|қ")."""
    table = (built / "manuscript/build/tables/table1.kk.md").read_text(encoding="utf-8")
    rows = [line.split("|")[1:-1] for line in table.splitlines() if line.startswith("|")][2:]
    words = {word for row in rows for word in row[0].split() if len(word) > 6}
    text = subprocess.run(
        [client("pdftotext"), "-layout", str(docx_as_pdf["kk"]), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert words
    for word in sorted(words):
        assert word in text, f"LibreOffice breaks «{word}» inside the first column of Table 1"


# --- HTML in Chromium ----------------------------------------------------------------------------

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]  # fmt: skip
# Headless Chromium will not make its window narrower than 500 px, so the page is laid out in an
# iframe of the phone's width (its media queries see that width); srcdoc keeps the frame same-origin
# so the outer page can measure it. Measured: the page's scroll width against its visible width, the
# right edge of every element (but what a figure's own scroll box holds: a figure keeps its size on a
# phone and scrolls in that box), and how far any table scrolls sideways within itself.
MEASURE = """<!DOCTYPE html><html><body style="margin:0">
<iframe id="page" style="width:{width}px;height:3000px;border:0" srcdoc="{page}"></iframe>
<script>document.getElementById("page").addEventListener("load", () => {{
  const d = document.getElementById("page").contentDocument.documentElement;
  const inScrollBox = e => e.parentElement && e.parentElement.closest(".figure-scroll");
  const right = Math.max(...[...d.querySelectorAll("body *")].filter(e => !inScrollBox(e)).map(e => e.getBoundingClientRect().right));
  const tables = Math.max(0, ...[...d.querySelectorAll("table")].map(t => t.scrollWidth - t.clientWidth));
  document.body.setAttribute("data-measured", [d.scrollWidth, d.clientWidth, Math.ceil(right), tables].join(" "));
}});</script></body></html>"""


def chromium_layout(page: Path, width: int, tmp_path: Path) -> dict[str, int]:
    chromium = client("chromium")
    frame = tmp_path / f"measure-{page.stem}-{width}.html"
    frame.write_text(MEASURE.format(width=width, page=html.escape(page.read_text(encoding="utf-8"))), encoding="utf-8")
    result = subprocess.run(
        [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / f'chromium-{width}'}",
         f"--window-size={max(width, 800)},3000", "--virtual-time-budget=10000", "--dump-dom", frame.as_uri()],
        capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    found = re.search(r'data-measured="(\d+) (\d+) (-?\d+) (\d+)"', result.stdout)
    assert found, f"Chromium did not lay out {page.name}: {result.stderr[-2000:]}"
    scroll, visible, right, table_scroll = map(int, found.groups())
    return {"scroll": scroll, "visible": visible, "right": right, "table_scroll": table_scroll}


@pytest.mark.parametrize("width", [1280, 390])
def test_html_does_not_overflow_the_page_in_chromium(built, tmp_path, width):
    for lang in LANGS:
        layout = chromium_layout(edition(built, lang, "html"), width, tmp_path)
        assert layout["visible"] > width * 0.9, (lang, width, layout)
        assert layout["scroll"] <= layout["visible"], f"paper.{lang}.html scrolls sideways at {width} px: {layout}"
        assert layout["right"] <= layout["visible"], f"paper.{lang}.html: an element sticks out at {width} px: {layout}"
        assert layout["table_scroll"] == 0, f"paper.{lang}.html: a table scrolls, its caption away, at {width} px"


@pytest.mark.parametrize("width", [1280, 390])
def test_the_review_page_does_not_scroll_sideways(built, tmp_path, width):
    """Its wide tables scroll inside their own regions; the page itself never does, on a phone neither."""
    layout = chromium_layout(built / "manuscript/build/review.html", width, tmp_path)
    assert layout["visible"] > width * 0.9, layout
    assert layout["scroll"] <= layout["visible"], f"review.html scrolls sideways at {width} px: {layout}"


class _Outline(HTMLParser):
    """Headings, contents-list entries and links of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.headings: list[str] = []
        self.toc: list[str] = []
        self.links: list[str] = []
        self._in_toc = 0
        self._toc_entry: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(tag)
        if tag == "nav" and attrs.get("id") == "TOC":
            self._in_toc = 1
        elif tag == "nav" and self._in_toc:
            self._in_toc += 1
        if tag == "a":
            self.links.append(attrs.get("href") or "")
            if self._in_toc:
                self._toc_entry = []

    def handle_endtag(self, tag):
        if tag == "nav" and self._in_toc:
            self._in_toc -= 1
        if tag == "a" and self._toc_entry is not None:
            self.toc.append(" ".join("".join(self._toc_entry).split()))
            self._toc_entry = None

    def handle_data(self, data):
        if self._toc_entry is not None:
            self._toc_entry.append(data)


def test_html_has_one_h1_a_contents_list_of_distinct_entries_and_linked_references(built):
    for lang in LANGS:
        outline = _Outline()
        outline.feed(edition(built, lang, "html").read_text(encoding="utf-8"))
        assert outline.headings.count("h1") == 1, (lang, outline.headings)
        assert outline.headings.count("h2") >= 9, (lang, outline.headings)  # three abstracts, six sections, references
        assert len(outline.toc) == len(set(outline.toc)), f"paper.{lang}.html repeats a contents entry: {outline.toc}"
        # Every "Table N" / "Figure N" the text writes ({{ ref.<name> }}) links to its table or figure.
        named = set(
            re.findall(
                r"\{\{\s*ref\.(\w+)", "".join(p.read_text() for p in (ROOT / f"manuscript/text/{lang}").glob("*.md"))
            )
        )
        assert named
        for name in named:
            target = f"#{'fig' if name.startswith('figure') else 'tbl'}-{name}"
            assert target in outline.links, f"paper.{lang}.html: no link to {target} in the text"
        assert "https://doi.org/10.32014/2025.2518-1467.941" in outline.links, lang


def test_html_and_pdf_metadata_carry_no_line_breaks(built):
    for lang in LANGS:
        page = edition(built, lang, "html").read_text(encoding="utf-8")
        for name in ("keywords", "author"):
            for content in re.findall(rf'<meta name="{name}" content="([^"]*)"', page, re.S):
                assert "\n" not in content, (lang, name, content)
        info = pypdf.PdfReader(edition(built, lang, "pdf")).metadata
        for key in ("/Title", "/Subject", "/Keywords"):
            assert info[key] and "\n" not in info[key], (lang, key, info[key])
        assert "\n" not in info.get("/Author", ""), lang


# --- PDF through poppler and pypdf ---------------------------------------------------------------


def structure(reader: pypdf.PdfReader) -> list[dict]:
    """Every element of the PDF's tag tree, depth first: its type, /Lang and /Alt."""
    found = []

    def walk(node) -> None:
        node = node.get_object()
        if isinstance(node, pypdf.generic.ArrayObject):
            for kid in node:
                walk(kid)
            return
        if not isinstance(node, pypdf.generic.DictionaryObject) or node.get("/Type") in ("/MCR", "/OBJR"):
            return
        if "/S" in node:
            found.append({"type": node["/S"], "lang": node.get("/Lang"), "alt": node.get("/Alt")})
        if "/K" in node:
            walk(node["/K"])

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return found


def test_pdf_embeds_every_font_and_tags_figures_and_abstract_languages(built):
    for lang in LANGS:
        path = edition(built, lang, "pdf")
        fonts = pdf_fonts(path)
        assert fonts and all(embedded for _, embedded in fonts), (lang, fonts)
        reader = pypdf.PdfReader(path)
        assert reader.trailer["/Root"]["/Lang"] == lang
        tags = structure(reader)
        markdown = edition(built, lang, "md").read_text(encoding="utf-8")
        figures = [tag["alt"] for tag in tags if tag["type"] == "/Figure"]
        assert figures == list(figure_alts(markdown).values()), lang
        # The other two abstracts' headings and paragraphs carry their own language.
        tagged = {tag["lang"] for tag in tags if tag["lang"] and tag["type"] in ("/H1", "/P")}
        assert tagged == set(LANGS) - {lang}, (lang, tagged)


def widest_word_gaps(pdf: Path) -> list[tuple[float, str]]:
    """(widest gap between two words, line) of every justified line, from poppler's word boxes.

    A block's last line is not stretched and is left out; so is the gap after a list bullet."""
    xml = subprocess.run(
        [client("pdftotext"), "-bbox-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    root = ElementTree.fromstring(re.sub(r'\sxmlns="[^"]+"', "", xml, count=1))
    lines = []
    for block in root.iter("block"):
        for line in list(block.iter("line"))[:-1]:
            words = line.findall("word")
            if len(words) < 4:
                continue
            gaps = [
                float(b.get("xMin")) - float(a.get("xMax"))
                for a, b in zip(words, words[1:], strict=False)
                if a.text != "•"
            ]
            lines.append((max(gaps), " ".join(w.text for w in words)))
    return lines


def test_justified_lines_have_no_wide_word_gaps(built):
    """Typst has no Kazakh hyphenation: the justification limits of article.typ keep every word gap
    of every edition under half the body size (unlimited, the Kazakh PDF had gaps of over 1 em)."""
    body_pt = float(
        re.search(r"size: ([\d.]+)pt, lang:", (ROOT / "manuscript/pandoc/article.typ").read_text()).group(1)
    )
    for lang in LANGS:
        lines = widest_word_gaps(edition(built, lang, "pdf"))
        assert len(lines) > 200, lang
        gap, line = max(lines)
        assert gap < 0.5 * body_pt, f"paper.{lang}.pdf: a gap of {gap:.1f} pt in «{line}»"
        # and the usual gap is an ordinary space, not a stretched one
        assert statistics.median(g for g, _ in lines) < 0.4 * body_pt, lang


# --- Authors, with two invented test authors in a temporary copy -------------------------------

TEST_AUTHORS = [
    {"name": "Testova Aigerim", "affiliation": {"kk": "Сынақ университеті", "ru": "Тестовый университет",
     "en": "Test University"}, "orcid": "0000-0002-1825-0097", "email": "a.testova@example.org"},
    {"name": "Testov Daniyar", "affiliation": {"kk": "Сынақ институты", "ru": "Тестовый институт",
     "en": "Test Institute"}},
]  # fmt: skip


def with_authors(project: Path, authors: list) -> None:
    path = project / "manuscript/metadata.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"(?m)^authors: \[\]$", lambda _: yaml.safe_dump({"authors": authors}, allow_unicode=True),
                           text), encoding="utf-8")  # fmt: skip
    assert yaml.safe_load(path.read_text(encoding="utf-8"))["authors"] == authors


def test_authors_with_affiliation_orcid_and_email_reach_every_format(built_copy):
    project = built_copy  # authors filled in after a build: the next build remakes the edition with them
    with_authors(project, TEST_AUTHORS)
    targets = [f"manuscript/build/paper.ru.{fmt}" for fmt in ("html", "pdf", "docx", "xml")]
    # and what else reads the editions' Markdown, where the e-mail stands as a link "[a@b](mailto:a@b)"
    snakemake(project, *targets, "manuscript/build/claims_ledger.csv", "manuscript/build/as_published.txt")
    build = project / "manuscript/build"
    with (build / "claims_ledger.csv").open(encoding="utf-8") as ledger:
        cited = {row["citation_key"] for row in csv.DictReader(ledger) if row["category"] == "citation"}
    assert cited and cited <= {
        ref["id"]
        for ref in yaml.safe_load((project / "manuscript/bibliography.yaml").read_text(encoding="utf-8"))["references"]
    }
    first, second = TEST_AUTHORS
    page = (build / "paper.ru.html").read_text(encoding="utf-8")
    for text in (first["name"], second["name"], "Тестовый университет", "Тестовый институт"):
        assert text in page, text
    assert 'href="https://orcid.org/0000-0002-1825-0097"' in page and 'href="mailto:a.testova@example.org"' in page
    # the author lines stand in the title block, before the contents list; the page's metadata names them
    assert page.index(first["name"]) < page.index('id="TOC"')
    assert re.findall(r'<meta name="author" content="([^"]*)"', page) == [first["name"], second["name"]]
    placeholder = yaml.safe_load((ROOT / "manuscript/labels/ru.yaml").read_text(encoding="utf-8"))[
        "authors_placeholder"
    ]
    assert html.escape(placeholder) not in page, "the placeholder stands beside real authors"
    reader = pypdf.PdfReader(build / "paper.ru.pdf")
    assert reader.metadata["/Author"] == f"{first['name']}, {second['name']}"
    first_page = reader.pages[0].extract_text()
    for text in (first["name"], second["name"], "Тестовый университет", "0000-0002-1825-0097", "a.testova@example.org"):
        assert text in first_page, text
    with zipfile.ZipFile(build / "paper.ru.docx") as archive:
        assert f"<dc:creator>{first['name']}" in archive.read("docProps/core.xml").decode("utf-8")
    words = docx_text(build / "paper.ru.docx")
    for text in (first["name"], "Тестовый институт", "0000-0002-1825-0097", "a.testova@example.org"):
        assert text in words, text
    contribs = ElementTree.parse(build / "paper.ru.xml").getroot().findall("front/article-meta/contrib-group/contrib")
    assert [c.findtext("string-name") for c in contribs] == [first["name"], second["name"]]
    assert contribs[0].findtext("contrib-id[@contrib-id-type='orcid']") == "https://orcid.org/0000-0002-1825-0097"
    assert contribs[0].findtext("email") == "a.testova@example.org"
    assert [c.findtext("aff/institution") for c in contribs] == ["Тестовый университет", "Тестовый институт"]
    assert jats_errors(build / "paper.ru.xml") == [], "real authors keep the JATS valid"


def test_a_malformed_author_is_refused_naming_the_key(tmp_path):
    from gigpaper.checks import validated

    shutil.copytree(ROOT / "manuscript", tmp_path / "manuscript", ignore=shutil.ignore_patterns("build"))
    with_authors(tmp_path, [{**TEST_AUTHORS[0], "orcid": "0000-0002-1825"}])
    with pytest.raises(BuildError) as caught:
        validated(tmp_path / "manuscript/metadata.yaml", "metadata")
    message = str(caught.value)
    assert "metadata.yaml, line " in message and "key 'authors[1] (" in message, message
    assert (
        ".orcid': found '0000-0002-1825'; expected an ORCID iD of 16 digits, the last its check digit (0-9 or X)"
        in message
    )
