"""The journal's deposit package of one edition: its JATS XML, its PDF and every graphic the XML names.

One ZIP per edition (manuscript/build/deposit/paper.<lang>.zip), flat, as deposit systems take it:
each `xlink:href` of the XML is a file name beside it. Fixed timestamps and order: the same bytes
from the same inputs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from gigpaper import atomic
from gigpaper.errors import BuildError
from gigpaper.pandoc import render_edition
from gigpaper.zips import write_zip

XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
# Links that leave the package (a DOI, a web page) are not files to pack.
EXTERNAL = ("http://", "https://", "mailto:", "doi:")


def package_files(jats: str | Path) -> list[str]:
    """Every file name the JATS XML links to (graphics, the PDF), in document order, once each."""
    names: list[str] = []
    for element in ElementTree.parse(jats).iter():
        href = element.get(XLINK_HREF)
        if href and not href.startswith(EXTERNAL) and href not in names:
            names.append(href)
    return names


def package_deposit(jats: str, pdf: str, figures: list[str], package: str) -> None:
    """Write `package` with the XML, and each file it names found among the PDF and the figures."""
    available = {Path(path).name: Path(path) for path in [pdf, *figures]}
    members = [(Path(jats).name, Path(jats))]
    for name in package_files(jats):
        if name not in available:
            raise BuildError(
                f"{jats}: xlink:href '{name}' names no file the deposit holds; "
                f"expected one of {', '.join(sorted(available))}"
            )
        members.append((name, available[name]))
    with atomic.atomic_path(package) as tmp:
        write_zip(tmp, [(name, path.read_bytes()) for name, path in members])


def render_edition_and_package(figures: list[str], package: str | None = None, **edition: Any) -> None:
    """Every format of one edition (gigpaper.pandoc), then, when the build makes the JATS and the PDF, the
    edition's deposit package from them: one job, since the package holds only that job's files and figures."""
    render_edition(**edition)
    if package:
        package_deposit(jats=edition["xml"], pdf=edition["pdf"], figures=figures, package=package)
