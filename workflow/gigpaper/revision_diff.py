"""`./paper diff REV`: what changed in the article since REV, for an editor.

`./paper diff published` lists every departure of the Kazakh edition from the published text
(data/raw/published_article.kk.txt): those manuscript/errata.yaml records, and any it does not
(manuscript/build/diff/published.kk.txt and published.kk.diff.html).

REV (a commit, branch or tag) is exported from git to a temporary folder and its editions' Markdown,
figures and number registry are built there with its own code; the working tree's are built here. For each
edition, manuscript/build/diff/ gets:

- paper.<lang>.diff.html: the article with <ins>/<del> at the words and numbers that changed, and
  each changed figure and table shown old beside new;
- paper.<lang>.diff.docx: the new version with Word tracked changes (Pandoc's DOCX writer turns
  `insertion`/`deletion` spans into w:ins/w:del revisions an editor accepts or rejects);
- numbers.diff.csv: every registry number whose value changed: id, old, new, where it is printed.
"""

from __future__ import annotations

import difflib
import html
import io
import itertools
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from argparse import ArgumentParser, RawDescriptionHelpFormatter
from pathlib import Path

from gigpaper import atomic, paths
from gigpaper.errors import BuildError
from gigpaper.files import load_yaml
from gigpaper.pandoc import DATA_DIRECTORY, PANDOC
from gigpaper.revision_markup import DIFF_AUTHOR, DIFF_DATE, marked, references_marked, title_block_marked
from gigpaper.rows import read_text_rows
from gigpaper.run_snakemake import failure
from gigpaper.worddiff import word_diff
from gigpaper.zips import read_zip, write_zip

DIFF = paths.BUILD / "diff"
# What a revision must hold to be built by this project's layout (the editions' rules and code).
LAYOUT = ("workflow/gigpaper/paths.py", "workflow/rules/manuscript.smk", "manuscript/text", "config/config.yaml")
VALUE_COLUMNS = ("value", "low", "high")
FIGURE_DIR = "old-figures"
# Pandoc's extras for the diff, beside the editions' own in manuscript/pandoc/: the HTML's <ins>/<del> and its page
# style (insertions, deletions, figures and tables before and after side by side), which the as-published page
# shares; the DOCX's citation links turned out of tracked changes (the Lua files say why).
HTML_FILTER = paths.PANDOC / "diff-ins-del.lua"
HTML_HEADER = paths.PANDOC / "diff-header.html"
DOCX_FILTER = paths.PANDOC / "diff-links-outside-changes.lua"
REFERENCES_FILTER = paths.PANDOC / "diff-references.lua"  # the works newly cited, or no longer, in the list


def git(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], capture_output=True, text=True)


def check_tree_is_clean() -> None:
    changed = git("status", "--porcelain", "--untracked-files=no").stdout.splitlines()
    if changed:
        names = ", ".join(line[3:] for line in changed[:5]) + (", …" if len(changed) > 5 else "")
        raise BuildError(
            f"the working tree has uncommitted changes ({names}); commit or stash them first, "
            "so that the diff compares two recorded versions. Nothing was written."
        )


def resolve(rev: str) -> str:
    found = git("rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")
    if found.returncode != 0:
        raise BuildError(
            f"'{rev}' is not a revision of this repository (a commit, branch or tag). Nothing was written."
        )
    commit = found.stdout.strip()
    missing = [p for p in LAYOUT if git("cat-file", "-e", f"{commit}:{p}").returncode != 0]
    if missing:
        raise BuildError(
            f"'{rev}' ({commit[:12]}) is from before the project's current layout: it has no {', '.join(missing)}, "
            "so its editions cannot be built the way this one is. Compare with a later revision. Nothing was written."
        )
    return commit


def export(commit: str, target: Path) -> Path:
    archive = subprocess.run(["git", "archive", "--format=tar", commit], capture_output=True, check=True)
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(target, filter="data")
    return target


def build(project: Path, targets: list[str]) -> None:
    """Build `targets` in `project` with that project's own code (its workflow/ before the installed one)."""
    said = failure(project, *targets, "--quiet", PYTHONPATH=str(project.resolve() / "workflow"))
    if said is not None:
        raise BuildError(f"building {project} failed, so nothing was compared:\n{said}")


# Marking up the Markdown --------------------------------------------------------------------------


def _front_matter(text: str) -> tuple[str, str]:
    match = re.match(r"---\n.*?\n(?:---|\.\.\.)\n", text, re.DOTALL)
    return (match.group(0), text[match.end() :]) if match else ("", text)


