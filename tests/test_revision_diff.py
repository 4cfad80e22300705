"""`./paper diff REV`: an editor sees exactly what changed, in HTML, in Word's tracked changes and as numbers."""

from __future__ import annotations

import base64
import csv
import datetime
import json
import re
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
import yaml
from conftest import record_checksums, snakemake
from gigpaper.as_published import PUBLISHED_EDITIONS
from gigpaper.atomic import produced_record
from gigpaper.files import load_yaml
from gigpaper.pandoc import PANDOC
from gigpaper.revision_diff import HTML_FILTER, diff_markdown, render, write_numbers
from gigpaper.revision_markup import references_marked

ROOT = Path(__file__).resolve().parents[1]
SENTENCE = ("мынадай түйінді нәтижелер алынды", "мынадай негізгі нәтижелер алынды")
FIGURE2 = "data/raw/ppmi2024_gender_by_occupation.csv"


def git(project: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", *args],
        cwd=project, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip


def paper_diff(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "gigpaper.revision_diff", *args], cwd=project, capture_output=True, text=True
    )


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def repository(built: Path, target: Path) -> Path:
    """A repository of the project as published, built: a copy of the shared build (outputs and Snakemake's
    records, which git ignores, as a clone an author has built), its sources committed."""
    project = Path(shutil.copytree(built, target, symlinks=True))
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "commit", "-qm", "as published")
    assert not git(project, "status", "--porcelain"), "the build wrote a file git does not ignore"
    return project


