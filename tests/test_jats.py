"""The JATS deposit as a journal's production system takes it: valid against the JATS Publishing
DTD (tests/vendor/), with the journal's and the issue's metadata, structured references, typed
cross-references, labelled tables and figures, and a package that holds every file it links to."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
import yaml
from conftest import ROOT
from lxml import etree

LANGS = ("kk", "ru", "en")
DTD = ROOT / "tests/vendor/jats-publishing-1.2d1/JATS-journalpublishing1-mathml3.dtd"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
METADATA = yaml.safe_load((ROOT / "manuscript/metadata.yaml").read_text(encoding="utf-8"))


def jats_errors(path: Path | bytes) -> list[str]:
    """The DTD's complaints about a JATS document (the draft DTD fixes @dtd-version; nothing else changes)."""
    dtd = etree.DTD(str(DTD))
    document = etree.fromstring(path) if isinstance(path, bytes) else etree.parse(str(path)).getroot()
    document.set("dtd-version", "1.2d1")
    dtd.validate(document)
    return [f"line {e.line}: {e.message}" for e in dtd.error_log.filter_from_errors()]


def article(built: Path, lang: str) -> etree._Element:
    return etree.parse(str(built / f"manuscript/build/paper.{lang}.xml")).getroot()


@pytest.mark.parametrize("lang", LANGS)
def test_jats_is_valid_against_the_jats_publishing_dtd(built, lang):
    assert jats_errors(built / f"manuscript/build/paper.{lang}.xml") == []


def test_the_dtd_check_catches_an_invalid_document():
    """The validator is not a formality: a placeholder author without a name is refused."""
    broken = (b'<article xmlns:xlink="http://www.w3.org/1999/xlink" dtd-version="1.2"><front><journal-meta>'
              b'<issn>1991-3494</issn></journal-meta><article-meta><title-group><article-title>T</article-title>'
              b'</title-group><contrib-group><contrib><aff>?</aff><bold>x</bold></contrib></contrib-group>'
              b'<pub-date><year>2025</year></pub-date></article-meta></front></article>')  # fmt: skip
    assert any("contrib" in error for error in jats_errors(broken))


@pytest.mark.parametrize("lang", LANGS)
def test_jats_front_carries_journal_issue_issns_publisher_and_translated_titles(built, lang):
    root = article(built, lang)
    journal = root.find("front/journal-meta")
    assert journal.findtext("journal-title-group/journal-title") == METADATA["journal"][lang]
    assert {i.get("pub-type"): i.text for i in journal.findall("issn")} == {"ppub": "1991-3494", "epub": "2518-1467"}
    # the online ISSN is the one the DOI carries
    assert "2518-1467" in METADATA["doi"]
    assert journal.findtext("publisher/publisher-name") == METADATA["publisher"][lang]
    meta = root.find("front/article-meta")
    assert meta.findtext("article-id[@pub-id-type='doi']") == METADATA["doi"]
    assert meta.findtext("title-group/article-title") == METADATA["title"][lang]
    translated = {g.get(XML_LANG): g.findtext("trans-title") for g in meta.findall("title-group/trans-title-group")}
    assert translated == {code: METADATA["title"][code] for code in LANGS if code != lang}
    assert meta.findtext("issue") == METADATA["issue"] and meta.findtext("pub-date/year") == METADATA["year"]
    # Not known, so not given: volume, pages, day and month of publication, and the authors.
    for unknown in ("volume", "fpage", "lpage", "page-range", "pub-date/day", "pub-date/month", "contrib-group"):
        assert meta.find(unknown) is None, (lang, unknown)
    assert meta.find("self-uri[@content-type='pdf']").get(XLINK_HREF) == f"paper.{lang}.pdf"


@pytest.mark.parametrize("lang", LANGS)
def test_jats_abstracts_keywords_and_body(built, lang):
    root = article(built, lang)
    meta = root.find("front/article-meta")
    assert root.get(XML_LANG) == lang and meta.find("abstract").get(XML_LANG) == lang
    assert sorted(a.get(XML_LANG) for a in meta.findall("trans-abstract")) == sorted(set(LANGS) - {lang})
    for part in [meta.find("abstract"), *meta.findall("trans-abstract")]:
        assert len(part.findall("p")) >= 3, (lang, part.get(XML_LANG))
    keywords = {group.get(XML_LANG): [k.text for k in group.findall("kwd")] for group in meta.findall("kwd-group")}
    assert keywords == {code: METADATA["keywords"][code] for code in LANGS}, lang
    sections = [sec.get("id") for sec in root.findall("body/sec")]
    assert sections[:6] == ["sec-introduction", "sec-literature-review", "sec-materials-methods",
                            "sec-results", "sec-discussion", "sec-conclusion"], sections  # fmt: skip
    assert not root.findall(".//sec[@id='abstract-kk']"), "the abstracts belong to the front matter"