def _is_figure_or_table(block: str) -> bool:
    return block.lstrip().startswith("![") or all(line.startswith("|") for line in block.splitlines())


def _old_figure(block: str) -> str:
    """The old version of a figure: its image from the old build, without the id the new one keeps."""
    return re.sub(r"\{#fig-\S+ ", "{", re.sub(r"\]\(figures/", f"](manuscript/build/diff/{FIGURE_DIR}/", block))


def _caption_marked(old: str, new: str) -> str:
    """The new figure with the words of its caption that changed marked (its image and attributes as they are)."""
    before, after = (re.match(r"\s*!\[(.*)\](\(figures/.*)$", block, re.DOTALL) for block in (old, new))
    if not (before and after) or before[1] == after[1]:
        return new
    return f"![{marked(before[1], after[1])}]{after[2]}"


def _beside(old: str, new: str) -> str:
    return f"::: beside\n::: old\n{old}\n:::\n\n::: new\n{new}\n:::\n:::"


def diff_markdown(old_text: str, new_text: str, lang: str, changed_figures: set[str], html: bool) -> str:
    """The new edition's Markdown with every change marked; figures and tables old beside new in HTML."""
    # Imported here: it reads workflow/catalogue.yaml, which a tree of another layout does not have, and
    # such a tree must get its one message from main(), not a traceback at import.
    from gigpaper.translations import paragraphs

    front, new_body = _front_matter(new_text)
    front = title_block_marked(_front_matter(old_text)[0], front)
    old_blocks = [b for _, b in paragraphs(_front_matter(old_text)[1])]
    new_blocks = [b for _, b in paragraphs(new_body)]
    out = []
    matcher = difflib.SequenceMatcher(None, old_blocks, new_blocks, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        olds, news = old_blocks[i1:i2], new_blocks[j1:j2]
        if op == "equal":
            for block in news:
                figure = re.search(r"\]\(figures/([^)]+)\)", block)
                if html and figure and figure.group(1) in changed_figures:
                    out.append(_beside(_old_figure(block), block))
                else:
                    out.append(block)
            continue
        if op == "replace" and len(olds) == len(news):
            pairs = list(zip(olds, news, strict=True))
        else:
            pairs = [(b, "") for b in olds] + [("", b) for b in news]
        for old, new in pairs:
            figure = (old or new).lstrip().startswith("![")
            changed = _caption_marked(old, new) if figure else marked(old, new)
            if html and _is_figure_or_table(old or new):
                out.append(_beside(_old_figure(old), changed if old and new else new))
            elif figure:
                out.append(changed if old and new else new)  # Word tracks no change of an image: its caption's words
            elif _is_figure_or_table(old or new) and not (old and new):
                out.append(new)  # nor of a whole table, as a span
            else:
                out.append(marked(old, new))
    return front + "\n" + "\n\n".join(out) + "\n"


# Numbers ------------------------------------------------------------------------------------------


def _value(row: dict[str, str]) -> str:
    return "–".join(row[c] for c in VALUE_COLUMNS if row.get(c)) if row else ""


def numbers_diff(old_registry: Path, new_registry: Path, ledger: Path | None) -> list[dict[str, str]]:
    old = {r["id"]: r for r in read_text_rows(old_registry)}
    new = {r["id"]: r for r in read_text_rows(new_registry)}
    places: dict[str, list[str]] = {}
    if ledger and ledger.exists():
        for row in read_text_rows(ledger):
            if row["category"] == "data":
                places.setdefault(row["registry_id"], []).append(row["place"])
    rows = []
    for number in sorted(set(old) | set(new)):
        before, after = _value(old.get(number, {})), _value(new.get(number, {}))
        if before != after:
            rows.append({"id": number, "old": before, "new": after, "printed": "; ".join(places.get(number, []))})
    return rows


def write_numbers(rows: list[dict[str, str]], target: Path) -> None:
    import pandas as pd  # only this table needs it

    frame = pd.DataFrame(rows, columns=["id", "old", "new", "printed"])
    atomic.write_text(target, atomic.csv_text(frame), record=False)  # the command's, not the build's: no record


# The command --------------------------------------------------------------------------------------


def render(
    markdown: str,
    lang: str,
    fmt: str,
    target: Path,
    workdir: Path,
    source_date_epoch: int,
    bibliography: Path | None = None,
) -> None:
    """The diff of an edition as HTML or DOCX; the DOCX's dates are the build's (config), so the same revisions give
    the same bytes. `bibliography`: the works either version cites (by default the edition's own)."""
    source = workdir / f"paper.{lang}.{fmt}.md"
    if fmt == "docx":  # Word takes the PNG figures, as the edition's DOCX does
        markdown = re.sub(r"(\]\(figures/[^)]+)\.svg\)", r"\1.png)", markdown)
    source.write_text(markdown, encoding="utf-8")
    args = [
        "--standalone",
        "--quiet",  # Pandoc's warnings (no Kazakh term list of its own) are not the editor's business
        "--resource-path=.",
        f"--metadata=lang:{lang}",
        "--number-sections",
        "--citeproc",
        f"--bibliography={bibliography or f'manuscript/build/references.{lang}.json'}",
        "--csl=manuscript/pandoc/article.csl",
        f"--lua-filter={REFERENCES_FILTER}",  # after --citeproc, which writes the list, before the format's own
        f"--metadata=diff-author:{DIFF_AUTHOR}",
        f"--metadata=diff-date:{DIFF_DATE}",
    ]
    if fmt == "docx":
        args.append(f"--lua-filter={DOCX_FILTER}")  # after --citeproc, which makes the links
    if fmt == "html":
        args += ["--embed-resources", f"--lua-filter={HTML_FILTER}", f"--include-in-header={HTML_HEADER}"]
    partial = target.with_name(f".{target.name}.part")
    command = [PANDOC, DATA_DIRECTORY, str(source), "--from=markdown", f"--to={fmt}", f"--output={partial}", *args]
    done = subprocess.run(command, env={**os.environ, "SOURCE_DATE_EPOCH": str(source_date_epoch)},
                          capture_output=True, text=True)  # fmt: skip
    if done.returncode != 0:
        partial.unlink(missing_ok=True)
        raise BuildError(f"Pandoc could not write {target}: {done.stderr.strip()}")
    if fmt == "docx":
        _number_revisions(partial)
    partial.replace(target)


REVISION_ID = re.compile(r'(<w:(?:ins|del) w:id=")\d+(")')


def _number_revisions(docx: Path) -> None:
    """Give each tracked change an id of its own: Pandoc numbers insertions and deletions from 1 each, so an
    insertion and a deletion share an id where Word expects one per revision."""
    members = read_zip(docx)
    write_zip(
        docx, [(info, _renumbered(data) if info.filename == "word/document.xml" else data) for info, data in members]
    )


def _renumbered(document: bytes) -> bytes:
    """document.xml with its revisions numbered on from the largest id it holds (bookmarks have ids too)."""
    xml = document.decode("utf-8")
    ids = itertools.count(1 + max(map(int, re.findall(r'w:id="(\d+)"', xml)), default=0))
    return REVISION_ID.sub(lambda m: f"{m[1]}{next(ids)}{m[2]}", xml).encode("utf-8")


def diff_against(rev: str) -> list[Path]:
    check_tree_is_clean()
    commit = resolve(rev)
    config = load_yaml(paths.CONFIG)
    editions = config["editions"]
    targets = [str(paths.REGISTRY), str(paths.LEDGER)]
    targets += [
        f"manuscript/build/{name}.{lang}.{ext}"
        for lang in editions
        for name, ext in (("paper", "md"), ("references", "json"))
    ]
    written = []
    with tempfile.TemporaryDirectory(prefix="gigpaper-diff-") as tmp:
        old = export(commit, Path(tmp) / "old")
        build(old, [t for t in targets if t != str(paths.LEDGER)] + _figures(old, editions))
        build(Path.cwd(), targets + _figures(Path(), editions))
        DIFF.mkdir(parents=True, exist_ok=True)
        shutil.rmtree(DIFF / FIGURE_DIR, ignore_errors=True)
        shutil.copytree(old / paths.FIGURES, DIFF / FIGURE_DIR, ignore=shutil.ignore_patterns(atomic.RECORDS))
        changed_figures = {
            p.name for p in (old / paths.FIGURES).glob("*") if p.is_file() and (not (paths.FIGURES / p.name).exists()
            or (paths.FIGURES / p.name).read_bytes() != p.read_bytes())
        }  # fmt: skip
        for lang in editions:
            old_md = old / f"manuscript/build/paper.{lang}.md"
            old_text = old_md.read_text(encoding="utf-8") if old_md.exists() else ""
            new_text = Path(f"manuscript/build/paper.{lang}.md").read_text(encoding="utf-8")
            bibliography = Path(tmp) / f"references.{lang}.json"
            listed = references_marked(old_text, new_text, old / f"manuscript/build/references.{lang}.json",
                                       Path(f"manuscript/build/references.{lang}.json"), bibliography)  # fmt: skip
            for fmt in ("html", "docx"):
                target = DIFF / f"paper.{lang}.diff.{fmt}"
                markdown = diff_markdown(old_text, new_text, lang, changed_figures, html=fmt == "html") + listed
                render(markdown, lang, fmt, target, Path(tmp), config["source_date_epoch"], bibliography)
                written.append(target)
        rows = numbers_diff(old / paths.REGISTRY, paths.REGISTRY, paths.LEDGER)
        write_numbers(rows, DIFF / "numbers.diff.csv")
        written.append(DIFF / "numbers.diff.csv")
    return written


def _figures(project: Path, editions: list[str]) -> list[str]:
    """Each figure of an edition, as `project`'s catalogue names them (one job draws each in every format)."""
    catalogue = project / paths.CATALOGUE
    figures = (load_yaml(catalogue) or {}).get("figures") or {} if catalogue.is_file() else {}
    return [str(paths.FIGURES / f"{figure}.{lang}.svg") for figure in figures for lang in editions]


def diff_published() -> list[Path]:
    """The Kazakh edition against the published text: each departure the errata record, and any they do not."""
    from gigpaper.as_published import PUBLISHED_EDITIONS  # reads the catalogue (see diff_markdown)

    build(Path.cwd(), [str(paths.AS_PUBLISHED)])  # the tree as it is, as ./paper build: no recorded version needed
    recorded = [e for e in load_yaml(paths.ERRATA) or []
                if e["edition"] in PUBLISHED_EDITIONS and e["published"] != e["mended"]]  # fmt: skip
    unrecorded = paths.AS_PUBLISHED.read_text(encoding="utf-8").splitlines()[1:]
    lines = [f"{len(recorded)} departures from the published text recorded in {paths.ERRATA}:"]
    lines += [f"  {e['id']} ({e['kind']}, {e['edition']}), published line {e['source_line']}: "
              f"«{e['published']}» -> {_mended(e)}" for e in recorded]  # fmt: skip
    lines.append(f"{len(unrecorded)} departures that {paths.ERRATA} does not record" + (":" if unrecorded else "."))
    lines += [f"  {line}" for line in unrecorded]
    items = [
        f"<li><b>{html.escape(e['id'])}</b> ({html.escape(e['kind'])}, {html.escape(e['edition'])}), line "
        f"{e['source_line']}: {_html_marked(e['published'], e['mended']) if _in_words(e) else html.escape(_mended(e))}"
        f"<br><small>{html.escape(e['why'])}</small></li>"
        for e in recorded
    ] + [f'<li class="unrecorded">{html.escape(line)}</li>' for line in unrecorded]
    page = (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>The Kazakh edition against the '
            f"published text</title>{HTML_HEADER.read_text(encoding='utf-8').strip()}</head><body><h1>The Kazakh edition against the published text</h1>"
            f"<p>{html.escape(lines[0])}</p><ol>{''.join(items)}</ol>"
            f"<p>{html.escape(lines[len(recorded) + 1])}</p></body></html>\n")  # fmt: skip
    DIFF.mkdir(parents=True, exist_ok=True)
    atomic.write_text(DIFF / "published.kk.txt", "\n".join(lines) + "\n", record=False)  # the command's
    atomic.write_text(DIFF / "published.kk.diff.html", page, record=False)
    print("\n".join(lines))
    return [DIFF / "published.kk.txt", DIFF / "published.kk.diff.html"]


def _in_words(erratum: dict) -> bool:
    """Whether the erratum's mend is words of the text (not a setting or code that lays the text out)."""
    return erratum["file"].startswith(("manuscript/text/", "manuscript/labels/", "data/raw/"))


def _mended(erratum: dict) -> str:
    return f"«{erratum['mended']}»" if _in_words(erratum) else f"(layout, made by {erratum['file']})"


def _html_marked(old: str, new: str) -> str:
    tags = {"=": "{}", "-": "<del>{}</del>", "+": "<ins>{}</ins>"}
    return "".join(tags[op].format(html.escape(text)) for op, text in word_diff(old, new))


def main(argv: list[str] | None = None) -> int:
    parser = ArgumentParser("./paper diff", description=__doc__, formatter_class=RawDescriptionHelpFormatter)
    parser.add_argument("rev", help="a git commit, branch or tag to compare the working tree with, or `published`")
    args = parser.parse_args(argv)
    try:
        written = diff_published() if args.rev == "published" else diff_against(args.rev)
    except BuildError as error:
        print(f"ERROR: {error}", file=sys.stderr)
        return 1
    print("\n".join(str(p) for p in written))
    return 0


if __name__ == "__main__":
    sys.exit(main())