@pytest.fixture(scope="module")
def revised(built: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A repository of the project with one commit on top: one kk sentence and the Figure 2 clerical
    share (40/60 to 45/55) changed."""
    project = repository(built, tmp_path_factory.mktemp("revised") / "project")
    replace(project / "manuscript/text/kk/04.results.md", *SENTENCE)
    replace(project / FIGURE2, "clerical_data_entry,women,40,", "clerical_data_entry,women,45,")
    replace(project / FIGURE2, "clerical_data_entry,men,60,", "clerical_data_entry,men,55,")
    record_checksums(project)
    git(project, "commit", "-qam", "revised")
    result = paper_diff(project, "HEAD~1")
    assert result.returncode == 0, result.stderr[-4000:]
    return project


def marks(html: str) -> list[tuple[str, str]]:
    return [(tag, re.sub(r"<[^>]+>", "", text)) for tag, text in re.findall(r"<(ins|del)>(.*?)</\1>", html, re.DOTALL)]


def tracked(docx: Path) -> list[tuple[str, str]]:
    xml = zipfile.ZipFile(docx).read("word/document.xml").decode("utf-8")
    found = []
    for tag, body in re.findall(r"<w:(ins|del) [^>]*>(.*?)</w:\1>", xml, re.DOTALL):
        found.append((tag, "".join(re.findall(r"<w:(?:t|delText)[^>]*>([^<]*)<", body))))
    return found


def test_an_added_or_removed_section_heading_and_list_item_stay_a_heading_and_an_item(tmp_path: Path) -> None:
    """An author adds a section (07.recommendations.md) and a list item: the diff printed '# Ұсыныстар
    {#sec-recommendations}' and '- Жаңа тармақ' as inserted text in a paragraph, in the HTML and the DOCX."""
    old = "# Нәтижелер {#sec-results}\n\nМәтін.\n"
    new = old + "\n- Жаңа тармақ.\n\n# Ұсыныстар {#sec-recommendations}\n\nЖаңа мәтін.\n"
    for before, after, tag in ((old, new, "ins"), (new, old, "del")):
        markdown = diff_markdown(before, after, "kk", set(), html=True)
        page = subprocess.run([PANDOC, "--from=markdown", "--to=html", f"--lua-filter={ROOT / HTML_FILTER}"],
                              input=markdown, capture_output=True, text=True, check=True).stdout  # fmt: skip
        heading = '<h1 id="sec-recommendations">' if tag == "ins" else '<h1 class="unnumbered" id="ұсыныстар">'
        assert f"{heading}<{tag}>Ұсыныстар</{tag}></h1>" in page, page
        assert f"<li><{tag}>Жаңа тармақ.</{tag}></li>" in page, page
        assert "#" not in re.sub(r"<[^>]+>", "", page) and "- " not in page, page
        docx = tmp_path / f"{tag}.docx"
        subprocess.run([PANDOC, "--from=markdown", "--to=docx", f"--output={docx}"], input=markdown, text=True,
                       check=True)  # fmt: skip
        xml = zipfile.ZipFile(docx).read("word/document.xml").decode("utf-8")
        assert re.search(rf'<w:pStyle w:val="Heading1" />.*?<w:{tag} [^>]*><w:r><w:(?:t|delText)[^>]*>Ұсыныстар<', xml)
        assert not [text for _tag, text in tracked(docx) if "#" in text or text.startswith("- ")], tracked(docx)


def test_a_reworded_figure_caption_is_a_tracked_change_in_the_docx(tmp_path: Path) -> None:
    """A translator rewords Figure 2's caption (manuscript/labels/en.yaml): the diff's DOCX held the new caption
    with no tracked change (the figure block was written as it is, since Word tracks no change of an image)."""
    old = '![Figure 2. Gender distribution of workers](figures/figure2.en.svg){#fig-figure2 alt="Shares." width="100%"}'
    new = old.replace("Gender distribution", "Gender split")
    markdown = diff_markdown(f"Мәтін.\n\n{old}\n", f"Мәтін.\n\n{new}\n", "en", set(), html=False)
    assert 'alt="Shares." width="100%"}' in markdown and "](figures/figure2.en.svg)" in markdown
    docx = tmp_path / "diff.docx"
    subprocess.run([PANDOC, "--from=markdown", "--to=docx", f"--output={docx}", f"--resource-path={ROOT}"],
                   input=markdown, text=True, check=True, capture_output=True)  # fmt: skip
    assert tracked(docx) == [("del", "distribution"), ("ins", "split")]


def test_the_title_block_marks_the_edition_now_revised_and_a_changed_title() -> None:
    """The Kazakh edition turned "revised" by a commit: its subtitle gained «Қайта қаралған басылым ·», which the
    diff printed unmarked (the front matter was the new one as it is), as it did a reworded title."""
    old = "---\nsubtitle: Хабаршы · DOI [x](https://doi.org/x)\ntitle: Гендерлік теңдік\n---\n\nМәтін.\n"
    new = old.replace("subtitle: ", "subtitle: Қайта қаралған басылым · ").replace("Гендерлік", "Гендерлік және")
    markdown = diff_markdown(old, new, "kk", set(), html=True)
    page = subprocess.run([PANDOC, "--from=markdown", "--to=html", "--standalone", "--wrap=none",
                           f"--lua-filter={ROOT / HTML_FILTER}"],
                          input=markdown, capture_output=True, text=True, check=True).stdout  # fmt: skip
    assert '<p class="subtitle"><ins>Қайта қаралған басылым ·</ins> Хабаршы · DOI <a href="https://doi.org/x">' in page
    assert '<h1 class="title">Гендерлік <ins>және</ins> теңдік</h1>' in page, page
    assert diff_markdown(old, old, "kk", set(), html=True) == old  # nothing changed, nothing marked


def test_a_work_newly_cited_or_no_longer_cited_is_marked_in_the_reference_list(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An author cites a new work (added to manuscript/bibliography.yaml): the diff's reference list printed its
    entry unmarked; a work no longer cited (and removed from the bibliography) vanished from the list unsaid."""
    monkeypatch.chdir(ROOT)  # Pandoc's data directory, the citation style and the filters, as ./paper diff finds them
    works = {key: {"id": key, "type": "book", "author": [{"family": name}], "issued": {"date-parts": [[2020]]},
                   "title": f"{name}'s book"} for key, name in (("kept2020", "Kept"), ("added2020", "Newcomer"))}  # fmt: skip
    (tmp_path / "old.json").write_text(json.dumps([works["kept2020"]]), encoding="utf-8")
    (tmp_path / "new.json").write_text(json.dumps(list(works.values())), encoding="utf-8")
    old, new = "Мәтін [@kept2020].\n", "Мәтін [@kept2020; @added2020].\n"
    for before, after, older, newer, tag in (
        (old, new, "old.json", "new.json", "ins"),
        (new, old, "new.json", "old.json", "del"),
    ):
        bibliography = tmp_path / "diff.json"
        listed = references_marked(before, after, tmp_path / older, tmp_path / newer, bibliography)
        markdown = diff_markdown(before, after, "en", set(), html=True) + listed
        for fmt in ("html", "docx"):
            render(markdown, "en", fmt, tmp_path / f"diff.{fmt}", tmp_path, 0, bibliography)
        page = (tmp_path / "diff.html").read_text(encoding="utf-8")
        entries = dict(re.findall(r'<div id="ref-(\w+)" class="csl-entry"[^>]*>\s*(.*?)</div>', page, re.DOTALL))
        assert entries["added2020"].startswith(f"<{tag}>Newcomer") and "<ins>" not in entries["kept2020"], entries
        changes = tracked(tmp_path / "diff.docx")
        assert (tag, "Newcomer. 2020. Newcomer’s book.") in changes, changes
        assert not [text for _tag, text in changes if text.startswith("Kept")], changes


@pytest.mark.slow  # `./paper diff` builds the project at both revisions
def test_a_changed_figure_is_shown_as_drawn_before_beside_as_drawn_now(built: Path, revised: Path) -> None:
    # The editor ran ./paper diff HEAD~1 on the commit of the Figure 2 change, not built since (as the README's round
    # does it). Before, the revision's figures were never drawn: the "before" side was a broken image
    # (src="manuscript/build/diff/old-figures/figure2.kk.svg", not there), and the "after" side was the figure of
    # the last build, the data as they were; a drawn label changed alone was not shown at all.
    kk = (revised / "manuscript/build/diff/paper.kk.diff.html").read_text(encoding="utf-8")
    sides = re.search(r'class="beside">\s*<div class="old">(.*?)<div class="new">(.*?)</figure>', kk, re.DOTALL)
    drawn = [
        base64.b64decode(re.search(r'src="data:image/svg\+xml;base64,([^"]+)"', side)[1]) for side in sides.groups()
    ]
    assert drawn == [(project / "figures/figure2.kk.svg").read_bytes() for project in (built, revised)]
    assert drawn[0] != drawn[1]
    assert not snakemake(revised, "figures/figure2.kk.svg", "--dry-run").stdout.count("plot_figure")


@pytest.mark.slow  # `./paper diff` builds the project at both revisions
def test_the_diff_marks_exactly_the_changed_sentence_and_numbers(revised: Path) -> None:
    kk = (revised / "manuscript/build/diff/paper.kk.diff.html").read_text(encoding="utf-8")
    prose = [("ins", "Қайта қаралған басылым ·"), ("del", "түйінді"), ("ins", "негізгі")]  # now "revised"
    numbers = sorted(set(marks(kk)) - set(prose))
    assert prose == [m for m in marks(kk) if m in prose]
    assert numbers and all(re.fullmatch(r"(40|60|45|55)%", text) for _tag, text in numbers), marks(kk)
    for lang in ("ru", "en"):
        other = marks((revised / f"manuscript/build/diff/paper.{lang}.diff.html").read_text(encoding="utf-8"))
        assert other and all(re.fullmatch(r"(40|60|45|55)%", text) for _tag, text in other), other
    old, new = re.search(
        r'class="beside">\s*<div class="old">(.*?)<div class="new">(.*?)</figure>', kk, re.DOTALL
    ).groups()
    assert all(re.search(r"<img|<svg", side) for side in (old, new))  # Figure 2, its data changed: old beside new


@pytest.mark.slow  # `./paper diff` builds the project at both revisions
def test_the_diff_docx_holds_tracked_changes_for_exactly_those_words_and_numbers(revised: Path, tmp_path: Path) -> None:
    docx = revised / "manuscript/build/diff/paper.kk.diff.docx"
    html = marks((revised / "manuscript/build/diff/paper.kk.diff.html").read_text(encoding="utf-8"))
    changes = tracked(docx)
    assert ("del", "түйінді") in changes and ("ins", "негізгі") in changes
    revisions = re.findall(r'<w:(?:ins|del) w:id="(\d+)"', zipfile.ZipFile(docx).read("word/document.xml").decode())
    assert len(revisions) == len(set(revisions)) == len(changes), revisions
    assert sorted(changes) == sorted(html)
    result = subprocess.run(
        ["soffice", "--headless", "--convert-to", "txt:Text", "--outdir", str(tmp_path), str(docx)],
        capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert result.returncode == 0 and (tmp_path / "paper.kk.diff.txt").exists(), result.stderr


@pytest.mark.slow  # `./paper diff` builds the project at both revisions
def test_the_diff_docx_is_dated_as_the_build_so_the_same_revisions_give_the_same_bytes(revised, tmp_path, monkeypatch):
    epoch = load_yaml(revised / "config/config.yaml")["source_date_epoch"]
    when = datetime.datetime.fromtimestamp(epoch, datetime.UTC)
    docx = zipfile.ZipFile(revised / "manuscript/build/diff/paper.kk.diff.docx")
    assert (
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{when:%Y-%m-%dT%H:%M:%SZ}<'
        in docx.read("docProps/core.xml").decode()
    )
    monkeypatch.chdir(revised)
    markdown = (revised / "manuscript/build/paper.kk.md").read_text(encoding="utf-8")
    render(markdown, "kk", "docx", tmp_path / "first.docx", tmp_path, epoch)
    time.sleep(1.1)  # Pandoc dates a DOCX to the second
    render(markdown, "kk", "docx", tmp_path / "again.docx", tmp_path, epoch)
    assert (tmp_path / "first.docx").read_bytes() == (tmp_path / "again.docx").read_bytes()


@pytest.mark.slow  # the shared build's references; LibreOffice opens the DOCX
def test_a_changed_citation_is_a_tracked_change_inside_its_link_that_libreoffice_reads(
    built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gigpaper.revision_diff import marked

    monkeypatch.chdir(built)  # the references and the citation style, as ./paper diff finds them
    docx = tmp_path / "paper.kk.diff.docx"
    changed = marked("Деректер [@ilo2021] бойынша.\n", "Деректер [@ilo2021, 12] бойынша.\n")
    epoch = load_yaml(built / "config/config.yaml")["source_date_epoch"]
    render(
        "---\nlink-citations: true\n---\n\n" + changed, "kk", "docx", docx, tmp_path, epoch
    )  # linked as the editions
    xml = zipfile.ZipFile(docx).read("word/document.xml").decode("utf-8")
    # ECMA-376: a w:ins or w:del holds runs; a hyperlink may hold a tracked change, not the other way round
    changes = re.findall(r"<w:(ins|del) [^>]*>(.*?)</w:\1>", xml, re.DOTALL)
    assert changes and not [body for _tag, body in changes if "<w:hyperlink" in body]
    revisions = re.findall(r'<w:(?:ins|del) w:id="(\d+)"', xml)  # an id of its own, as Word expects of each
    assert len(revisions) == len(set(revisions)) == 6, revisions
    assert [c for c in tracked(docx) if c[1] not in ("(", ")")] == [("del", "ILO, 2021"), ("ins", "ILO, 2021: 12")]
    subprocess.run(["soffice", "--headless", "--convert-to", "txt:Text", "--outdir", str(tmp_path), str(docx)],
                   capture_output=True, text=True, timeout=180, check=True)  # fmt: skip
    text = (tmp_path / "paper.kk.diff.txt").read_text(encoding="utf-8-sig")
    assert "Деректер (ILO, 2021)(ILO, 2021: 12) бойынша." in text, text  # both, as Word shows a change tracked


def test_the_numbers_diff_is_not_recorded_as_a_build_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """After `./paper diff`, `./paper verify` said '1 of 61 files differ from a clean rebuild:
    manuscript/build/diff/numbers.diff.csv: the clean rebuild does not make it': the table was recorded as an output
    of the build (manuscript/build/.produced/), as the diff's HTML and DOCX are not."""
    monkeypatch.chdir(tmp_path)
    target = Path("manuscript/build/diff/numbers.diff.csv")
    target.parent.mkdir(parents=True)
    write_numbers([{"id": "a", "old": "1", "new": "2", "printed": ""}], target)
    assert target.read_text(encoding="utf-8") == "id,old,new,printed\na,1,2,\n"
    assert not produced_record(target).exists() and not list(Path("manuscript/build").rglob("*.sha256"))


@pytest.mark.slow  # `./paper diff` builds the project at both revisions
def test_numbers_diff_lists_exactly_the_changed_numbers(revised: Path) -> None:
    with (revised / "manuscript/build/diff/numbers.diff.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["id"], r["old"], r["new"]) for r in rows] == [
        ("ppmi_clerical_data_entry_men", "60", "55"),
        ("ppmi_clerical_data_entry_women", "40", "45"),
    ]
    assert all("figure 2" in r["printed"] for r in rows)


@pytest.mark.slow  # `./paper diff` builds the project at both revisions
@pytest.mark.parametrize(
    ("rev", "message"),
    [("no-such-tag", "is not a revision of this repository"), ("HEAD~1", "uncommitted changes")],
)
def test_bad_revisions_and_a_dirty_tree_get_one_message_and_write_nothing(
    revised: Path, rev: str, message: str
) -> None:
    before = {p: p.read_bytes() for p in (revised / "manuscript/build/diff").rglob("*") if p.is_file()}
    if message == "uncommitted changes":
        replace(revised / "manuscript/text/kk/04.results.md", "негізгі", "басты")
    try:
        result = paper_diff(revised, rev)
    finally:
        git(revised, "checkout", "--", ".")
    assert result.returncode == 1 and message in result.stderr and result.stderr.count("ERROR") == 1
    assert {p: p.read_bytes() for p in (revised / "manuscript/build/diff").rglob("*") if p.is_file()} == before


def test_a_revision_from_before_the_layout_is_refused(tmp_path: Path) -> None:
    git(tmp_path, "init", "-q")
    (tmp_path / "README.md").write_text("an older layout\n", encoding="utf-8")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "old")
    result = paper_diff(tmp_path, "HEAD")
    assert result.returncode == 1 and "from before the project's current layout" in result.stderr
    assert not (tmp_path / "manuscript").exists()


@pytest.mark.slow  # `./paper diff` builds the project at both revisions
def test_diff_published_reports_the_departures_the_errata_record_then_an_uncommitted_edit(
    built: Path, tmp_path: Path
) -> None:
    project = repository(built, tmp_path / "project")
    result = paper_diff(project, "published")
    assert result.returncode == 0, result.stderr[-3000:]
    errata = yaml.safe_load((project / "manuscript/errata.yaml").read_text(encoding="utf-8"))
    recorded = [e for e in errata if e["edition"] in PUBLISHED_EDITIONS and e["published"] != e["mended"]]
    assert recorded and f"{len(recorded)} departures from the published text recorded" in result.stdout
    assert all(f"  {e['id']} (" in result.stdout for e in recorded)
    assert "0 departures that manuscript/errata.yaml does not record." in result.stdout
    page = (project / "manuscript/build/diff/published.kk.diff.html").read_text(encoding="utf-8")
    assert page.count("<li>") == len(recorded) and "<del>" in page and "<ins>" in page
    # The author rewords a sentence and asks, before committing, how the edition now departs from the published
    # text. Before, it was refused: 'the working tree has uncommitted changes (...); commit or stash them first, so
    # that the diff compares two recorded versions', though it compares the tree's edition with the published text.
    replace(project / "manuscript/text/kk/04.results.md", *SENTENCE)
    result = paper_diff(project, "published")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "1 departures that manuscript/errata.yaml does not record:\n  published line 260 no longer" in result.stdout


@pytest.mark.slow  # `./paper diff` builds the project at both revisions
def test_diff_published_names_the_lines_a_revision_no_longer_matches(revised: Path) -> None:
    result = paper_diff(revised, "published")
    assert result.returncode == 0, result.stderr[-3000:]
    unrecorded = result.stdout.split("does not record:")[1]
    lines = re.findall(r"published line (\d+) no longer matches", unrecorded)
    assert lines == ["260", "555", "558"], unrecorded
    assert unrecorded.count("the data were changed after publication") == 2
    assert "the kk text was changed after publication" in unrecorded
