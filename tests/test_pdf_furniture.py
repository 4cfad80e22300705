"""The PDF's page furniture and metadata as a journal's production editor checks them: the running
head and page numbers are pagination artifacts, out of the text; the XMP carries the DOI and a
description; no metadata field holds a value that no source supports; bookmarks are distinct."""

from __future__ import annotations

import re
import subprocess

import pypdf
import pytest
import yaml
from conftest import ROOT
from test_clients import client, edition

LANGS = ("kk", "ru", "en")
METADATA = yaml.safe_load((ROOT / "manuscript/metadata.yaml").read_text(encoding="utf-8"))
# Typst's marked-content tag of a page header: /Artifact <</Type /Pagination /Subtype /Header …>> BDC
HEADER_ARTIFACT = re.compile(rb"/Artifact\s*<<(?=[^>]*/Type\s*/Pagination)(?=[^>]*/Subtype\s*/Header)[^>]*>>\s*BDC")


def xmp(reader: pypdf.PdfReader) -> str:
    return reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode("utf-8")


@pytest.mark.parametrize("lang", LANGS)
def test_pdf_metadata_carries_the_doi_and_only_what_is_known(built, lang):
    reader = pypdf.PdfReader(edition(built, lang, "pdf"))
    info, packet = reader.metadata, xmp(reader)
    assert METADATA["doi"] in info["/Subject"] and METADATA["journal"][lang] in info["/Subject"]
    description = re.search(r"<dc:description>.*?<rdf:li[^>]*>(.*?)</rdf:li>", packet, re.S).group(1)
    assert METADATA["doi"] in description and METADATA["year"] in description and "~" not in description
    # The day of publication is not known: no creation or modification date, in Info or XMP.
    assert "/CreationDate" not in info and "/ModDate" not in info
    assert "CreateDate" not in packet and "ModifyDate" not in packet
    # The placeholder of the title block is no author.
    if not METADATA["authors"]:
        assert "/Author" not in info and "dc:creator" not in packet


@pytest.mark.parametrize("lang", LANGS)
def test_running_head_is_a_pagination_artifact_kept_out_of_the_text(built, lang):
    pdf = edition(built, lang, "pdf")
    reader = pypdf.PdfReader(pdf)
    for number, page in enumerate(reader.pages[1:], start=2):
        assert HEADER_ARTIFACT.search(page.get_contents().get_data()), f"paper.{lang}.pdf, page {number}"
    # poppler's pdftotext ignores tags, but it sets the head on a line of its own: never inside a
    # line of body text (the first page has none; the title block prints the journal line itself).
    text = subprocess.run([client("pdftotext"), str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    head = f"{METADATA['journal'][lang]} · ISSN"
    lines = [line for line in text.splitlines() if head in line]
    assert len(lines) >= len(reader.pages) - 1
    assert all(line.startswith(head) for line in lines), [line for line in lines if not line.startswith(head)]


@pytest.mark.parametrize("lang", LANGS)
def test_bookmarks_and_abstract_headings_are_distinct(built, lang):
    titles = [item.title for item in pypdf.PdfReader(edition(built, lang, "pdf")).outline if not isinstance(item, list)]
    assert len(titles) == len(set(titles)), titles
    assert "Аннотация" not in titles, "two abstracts share the word: each says its language"
