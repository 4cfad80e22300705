"""Pandoc turns an edition's Markdown into HTML, DOCX, or Typst that the typst package compiles to PDF.

Options live in Pandoc defaults files (manuscript/pandoc/*.yaml), one per format plus common.yaml.
"""

from __future__ import annotations

import os
import re
import subprocess
import zipfile
from pathlib import Path

import pypandoc
import typst

from gigpaper import atomic

# Use the Pandoc that pypandoc-binary ships, without first probing for one on PATH (which logs an error).
os.environ.setdefault("PYPANDOC_PANDOC", str(Path(pypandoc.__file__).parent / "files" / "pandoc"))


def _pandoc(
    markdown: str, to: str, defaults: list[str], bibliography: str, extra: list[str], outputfile: str | None = None
) -> str:
    args = [arg for path in defaults for arg in ("--defaults", path)] + ["--bibliography", bibliography, *extra]
    return pypandoc.convert_file(markdown, to, format="markdown", extra_args=args, outputfile=outputfile)


def render_edition(
    markdown: str, bibliography: str, common: str, fmt_defaults: str, fmt: str, source_date_epoch: int, edition: str,
    reference_doc: str = "",
) -> None:  # fmt: skip
    """Write `edition` (paper.<lang>.<fmt>) from `markdown`; `reference_doc` styles the DOCX."""
    os.environ["SOURCE_DATE_EPOCH"] = str(source_date_epoch)  # Pandoc's DOCX timestamps
    defaults = [common, fmt_defaults]
    with atomic.atomic_path(edition) as tmp:
        if fmt == "pdf":
            typ = tmp.with_suffix(".typ")
            try:
                typ.write_text(_pandoc(markdown, "typst", defaults, bibliography, []), encoding="utf-8")
                # Only typst's embedded fonts: the same PDF on every machine.
                tmp.write_bytes(
                    typst.compile(str(typ), root=".", ignore_system_fonts=True, timestamp=source_date_epoch)
                )
            finally:
                typ.unlink(missing_ok=True)
        else:
            extra = ["--reference-doc", reference_doc] if fmt == "docx" else []
            _pandoc(markdown, fmt, defaults, bibliography, extra, outputfile=str(tmp))


# Styles of the DOCX reference document that differ from Pandoc's: a serif text face, black
# headings, and a small style for the source notes under figures and tables.
SERIF = '<w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="Times New Roman" w:cs="Times New Roman" />'
DOCX_STYLE_PATCHES = [
    ('<w:rFonts w:asciiTheme="minorHAnsi" w:eastAsiaTheme="minorEastAsia" w:hAnsiTheme="minorHAnsi" w:cstheme="minorBidi" />', SERIF),
    ('<w:rFonts w:asciiTheme="majorHAnsi" w:eastAsiaTheme="majorEastAsia" w:hAnsiTheme="majorHAnsi" w:cstheme="majorBidi" />', SERIF),
    ('<w:color w:val="365F91" w:themeColor="accent1" w:themeShade="BF" />', '<w:color w:val="000000" />'),
    ('<w:color w:val="4F81BD" w:themeColor="accent1" />', '<w:color w:val="000000" />'),
]  # fmt: skip
SOURCE_NOTE_STYLE = (
    '<w:style w:type="paragraph" w:customStyle="1" w:styleId="SourceNote"><w:name w:val="Source Note" />'
    '<w:basedOn w:val="Normal" /><w:qFormat /><w:pPr><w:spacing w:before="60" w:after="240" /></w:pPr>'
    '<w:rPr><w:i /><w:sz w:val="18" /><w:szCs w:val="18" /></w:rPr></w:style>'
)


def make_reference_docx(source_date_epoch: int, reference_doc: str) -> None:
    """Pandoc's own reference DOCX with the journal's styles patched in (fixed timestamps)."""
    os.environ["SOURCE_DATE_EPOCH"] = str(source_date_epoch)
    pandoc = pypandoc.get_pandoc_path()
    with atomic.atomic_path(reference_doc) as tmp:
        default = tmp.with_suffix(".default.docx")
        try:
            subprocess.run([pandoc, "-o", str(default), "--print-default-data-file", "reference.docx"], check=True)
            with zipfile.ZipFile(default) as source, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as target:
                for info in source.infolist():
                    data = source.read(info.filename)
                    if info.filename == "word/styles.xml":
                        styles = data.decode("utf-8")
                        for old, new in DOCX_STYLE_PATCHES:
                            styles = styles.replace(old, new)
                        styles = styles.replace("</w:styles>", SOURCE_NOTE_STYLE + "</w:styles>")
                        data = styles.encode("utf-8")
                    entry = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
                    entry.compress_type = zipfile.ZIP_DEFLATED
                    target.writestr(entry, data)
        finally:
            default.unlink(missing_ok=True)


def docx_text(path: str | Path) -> str:
    """The visible text of a DOCX, paragraph by paragraph (for tests and the claims ledger)."""
    with zipfile.ZipFile(path) as archive:
        xml = archive.read("word/document.xml").decode("utf-8")
    paragraphs = re.findall(r"<w:p[ >].*?</w:p>", xml, re.S)
    return "\n".join("".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", p)) for p in paragraphs)
