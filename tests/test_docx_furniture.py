"""The DOCX as Word and LibreOffice show it: a running head and page numbers, captions Word can find
(SEQ fields), table rows that do not split across pages, pictures described by their alt text."""

from __future__ import annotations

import html
import re
import zipfile

import pytest
import yaml
from conftest import ROOT
from gigpaper.docx_furniture import add_furniture
from gigpaper.errors import BuildError
from test_clients import edition, figure_alts

LANGS = ("kk", "ru", "en")


def parts(built, lang: str) -> dict[str, str]:
    with zipfile.ZipFile(edition(built, lang, "docx")) as archive:
        return {
            name: archive.read(name).decode("utf-8") for name in archive.namelist() if name.endswith((".xml", ".rels"))
        }


def front_matter(built, lang: str) -> dict:
    return yaml.safe_load(edition(built, lang, "md").read_text(encoding="utf-8").split("---\n")[1])


@pytest.mark.parametrize("lang", LANGS)
def test_docx_has_a_running_head_and_page_numbers_on_every_page(built, lang):
    docx = parts(built, lang)
    document = docx["word/document.xml"]
    section = document[document.rindex("<w:sectPr") :]
    header_id = re.search(r'<w:headerReference w:type="default" r:id="([^"]+)"', section).group(1)
    footer_id = re.search(r'<w:footerReference w:type="default" r:id="([^"]+)"', section).group(1)
    rels = docx["word/_rels/document.xml.rels"]
    header = docx["word/" + re.search(rf'Id="{header_id}"[^>]*Target="([^"]+)"', rels).group(1)]
    footer = docx["word/" + re.search(rf'Id="{footer_id}"[^>]*Target="([^"]+)"', rels).group(1)]
    # Pandoc keeps "No. 2" together with a non-breaking space, in the header as in the text
    printed = html.unescape("".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", header))).replace("\u00a0", " ")
    assert printed == front_matter(built, lang)["running-head"]
    assert 'w:instr=" PAGE "' in footer
    assert "header1.xml" in docx["[Content_Types].xml"] and "footer1.xml" in docx["[Content_Types].xml"]


@pytest.mark.parametrize("lang", LANGS)
def test_docx_captions_are_seq_fields_and_rows_do_not_split(built, lang):
    labels = yaml.safe_load((ROOT / f"manuscript/labels/{lang}.yaml").read_text(encoding="utf-8"))
    document = parts(built, lang)["word/document.xml"]
    fields = re.findall(r'w:instr=" SEQ (\S+) \\\* ARABIC "><w:r><w:t>(\d+)</w:t>', document)
    assert sorted(fields) == sorted(
        [(labels["figure_prefix"], "1"), (labels["figure_prefix"], "2"), (labels["table_prefix"], "1"),
         (labels["table_prefix"], "2")]
    )  # fmt: skip
    rows = re.findall(r"<w:tr(?:\s[^>]*)?>(<w:trPr>.*?</w:trPr>)?", document)
    assert len(rows) > 10 and all("<w:cantSplit/>" in props for props in rows)


@pytest.mark.parametrize("lang", LANGS)
def test_docx_pictures_are_described_by_their_alt_text_not_their_path(built, lang):
    document = parts(built, lang)["word/document.xml"]
    alts = list(figure_alts(edition(built, lang, "md").read_text(encoding="utf-8")).values())
    assert [html.unescape(d) for d in re.findall(r'<wp:docPr descr="([^"]*)"', document)] == alts
    assert [html.unescape(d) for d in re.findall(r'<pic:cNvPr descr="([^"]*)"', document)] == alts


@pytest.mark.parametrize("lang", LANGS)
def test_docx_properties_hold_no_date_and_no_placeholder_author(built, lang):
    core = parts(built, lang)["docProps/core.xml"]
    assert "dcterms:created" not in core and "dcterms:modified" not in core
    metadata = yaml.safe_load((ROOT / "manuscript/metadata.yaml").read_text(encoding="utf-8"))
    assert ("<dc:creator>" in core) == bool(metadata["authors"])


def test_a_docx_without_its_running_head_property_is_refused():
    with pytest.raises(BuildError, match="running-head"):
        add_furniture({"docProps/custom.xml": "<Properties/>"})
