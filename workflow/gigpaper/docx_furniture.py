"""Page furniture Pandoc's DOCX writer does not give, added to the DOCX it wrote.

- A header with the edition's running head (the `running-head` document property Pandoc writes from
  the front matter) and a footer with the page number (a PAGE field), on every page.
- Table rows that do not break across pages (`w:cantSplit`).
- Each picture's own description (`pic:cNvPr/@descr`) is its alt text, as the drawing's is, not
  its file path.
- Document properties hold only what is known: no creation or modification date (the build's fixed
  timestamp is no date of the article) and no author while the metadata names none (the title
  block's placeholder is no author).

The entries keep their order and timestamps: the same DOCX bytes from the same Pandoc output.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from gigpaper.errors import BuildError
from gigpaper.zips import read_zip, write_zip

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
HEADER_ID, FOOTER_ID = "rIdRunningHead", "rIdPageNumber"
PART_TYPES = {
    "header": "application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml",
    "footer": "application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml",
}
# 8 pt grey text as the PDF's running head; the page number at the foot, centred, 9 pt.
HEADER = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:hdr xmlns:w="{W}" xmlns:r="{R}"><w:p><w:pPr>'
    '<w:pBdr><w:bottom w:val="single" w:sz="4" w:space="1" w:color="969696"/></w:pBdr></w:pPr><w:r><w:rPr>'
    '<w:color w:val="505050"/><w:sz w:val="16"/><w:szCs w:val="16"/></w:rPr><w:t xml:space="preserve">{text}</w:t>'
    "</w:r></w:p></w:hdr>"
)
FOOTER = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:ftr xmlns:w="{W}" xmlns:r="{R}"><w:p><w:pPr>'
    '<w:jc w:val="center"/></w:pPr><w:fldSimple w:instr=" PAGE "><w:r><w:rPr><w:sz w:val="18"/></w:rPr>'
    "<w:t>1</w:t></w:r></w:fldSimple></w:p></w:ftr>"
)


def running_head(custom_properties: str) -> str:
    found = re.search(r'name="running-head"><vt:lpwstr>(.*?)</vt:lpwstr>', custom_properties, re.S)
    if not found:
        raise BuildError("the DOCX carries no running-head property: the edition's front matter must set it")
    return html.unescape(found.group(1))


def _sub_once(pattern: str, replacement: str, text: str, what: str) -> str:
    changed, count = re.subn(pattern, replacement, text, count=1, flags=re.S)
    if not count:
        raise BuildError(f"Pandoc's DOCX changed: no {what} to attach the page furniture to ({pattern!r})")
    return changed


def add_furniture(parts: dict[str, str]) -> dict[str, str]:
    """The DOCX's XML parts with header, footer, unbreakable rows and picture descriptions."""
    parts = dict(parts)
    head = html.escape(running_head(parts["docProps/custom.xml"]), quote=False)
    parts["word/header1.xml"] = HEADER.replace("{text}", head)
    parts["word/footer1.xml"] = FOOTER
    parts["[Content_Types].xml"] = _sub_once(
        r"</Types>",
        "".join(f'<Override PartName="/word/{kind}1.xml" ContentType="{PART_TYPES[kind]}"/>' for kind in PART_TYPES)
        + "</Types>",
        parts["[Content_Types].xml"], "content types list",
    )  # fmt: skip
    parts["word/_rels/document.xml.rels"] = _sub_once(
        r"</Relationships>",
        f'<Relationship Id="{HEADER_ID}" Type="{R}/header" Target="header1.xml"/>'
        f'<Relationship Id="{FOOTER_ID}" Type="{R}/footer" Target="footer1.xml"/>'
        "</Relationships>",
        parts["word/_rels/document.xml.rels"], "relationships list",
    )  # fmt: skip
    document = parts["word/document.xml"]
    # The body's own section properties (the last sectPr) take the header and footer first.
    last = document.rindex("<w:sectPr")
    document = document[:last] + _sub_once(
        r"(<w:sectPr\b[^>]*>)",
        rf'\1<w:headerReference w:type="default" r:id="{HEADER_ID}"/>'
        rf'<w:footerReference w:type="default" r:id="{FOOTER_ID}"/>',
        document[last:], "section properties",
    )  # fmt: skip
    document = re.sub(r"(<w:tr(?:\s[^>]*)?>)<w:trPr>", r"\1<w:trPr><w:cantSplit/>", document)
    document = re.sub(r"(<w:tr(?:\s[^>]*)?>)(?!<w:trPr>)", r"\1<w:trPr><w:cantSplit/></w:trPr>", document)
    alts = iter(re.findall(r'<wp:docPr descr="([^"]*)"', document))
    document = re.sub(r'(<pic:cNvPr descr=")[^"]*(")', lambda m: m.group(1) + next(alts, "") + m.group(2), document)
    parts["word/document.xml"] = document
    core = re.sub(r"<dcterms:(created|modified)\b[^>]*>[^<]*</dcterms:\1>", "", parts["docProps/core.xml"])
    if not re.search(r'name="contributor-names"><vt:lpwstr>[^<]', parts["docProps/custom.xml"]):
        core = re.sub(r"<dc:creator>[^<]*</dc:creator>", "", core)
    parts["docProps/core.xml"] = core
    return parts


def finish_docx(path: str | Path) -> None:
    """Rewrite the DOCX at `path` with its page furniture, entry order and timestamps kept."""
    entries = read_zip(path)
    texts = {info.filename: data.decode("utf-8") for info, data in entries if info.filename.endswith((".xml", ".rels"))}
    finished = add_furniture(texts)
    kept = [
        (info, finished[info.filename].encode("utf-8") if info.filename in finished else data) for info, data in entries
    ]
    added = [(name, finished[name].encode("utf-8")) for name in ("word/header1.xml", "word/footer1.xml")]
    write_zip(path, kept + added, date_time=entries[0][0].date_time)
