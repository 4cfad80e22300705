"""A number the data gave before and no longer give, that a text still uses: blamed on the data file.

The text is right to use it; the raw file lost it. "Before" is the last build's registry, or, on a
tree never built, the registry of the data as committed (git HEAD). Likewise a bibliography entry that
nothing cites any more: the file that cited it in the committed files is named with it; and a raw file's
quote that the published text no longer matches, where that text is what changed since the commit.
"""

from __future__ import annotations

import re
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from gigpaper import paths
from gigpaper.catalogue import LANGUAGES
from gigpaper.datapackage import citation_keys_of, resource, resource_files
from gigpaper.errors import BuildError, SourceDataError
from gigpaper.files import read_text
from gigpaper.grammar import line_at
from gigpaper.rows import read_text_rows
from gigpaper.validate import tidy_table


def committed_bytes(path: str | Path) -> bytes:
    """The file as committed (git HEAD); CalledProcessError outside a git checkout or where HEAD lacks it, OSError
    without git."""
    return subprocess.run(["git", "show", f"HEAD:./{path}"], capture_output=True, check=True).stdout


def previous_registry(descriptor: dict[str, Any], article_lines: list[str]) -> tuple[str, dict[str, Any]]:
    """The numbers the data gave before this change, and when: the last build's registry, or on a tree
    never built, the registry of the data as committed (git HEAD). Nothing when neither is at hand."""
    if paths.REGISTRY.is_file():
        return "at the last build", {row["id"]: row for row in read_text_rows(paths.REGISTRY) if row.get("id")}
    from gigpaper.numbers import REGISTRY_SOURCES, registry_frame

    tidy = {}
    with tempfile.TemporaryDirectory() as folder:
        try:
            for name in REGISTRY_SOURCES:
                entry = resource(descriptor, name)
                files = {}
                for file in resource_files(entry):
                    committed = committed_bytes(paths.RAW / file)
                    files[file] = str(Path(folder) / file)
                    Path(files[file]).write_bytes(committed)
                tidy[name] = tidy_table(entry, files, article_lines).replace(
                    {"raw_file": {path: str(paths.RAW / file) for file, path in files.items()}}
                )
            frame = registry_frame(*(tidy[name] for name in REGISTRY_SOURCES), citation_keys_of(descriptor))
        except (OSError, subprocess.CalledProcessError, BuildError):
            return "", {}  # not a git checkout, or the committed data are no better
    return "in the committed data (git HEAD)", {row["id"]: row for row in frame.to_dict("records")}


def check_lost_numbers(registry: dict[str, Any], previous: tuple[str, dict[str, Any]]) -> None:
    """A number the data gave before (`previous`), that the raw data no longer give and a text still uses.

    Blamed on the data file that lost it (the text is right to use it), naming the text that uses it.
    """
    when, numbers = previous
    lost = {number_id: row for number_id, row in numbers.items() if number_id not in registry and row.get("raw_file")}
    if not lost:
        return
    users = [
        *(p for lang in LANGUAGES for p in [*paths.section_files(lang), paths.ABSTRACTS / f"{lang}.md"]),
        *(paths.labels_file(lang) for lang in LANGUAGES),
        paths.TEMPLATES / "paper.md.j2",
        paths.CLAIMS,
        *sorted(paths.RAW.glob("*.csv")),
    ]
    for path in users:
        text = read_text(path) if path.is_file() else ""
        for match in re.finditer(r"\b(" + "|".join(map(re.escape, sorted(lost))) + r")\b", text):
            row = lost[match.group(1)]
            line = line_at(text, match.start())
            raise BuildError(
                f"{row['raw_file']}: the number '{match.group(1)}' (row {row['raw_row']}, column "
                f"'{row['raw_column']}' {when}) is gone from the file, and {path}, line {line} uses it; "
                "restore its row, or remove the reference."
            )


@contextmanager
def lost_numbers_blamed(
    registry: dict[str, Any], descriptor: dict[str, Any], article_lines: list[str]
) -> Iterator[None]:
    """Around the checks of the texts against `registry`: a data file that lost a number a text uses is blamed
    first. The last build's registry is compared before them; on a tree never built, the committed data
    are read (with git) only when one of them fails, not on every check."""
    if paths.REGISTRY.is_file():
        check_lost_numbers(registry, previous_registry(descriptor, article_lines))
        yield
        return
    try:
        yield
    except BuildError:
        check_lost_numbers(registry, previous_registry(descriptor, article_lines))
        raise


def lost_citers(key: str) -> list[str]:
    """The text, label and raw data files that cite `key` in the committed files (git HEAD) and no longer name it:
    where an entry that is cited nowhere lost its citation. None outside a git checkout."""
    folders = [str(paths.TEXT), str(paths.LABELS), str(paths.RAW)]
    try:
        found = subprocess.run(["git", "grep", "-l", "-w", "-F", key, "HEAD", "--", *folders],
                               capture_output=True, text=True).stdout  # fmt: skip
    except OSError:  # no git
        return []
    files = [Path(line.removeprefix("HEAD:")) for line in found.splitlines()]
    named = re.compile(rf"(?<!\w){re.escape(key)}(?!\w)")
    return [str(file) for file in files if not (file.is_file() and named.search(read_text(file)))]


# The columns of a raw file that quote the published text, by line and words (gigpaper.validate).
QUOTING_COLUMNS = {"source_line", "statement", "other_lines"}


def blame_a_changed_published_text(error: SourceDataError, article_lines: list[str]) -> None:
    """Where a raw file's quote no longer matches the published text, and that text is what changed since the
    committed one (git HEAD), the text (`article_lines`, as the check read it) is blamed at its first changed line: the
    rows are right to cite their lines. Nothing outside a git checkout, or for another column, or when the text is as
    committed."""
    if error.column not in QUOTING_COLUMNS:
        return
    try:
        committed = committed_bytes(paths.PUBLISHED_ARTICLE).decode("utf-8")
    except (OSError, subprocess.CalledProcessError, UnicodeDecodeError):
        return
    old, new = committed.splitlines(), article_lines
    if old == new:
        return
    line = next((n for n, (a, b) in enumerate(zip(old, new, strict=False), 1) if a != b), min(len(old), len(new)) + 1)
    raise BuildError(
        f"{paths.PUBLISHED_ARTICLE}, line {line}: differs from the committed file (git HEAD) from this line on, and "
        f"{str(error).removesuffix('.')}; restore the published text, the article as the journal printed it (record a "
        f"departure from it in {paths.ERRATA})."
    ) from error