@pytest.mark.parametrize("lang", LANGS)
def test_jats_references_are_element_citations_with_doi_as_pub_id(built, lang):
    root = article(built, lang)
    refs = root.findall("back/ref-list/ref")
    bibliography = yaml.safe_load((ROOT / "manuscript/bibliography.yaml").read_text(encoding="utf-8"))
    assert sorted(ref.get("id") for ref in refs) == sorted(f"ref-{entry['id']}" for entry in bibliography["references"])
    assert all(ref.find("element-citation") is not None and ref.find("mixed-citation") is None for ref in refs)
    dois = {entry["id"]: entry["DOI"] for entry in bibliography["references"] if entry.get("DOI")}
    assert dois, "the bibliography holds DOIs"
    for key, doi in dois.items():
        assert root.findtext(f"back/ref-list/ref[@id='ref-{key}']/element-citation/pub-id[@pub-id-type='doi']") == doi
    assert not root.findall("back/ref-list//ext-link"), "a DOI is a pub-id, not a link"


@pytest.mark.parametrize("lang", LANGS)
def test_jats_tables_figures_and_cross_references(built, lang):
    root = article(built, lang)
    xrefs = root.findall(".//xref")
    assert xrefs and all(x.get("ref-type") for x in xrefs), [x.get("rid") for x in xrefs if not x.get("ref-type")]
    kinds = {x.get("rid"): x.get("ref-type") for x in xrefs}
    assert kinds["tbl-table1"] == "table" and kinds["fig-figure2"] == "fig"
    labels = yaml.safe_load((ROOT / f"manuscript/labels/{lang}.yaml").read_text(encoding="utf-8"))
    wraps = root.findall(".//table-wrap")
    assert [(w.get("id"), w.findtext("label")) for w in wraps] == [
        ("tbl-table1", f"{labels['table_prefix']} 1"),
        ("tbl-table2", f"{labels['table_prefix']} 2"),
    ]
    figs = root.findall(".//fig")
    assert [(f.get("id"), f.findtext("label")) for f in figs] == [
        ("fig-figure1", f"{labels['figure_prefix']} 1"),
        ("fig-figure2", f"{labels['figure_prefix']} 2"),
    ]
    # the caption holds the title alone, the label its number
    for item in [*wraps, *figs]:
        caption = "".join(item.find("caption").itertext()).strip()
        assert not re.match(r"^\S+ \d", caption), caption
    # each source note belongs to its table or figure
    assert all(w.find("table-wrap-foot/p/xref[@ref-type='bibr']") is not None or
               w.findtext("table-wrap-foot/p") for w in wraps)  # fmt: skip
    assert [f.find("attrib/xref").get("rid") for f in figs] == ["ref-olo2024", "ref-ppmi2024"]
    assert not root.findall(".//boxed-text"), "source notes are table-wrap-foot or attrib"


@pytest.mark.parametrize("lang", LANGS)
def test_deposit_package_holds_the_xml_the_pdf_and_every_file_it_links(built, lang):
    package = built / f"manuscript/build/deposit/paper.{lang}.zip"
    with zipfile.ZipFile(package) as archive:
        names = archive.namelist()
        assert names[0] == f"paper.{lang}.xml"
        xml = archive.read(f"paper.{lang}.xml")
        assert xml == (built / f"manuscript/build/paper.{lang}.xml").read_bytes()
        hrefs = [e.get(XLINK_HREF) for e in etree.fromstring(xml).iter() if e.get(XLINK_HREF)]
        local = [h for h in hrefs if not h.startswith(("http://", "https://"))]
        assert sorted(local) == sorted([f"paper.{lang}.pdf", f"figure1.{lang}.svg", f"figure2.{lang}.svg"])
        for href in local:  # every link resolves to a file of the package, byte for byte the build's
            built_file = built / ("manuscript/build" if href.endswith(".pdf") else "figures") / href
            assert archive.read(href) == built_file.read_bytes(), href
        assert archive.read(f"paper.{lang}.pdf").startswith(b"%PDF")
        assert all(info.date_time == (1980, 1, 1, 0, 0, 0) for info in archive.infolist())
