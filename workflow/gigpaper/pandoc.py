"""Pandoc turns an edition's Markdown into HTML, DOCX, JATS, or Typst that the typst package compiles to PDF.

Options live in Pandoc defaults files (manuscript/pandoc/*.yaml): common.yaml says how an edition's
Markdown is read (with its citations resolved), one file per format how that format is written.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from gigpaper import atomic, paths
from gigpaper.dotted import dotted_function
from gigpaper.errors import BuildError
from gigpaper.zips import read_zip, write_zip

# The Pandoc that pypandoc-binary ships, called directly: pypandoc's own convert_file starts Pandoc
# three more times per conversion (--version, --list-input-formats, --list-output-formats) only to
# check what it already knows, and imports its module to find the binary.
PANDOC = str(Path(importlib.util.find_spec("pypandoc").submodule_search_locations[0]) / "files" / "pandoc")
# Pandoc's data directory is the project's Pandoc folder, not the user's (~/.local/share/pandoc): a Pandoc user's
# own default templates or translated terms would otherwise make other editions on that machine.
DATA_DIRECTORY = f"--data-dir={paths.PANDOC}"


def reading(markdown: str, common: str, bibliography: str) -> list[str]:
    """Pandoc's arguments that read an edition's Markdown as common.yaml says, its citations resolved."""
    return ["--from=markdown", markdown, "--defaults", common, "--bibliography", bibliography]


def read_command(markdown: str, common: str, bibliography: str, document: str | Path) -> list[str]:
    """Pandoc reading an edition once for all its formats: the document, citations resolved, as Pandoc's JSON.

    A format's Lua filters see the same document from that JSON as from the Markdown: `citeproc: true`
    in a defaults file runs before every filter (jgm/pandoc#8737). The one thing a run with citeproc
    changes in its writer, it turns the writer's `citations` extension off: a format file whose writer
    has it says so itself (typst.yaml's `typst-citations`)."""
    return [PANDOC, DATA_DIRECTORY, *reading(markdown, common, bibliography), "--to=json", f"--output={document}"]


def write_command(source: list[str], entry: dict[str, str], output: str | Path) -> list[str]:
    """Pandoc writing one format (its catalogue entry) from `source`: the JSON of read_command, or reading()."""
    command = [PANDOC, DATA_DIRECTORY, *source, f"--output={output}", "--defaults", entry["defaults"]]
    return command + (["--reference-doc", entry["reference"]] if entry.get("reference") else [])


def pandoc_output(path: Path, entry: dict[str, str]) -> Path:
    """The file Pandoc writes for a format: the Typst source of one that is compiled, else the file itself."""
    return path.with_suffix(".typ") if entry.get("compile") else path


@contextlib.contextmanager
def _pandoc(command: list[str], env: dict[str, str]) -> Iterator[subprocess.Popen[bytes]]:
    """A Pandoc process that does not outlive the step: killed when the step stops first (an error, SIGTERM)."""
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def _finish(process: subprocess.Popen[bytes], path: str, verb: str = "write") -> None:
    _, stderr = process.communicate()
    message = stderr.decode("utf-8", errors="replace").strip()
    if process.returncode != 0:
        raise BuildError(f"Pandoc could not {verb} {path}: {message}")
    if message:  # Pandoc's warnings, for the rule's log
        print(message, file=sys.stderr)


def render_edition(
    markdown: str, bibliography: str, common: str, formats: dict[str, dict[str, str]], source_date_epoch: int,
    **editions: str,
) -> None:  # fmt: skip
    """Write every format of one edition from its Markdown: `formats` maps a format to its catalogue entry
    (workflow/catalogue.yaml), `editions` to the file to write.

    The Markdown is read once (the reading and citeproc are most of a Pandoc run) and each format
    written from that document; the writers run side by side while the PDF is compiled. One format
    alone (the preview's HTML) is read and written by one Pandoc run. An edition's files are moved
    into place only when every format has been written.
    """
    if set(editions) != set(formats):
        raise TypeError(f"render_edition: the files {sorted(editions)} do not match the formats {sorted(formats)}")
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(source_date_epoch)}  # Pandoc's DOCX timestamps
    # What is compiled after Pandoc (the PDF) first: it is the longest, the other writers run meanwhile.
    order = sorted(editions, key=lambda fmt: not formats[fmt].get("compile"))
    with contextlib.ExitStack() as stack:  # on leaving: Pandoc stopped, then its files removed
        tmps = {fmt: stack.enter_context(atomic.atomic_path(editions[fmt])) for fmt in order}
        if len(order) == 1:  # nothing to share: one run reads and writes
            source = reading(markdown, common, bibliography)
        else:
            # Hidden beside the outputs, as their temporary files are: a build killed outright leaves it where
            # the next build clears such files (gigpaper.outputs).
            fd, name = tempfile.mkstemp(prefix=f".{Path(markdown).name}.", suffix=".json", dir=tmps[order[0]].parent)
            os.close(fd)
            document = Path(name)
            stack.callback(document.unlink, missing_ok=True)
            reader = stack.enter_context(_pandoc(read_command(markdown, common, bibliography, document), env))
            _finish(reader, markdown, "read")
            source = ["--from=json", str(document)]
        running = {
            fmt: stack.enter_context(
                _pandoc(write_command(source, formats[fmt], pandoc_output(tmp, formats[fmt])), env)
            )
            for fmt, tmp in tmps.items()
        }
        for fmt, process in running.items():
            _finish(process, editions[fmt])
            if formats[fmt].get("compile"):
                _compile_typst(tmps[fmt], source_date_epoch, formats[fmt]["defaults"], editions[fmt])
            if formats[fmt].get("finish"):
                dotted_function(formats[fmt]["finish"])(tmps[fmt])


def _compile_typst(pdf: Path, source_date_epoch: int, defaults: str, edition: str) -> None:
    import typst  # only the PDF needs it

    typ = pdf.with_suffix(".typ")
    try:
        # Only typst's embedded fonts: the same PDF on every machine.
        pdf.write_bytes(typst.compile(str(typ), root=".", ignore_system_fonts=True, timestamp=source_date_epoch))
    except typst.TypstError as error:
        raise BuildError(_typst_failure(typ, error, defaults, edition)) from None
    finally:
        typ.unlink(missing_ok=True)


def _typst_failure(typ: Path, error: Any, defaults: str, edition: str) -> str:
    """Where Typst stopped, in the file a person edits: the line of the template (named in `defaults`) that Pandoc
    copied into the edition's Typst, else the Typst line Pandoc wrote from the edition's Markdown."""
    # yaml itself, not gigpaper.files: a project module imported here would become a code input of every step
    # that imports this module (make_reference_docx too), rerun by an edit of a module it never runs.
    import yaml

    found = re.search(r":(\d+):\d+\n", error.diagnostic or "")
    lines = typ.read_text(encoding="utf-8").splitlines()
    text = lines[int(found[1]) - 1] if found and int(found[1]) <= len(lines) else ""
    template = yaml.safe_load(Path(defaults).read_text(encoding="utf-8")).get("template")
    problem = f"Typst cannot compile {edition}: {error.message}"
    if template and text.strip():
        template_lines = Path(template).read_text(encoding="utf-8").splitlines()
        if text in template_lines:
            return f"{template}, line {template_lines.index(text) + 1}: {problem} (found «{text.strip()}»)."
    where = f" at «{text.strip()}»" if text.strip() else ""
    return f"{problem}{where}, in the Typst that Pandoc wrote from the edition's Markdown with {template or defaults}."


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
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(source_date_epoch)}
    default = subprocess.run([PANDOC, "--print-default-data-file", "reference.docx"], env=env, capture_output=True,
                             check=True).stdout  # fmt: skip
    entries = [(info.filename, data) for info, data in read_zip(default)]
    patched = patch_reference_docx({name: data.decode("utf-8") for name, data in entries if name.endswith(".xml")})
    with atomic.atomic_path(reference_doc) as tmp:
        write_zip(tmp, [(name, patched[name].encode("utf-8") if name in patched else data) for name, data in entries])
