"""The input check of Pandoc's own files (manuscript/pandoc/, Pandoc's data directory): each defaults file
against its schema, and the files it names there (the citation style read as CSL); each file of Pandoc's terms
(translations/<lang>.yaml)."""

from __future__ import annotations

import re
from pathlib import Path

from gigpaper import paths
from gigpaper.catalogue import PANDOC_COMMON, formats
from gigpaper.errors import BuildError
from gigpaper.files import read_text, refuse_empty
from gigpaper.grammar import line_at
from gigpaper.schema import validated
from gigpaper.schema_errors import node_line

CSL = "http://purl.org/net/xbiblio/csl"  # the namespace of a CSL style
# What each key of a defaults file names, other than the citation style (read as CSL).
EXPECTED = {"template": "the format's Pandoc template", "css": "the HTML edition's style sheet",
            "filters": "a Pandoc Lua filter"}  # fmt: skip


def check_pandoc_defaults(chosen: list[str]) -> None:
    """Each Pandoc defaults file (those the catalogue names for the `chosen` formats there) valid, what it names there."""
    catalogued = [PANDOC_COMMON, *(formats()[fmt].defaults for fmt in chosen)]
    for path in sorted({*paths.PANDOC.glob("*.yaml"), *map(Path, catalogued)}):
        text = read_text(path)
        options = validated(path, "pandoc_defaults", text)
        for key in ("csl", "template", "css", "filters"):
            named = options.get(key, [])
            for index, name in enumerate([named] if isinstance(named, str) else named):
                if not Path(name).is_file():
                    if Path(name).exists() or Path(name).is_symlink():
                        read_text(name)  # names what is there instead: a folder, a link out of the project, a device
                    location = [key] if isinstance(named, str) else [key, index]
                    raise BuildError(
                        f"{path}, line {node_line(text, location)}, key '{key}': found '{name}', which does not "
                        "exist; expected a file of manuscript/pandoc/."
                    )
                if key == "csl":
                    check_csl(name)
                    continue
                named_text = refuse_empty(name, read_text(name), EXPECTED[key])
                if key == "template" and name.endswith(".typ"):
                    check_typst_template(name, named_text)
                if key == "css":
                    check_stylesheet(name, named_text)


def check_csl(path: str) -> None:
    """A citation style is a CSL style's XML: Pandoc's citeproc reads it for every edition, and one it could not read
    stopped each edition late ('Pandoc could not read manuscript/build/paper.kk.md: CiteprocXMLError: ...')."""
    from xml.etree import ElementTree
    from xml.parsers import expat

    text = read_text(path)
    try:
        root = ElementTree.fromstring(text.encode())
    except ElementTree.ParseError as error:
        line, column = error.position
        raise BuildError(
            f"{path}, line {line}, column {column + 1}: not well-formed XML ({expat.ErrorString(error.code)}); "
            "expected a CSL style."
        ) from None
    if root.tag != f"{{{CSL}}}style":
        raise BuildError(f'{path}: found the element <{root.tag}>; expected a CSL style, <style xmlns="{CSL}">.')
    # A dependent style (a journal's, as the Zotero Style Repository serves most) names the style it follows, which
    # Pandoc fetches from the web: a build that reaches outside the project, and stops offline.
    for link in root.iter(f"{{{CSL}}}link"):
        if link.get("rel") == "independent-parent":
            line = line_at(text, text.find("independent-parent"))
            raise BuildError(
                f'{path}, line {line}: a dependent style (<link rel="independent-parent" href="{link.get("href")}">), '
                "whose parent Pandoc would fetch from the web at every build; expected an independent style: save the "
                "parent's CSL file here in its place."
            )


# A Typst package a template imports (#import "@preview/cetz:0.2.2"), which Typst downloads from packages.typst.org
# into the user's cache: a build that reaches outside the project, and stops offline, late, once per edition.
TYPST_PACKAGE = re.compile(r'\b(?:import|include)\s+"(@[^"]*)"')


# A file the template reads (#read, #image, #json... or #import, #include by path): from the folder of the Typst that
# Pandoc writes from it (manuscript/build/), or from the project's root, Typst's, when it starts with '/'.
TYPST_FILE = re.compile(
    r'\b(?:(?:read|image|json|csv|yaml|toml|xml|cbor|plugin)\(\s*|(?:import|include)\s+)"([^"@][^"]*)"'
)


def check_typst_template(path: str, text: str) -> None:
    """A Typst template of the PDF uses Typst alone: no package it would download, no file outside the project."""
    if package := TYPST_PACKAGE.search(text):
        raise BuildError(
            f"{path}, line {line_at(text, package.start())}: imports the Typst package {package.group(1)}, "
            "which Typst would download from the web at every build; expected a template of Typst alone (the "
            "package's files, if needed, copied beside it and imported by path)."
        )
    for found in TYPST_FILE.finditer(text):
        target = found.group(1)
        named = (Path() if target.startswith("/") else paths.BUILD) / target.lstrip("/")
        if not named.resolve().is_relative_to(Path.cwd().resolve()):
            raise BuildError(
                f"{path}, line {line_at(text, found.start())}: reads {target}, outside the project, "
                "which Typst refuses as it compiles each edition; expected a file of the project."
            )


# What a stylesheet names, which Pandoc embeds in the self-contained page: @import "x.css" or @import url(x.css),
# and url(x.woff) (its target, quoted or not).
STYLESHEET_RESOURCE = re.compile(r"""(@import|url\()\s*(?:url\()?\s*["']?([^"')\s;]+)""")
# What names a place outside otherwise, which a reader's browser fetches though Pandoc embeds nothing of it: an address
# in any string or function (image-set("https://..."), //host/x), and a CSS escape (\75 rl(...) spells url(...)).
STYLESHEET_HIDDEN = re.compile(r"""(\\)|([a-z][a-z0-9+.-]*://[^"')\s;,]*|(?<=["'(,\s])//[^"')\s;,]*)""", re.I)


def check_stylesheet(path: str, text: str) -> None:
    """A stylesheet of the HTML names no resource outside the project (a web font, a file elsewhere on the machine):
    Pandoc fetched it at every build, said only in a warning, and a page that kept an @import fetched it when read."""
    for found in STYLESHEET_RESOURCE.finditer(text):
        kind, target = found.groups()
        if not target.startswith("data:") and (":" in target or target.startswith(("/", "\\")) or ".." in target):
            raise BuildError(
                f"{path}, line {line_at(text, found.start())}: {kind} names {target}, outside the project, "
                "which Pandoc would fetch at every build; expected a stylesheet of its own or files of the project "
                "(the HTML edition is one self-contained page)."
            )
    uncommented = re.sub(r"/\*.*?\*/", lambda comment: re.sub(r"[^\n]", " ", comment[0]), text, flags=re.S)
    if found := STYLESHEET_HIDDEN.search(uncommented):
        what = (
            f"{found[2]}, outside the project"
            if found[2]
            else "a CSS escape (\\), which spells a name in other letters"
        )
        raise BuildError(
            f"{path}, line {line_at(text, found.start())}: names {what}, which a reader's browser would "
            "fetch; expected a stylesheet that names files of the project only, in plain letters."
        )


def check_pandoc_terms() -> None:
    """Each file of Pandoc's terms in a language (translations/<lang>.yaml) against its schema: Pandoc reads a
    malformed one, a term it does not know or a word that is no text with a warning in a step's log, and leaves
    every term of the file out."""
    for path in sorted((paths.PANDOC / "translations").glob("*.yaml")):
        validated(path, "pandoc_translations")
