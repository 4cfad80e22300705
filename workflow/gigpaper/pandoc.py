"""Pandoc turns an edition's Markdown into HTML, DOCX, or Typst that the typst package compiles to PDF.

Options live in Pandoc defaults files (manuscript/pandoc/*.yaml), one per format plus common.yaml.
"""

from __future__ import annotations

import os
import re
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pypandoc
import typst

from gigpaper import atomic
from gigpaper.docx_furniture import finish_docx
from gigpaper.errors import BuildError

# Use the Pandoc that pypandoc-binary ships, without first probing for one on PATH (which logs an error).
os.environ.setdefault("PYPANDOC_PANDOC", str(Path(pypandoc.__file__).parent / "files" / "pandoc"))


# Pandoc's writer of each format whose name is not the file's extension (PDF goes through typst).
WRITERS = {"xml": "jats_publishing"}


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
            _pandoc(markdown, WRITERS.get(fmt, fmt), defaults, bibliography, extra, outputfile=str(tmp))
            if fmt == "docx":
                finish_docx(tmp)  # running head, page numbers, unbreakable rows, picture descriptions


# The journal's Word styles, patched into Pandoc's own reference document. Each patch is a pattern
# that must match (whitespace inside a tag varies between Pandoc versions); one that no longer
# matches stops the build instead of leaving Word's theme fonts and colours in place.
SERIF = '<w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="Times New Roman" w:cs="Times New Roman" />'
BLACK = '<w:color w:val="000000" />'
LINK = '<w:color w:val="1F4E79" /><w:u w:val="single" />'
# A4 with the PDF's margins (2.5 cm top, 2.3 cm bottom, 2.2 cm sides), in twentieths of a point.
A4 = (
    '<w:pgSz w:w="11906" w:h="16838" />'
    '<w:pgMar w:top="1417" w:right="1247" w:bottom="1304" w:left="1247" w:header="709" w:footer="709" w:gutter="0" />'
)
SOURCE_NOTE_STYLE = (
    '<w:style w:type="paragraph" w:customStyle="1" w:styleId="SourceNote"><w:name w:val="Source Note" />'
    '<w:basedOn w:val="Normal" /><w:qFormat /><w:pPr><w:spacing w:before="60" w:after="240" /></w:pPr>'
    '<w:rPr><w:i /><w:sz w:val="18" /><w:szCs w:val="18" /></w:rPr></w:style>'
)


def _style(style_id: str) -> str:
    """A pattern of one style element, by its id."""
    return rf'<w:style\b[^>]*w:styleId="{style_id}"[^>]*>.*?</w:style>'


def _in_style(style_id: str, pattern: str, replacement: str) -> tuple[str, Any]:
    def patch(match: re.Match[str]) -> str:
        return re.sub(pattern, replacement, match.group(0), flags=re.S)

    return _style(style_id), patch


THEME_FONTS = r"<w:rFonts\s[^>]*[tT]heme=[^>]*/>"
THEME_COLOUR = r"<w:color\s[^>]*w:themeColor=[^>]*/>"
# (file in the DOCX, what it fixes, pattern, replacement)
DOCX_PATCHES = [
    ("word/styles.xml", "default text font", r"(<w:rPrDefault>.*?)" + THEME_FONTS, r"\1" + SERIF),
    *[
        ("word/styles.xml", f"{style} font", *_in_style(style, THEME_FONTS, SERIF))
        for style in ("Title", "Heading1", "Heading2", "Heading3")
    ],
    *[
        ("word/styles.xml", f"{style} colour", *_in_style(style, THEME_COLOUR, BLACK))
        for style in ("Heading1", "Heading2", "Heading3")
    ],
    ("word/styles.xml", "hyperlink colour", *_in_style("Hyperlink", THEME_COLOUR, LINK)),
    ("word/styles.xml", "source note style", r"</w:styles>", SOURCE_NOTE_STYLE + "</w:styles>"),
    ("word/theme/theme1.xml", "theme heading font", r'(<a:majorFont>\s*<a:latin typeface=")[^"]*', r"\1Times New Roman"),
    ("word/theme/theme1.xml", "theme text font", r'(<a:minorFont>\s*<a:latin typeface=")[^"]*', r"\1Times New Roman"),
    ("word/document.xml", "A4 page", r"(<w:sectPr>)", r"\1" + A4),
]  # fmt: skip


def patch_reference_docx(files: dict[str, str]) -> dict[str, str]:
    """Apply DOCX_PATCHES to the XML parts of a reference DOCX; refuse when one does not match."""
    patched = dict(files)
    for name, what, pattern, replacement in DOCX_PATCHES:
        text, count = re.subn(pattern, replacement, patched[name], count=1, flags=re.S)
        changed = text != patched[name] if callable(replacement) else count
        if not changed:
            raise BuildError(
                f"Pandoc's reference.docx ({name}): the patch for the {what} found nothing to change; "
                f"expected a match of {pattern!r}. Update DOCX_PATCHES in workflow/gigpaper/pandoc.py."
            )
        patched[name] = text
    return patched


def make_reference_docx(source_date_epoch: int, reference_doc: str) -> None:
    """Pandoc's own reference DOCX with the journal's styles patched in (fixed timestamps)."""
    os.environ["SOURCE_DATE_EPOCH"] = str(source_date_epoch)
    pandoc = pypandoc.get_pandoc_path()
    with atomic.atomic_path(reference_doc) as tmp:
        default = tmp.with_suffix(".default.docx")
        try:
            subprocess.run([pandoc, "-o", str(default), "--print-default-data-file", "reference.docx"], check=True)
            with zipfile.ZipFile(default) as source:
                entries = [(info.filename, source.read(info.filename)) for info in source.infolist()]
            xml = {name: data.decode("utf-8") for name, data in entries if name.endswith(".xml")}
            patched = patch_reference_docx(xml)
            with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as target:
                for name, data in entries:
                    entry = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
                    entry.compress_type = zipfile.ZIP_DEFLATED
                    target.writestr(entry, patched[name].encode("utf-8") if name in patched else data)
        finally:
            default.unlink(missing_ok=True)


def docx_text(path: str | Path) -> str:
    """The visible text of a DOCX, paragraph by paragraph (for tests and the claims ledger)."""
    with zipfile.ZipFile(path) as archive:
        xml = archive.read("word/document.xml").decode("utf-8")
    paragraphs = re.findall(r"<w:p[ >].*?</w:p>", xml, re.S)
    return "\n".join("".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", p)) for p in paragraphs)
