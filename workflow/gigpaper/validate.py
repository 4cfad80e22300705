"""Validate one raw source against the data package and write its tidy table.

Checks beyond each cell's type and constraints are named in the resource's `checks` list.
The first problem stops the step with one message naming file, row and column.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gigpaper import atomic, checked, memo
from gigpaper.catalogue import PUBLISHED_LANG
from gigpaper.datapackage import check_checksum, read_table, resource_files
from gigpaper.errors import SourceDataError
from gigpaper.files import read_text
from gigpaper.paths import PUBLISHED_ARTICLE
from gigpaper.quotes import ANYWHERE, WINDOW, line_prints, locate_quote, stated_values

if TYPE_CHECKING:
    import pandas as pd

Rows = list[dict[str, Any]]


def _printed_number_line(article_lines: list[str], line: int, quote: str, window: int) -> int | None:
    """The line of the first number the quote prints (for a raw value that no longer matches the words)."""
    numbers = re.findall(r"\d+(?:[.,]\d+)?", quote)
    lines = [locate_quote(article_lines, line, quote, float(n.replace(",", ".")), window) for n in numbers[:1]]
    return lines[0] if lines else locate_quote(article_lines, line, quote, window=window)


# A number a revision adds, which the published article does not print: its row has no line and no words of it.
ADDED = "a row with neither source_line nor statement is a number added after publication"


def added_after_publication(row: dict[str, Any]) -> bool:
    return row.get("source_line") is None and not row.get("statement")


def _check_added_number(path: str, row: dict[str, Any]) -> None:
    """A number added after publication names the work it comes from, and where in it: its only trace."""
    for column, what in (
        ("citation_key", "the work the number comes from"),
        ("cited_locator", "where in that work, such as a page or a table"),
    ):
        if column in row and not row[column]:
            raise SourceDataError(path, row["_row"], column, "", f"{what} ({ADDED}, which must name its source)")
    if row.get("other_lines"):
        raise SourceDataError(
            path, row["_row"], "other_lines", row["other_lines"], f"nothing ({ADDED}, printed on no line of it)"
        )


def check_statement_in_article(path: str, rows: Rows, article_lines: list[str], **_: Any) -> None:
    """Each statement is the article's own words, and source_line is exactly the line where it prints the
    row's number; every line of other_lines prints the number too. A raw value that the words no longer
    print (an author corrected the data) passes here: the claims ledger reports the disagreement. A row with
    neither line nor words is a number added after publication, which must name its source."""
    for row in rows:
        line, statement = row["source_line"], row["statement"]
        if added_after_publication(row):
            _check_added_number(path, row)
            continue
        if line is None:
            raise SourceDataError(
                path, row["_row"], "source_line", "", f"the line of the published text that prints the statement "
                f"(or no statement either: {ADDED})",
            )  # fmt: skip
        if not statement:
            raise SourceDataError(
                path, row["_row"], "statement", "", f"the article's words on line {line} that state the value "
                f"(or no source_line either: {ADDED})",
            )  # fmt: skip
        values = stated_values(row)
        if len(values) < (2 if row.get("kind") == "range" else 1):
            continue  # a missing value is check_value_kind's to report
        # The words near the line, else anywhere: a line mistyped (457 for 547) is the line's fault, not theirs.
        window = next((w for w in (WINDOW, ANYWHERE) if locate_quote(article_lines, line, statement, window=w)), None)
        if window is None:
            raise SourceDataError(
                path, row["_row"], "statement", statement,
                f"the article's words, printing {values[0]:g} on line {line} of the published text",
            )  # fmt: skip
        where = locate_quote(article_lines, line, statement, values[0], window)
        what = f"{values[0]:g}"
        if where is None:  # the words print another number: check the line of the number they print
            where, what = _printed_number_line(article_lines, line, statement, window), "its number"
        if where != line:
            raise SourceDataError(
                path, row["_row"], "source_line", line,
                f"the line that prints {what}: the statement prints it on line {where} of the published text",
            )  # fmt: skip
        for other in str(row.get("other_lines") or "").split():
            if not other.isdigit() or not any(line_prints(article_lines, int(other), v) for v in values):
                printed = " or ".join(f"{v:g}" for v in values)
                raise SourceDataError(
                    path, row["_row"], "other_lines", other, f"a line of the published text that prints {printed}"
                )


def check_value_kind(path: str, rows: Rows, **_: Any) -> None:
    """A range has low < high and no value; every other kind has a value and no range."""
    for row in rows:
        if row["kind"] == "range":
            for column in ("low", "high"):
                if row[column] is None:
                    raise SourceDataError(path, row["_row"], column, "", "a number: kind 'range' needs low and high")
            if row["value"] is not None:
                raise SourceDataError(
                    path, row["_row"], "value", row["value"], "no value: kind 'range' uses low and high"
                )
            if not row["low"] < row["high"]:
                raise SourceDataError(path, row["_row"], "high", row["high"], f"a number above low ({row['low']})")
        else:
            if row["value"] is None:
                raise SourceDataError(path, row["_row"], "value", "", f"a number for kind '{row['kind']}'")
            for column in ("low", "high"):
                if row[column] is not None:
                    raise SourceDataError(
                        path, row["_row"], column, row[column], "nothing: only kind 'range' has low and high"
                    )
        if "year_start" in row and row["year_start"] > row["year_end"]:
            raise SourceDataError(
                path, row["_row"], "year_end", row["year_end"], f"a year not before year_start ({row['year_start']})"
            )


def check_shares_sum_to_100(path: str, rows: Rows, **_: Any) -> None:
    """Each occupation has one women's and one men's share, adding up to 100."""
    groups: dict[tuple, Rows] = defaultdict(list)
    for row in rows:
        groups[(row["year"], row["occupation"])].append(row)
    for (_year, occupation), members in groups.items():
        last = members[-1]
        genders = sorted(m["gender"] for m in members)
        if genders != ["men", "women"]:
            raise SourceDataError(
                path, last["_row"], "gender", ",".join(genders), f"one 'women' and one 'men' row for {occupation}"
            )
        total = sum(m["share_pct"] for m in members)
        if abs(total - 100) > 1e-9:
            parts = " + ".join(f"{m['gender']} {m['share_pct']:g}" for m in members)
            raise SourceDataError(
                path,
                last["_row"],
                "share_pct",
                last["share_pct"],
                f"shares of {occupation} adding up to 100 ({parts} = {total:g})",
            )


def check_citation_keys(path: str, rows: Rows, citation_keys: set[str], **_: Any) -> None:
    """Every citation key names a work in manuscript/bibliography.yaml."""
    for row in rows:
        for column in ("citation_key", "after_citation"):
            key = row.get(column)
            if key and key not in citation_keys:
                raise SourceDataError(path, row["_row"], column, key, "a citation key of manuscript/bibliography.yaml")


# Checks that read only the resource's own files, run by validate_source and by the input check.
CHECKS: dict[str, Callable[..., None]] = {
    "statement_in_article": check_statement_in_article,
    "value_kind": check_value_kind,
    "shares_sum_to_100": check_shares_sum_to_100,
}


def _read_translation(path: str, entry: dict[str, Any], source_rows: Rows, source_path: str) -> Rows:
    """A translation has the source's key and translated fields, one row for each source row."""
    key = entry["schema"]["primaryKey"]
    by_name = {f["name"]: f for f in entry["schema"]["fields"]}
    fields = [by_name[name] for name in key + entry["translated_fields"]]
    rows = read_table(path, fields, key)
    wanted = [tuple(r[k] for k in key) for r in source_rows]
    found = {tuple(r[k] for k in key): r for r in rows}
    for row in rows:
        if tuple(row[k] for k in key) not in wanted:
            raise SourceDataError(path, row["_row"], key[0], row[key[0]], f"a key of {source_path}")
    for missing in wanted:
        if missing not in found:
            raise SourceDataError(
                path, len(rows) + 2, key[0], "", f"a row for '{','.join(map(str, missing))}', as in {source_path}"
            )
    return [found[k] for k in wanted]


def _frame(rows: Rows, raw_file: str) -> pd.DataFrame:
    import pandas as pd

    frame = pd.DataFrame(rows).rename(columns={"_row": "raw_row"})
    frame["raw_file"] = raw_file
    return frame


def resource_rows(entry: dict[str, Any], files: dict[str, str], article_lines: list[str]) -> Rows:
    """The typed rows of a resource's main file, after its own checks; `files` maps names to paths."""
    main_path = files[entry["path"]]
    rows = read_table(main_path, entry["schema"]["fields"], entry["schema"]["primaryKey"])
    for check in entry.get("checks", []):
        if check in CHECKS:
            CHECKS[check](main_path, rows, article_lines=article_lines)
    for row in rows:  # a table's row, which no check above quotes, kept a line past the article's end unsaid
        if (line := row.get("source_line")) is not None and not 1 <= line <= len(article_lines):
            raise SourceDataError(main_path, row["_row"], "source_line", line,
                                  f"a line of {PUBLISHED_ARTICLE} (1 to {len(article_lines)})")  # fmt: skip
    return rows


def tidy_table(entry: dict[str, Any], files: dict[str, str], article_lines: list[str]) -> pd.DataFrame:
    """A resource as one tidy table: its rows (and translated rows, with `lang`), with raw_file and raw_row.

    Remembered by what it is made from (the descriptor entry, the files' paths and bytes, the article):
    a resource none of whose files changed is not read and checked again.
    """
    parts = [memo.as_json(entry), "\n".join(article_lines)]
    for name, path in sorted(files.items()):
        parts += [name, path, Path(path).read_bytes()]
    return memo.remembered("tidy", parts, lambda: _tidy_table(entry, files, article_lines), on_disk=True)


def _tidy_table(entry: dict[str, Any], files: dict[str, str], article_lines: list[str]) -> pd.DataFrame:
    import pandas as pd

    main_path = files[entry["path"]]
    rows = resource_rows(entry, files, article_lines)
    if "translations" not in entry:
        return _frame(rows, main_path)
    frames = [_frame(rows, main_path).assign(lang=PUBLISHED_LANG)]
    for lang, translation in entry["translations"].items():
        path = files[translation["path"]]
        translated = _read_translation(path, entry, rows, main_path)
        merged = [{**source, **t} for source, t in zip(rows, translated, strict=True)]
        frames.append(_frame(merged, path).assign(lang=lang))
    return pd.concat(frames, ignore_index=True)


def tidy_inputs(entry: dict[str, Any], raw: list[str], article: str, article_sha256: str) -> tuple[Any, ...]:
    """What decides a tidy table, as `checked.key` takes it."""
    return "tidy table", checked.read([*raw, article]), entry, article_sha256


def validate_source(entry: dict[str, Any], raw: list[str], article: str, article_sha256: str, table: str) -> None:
    """Publish the input check's tidy table of one resource (`raw`, named in the descriptor), or check its
    files and write it to `table` when the check kept none for these inputs."""
    if checked.publish(table, *tidy_inputs(entry, raw, article, article_sha256)):
        return
    files = {Path(path).name: path for path in raw}
    check_checksum(article, article_sha256)
    for name, digest in resource_files(entry).items():
        check_checksum(files[name], digest)
    article_lines = read_text(article).splitlines()
    atomic.write_csv(table, tidy_table(entry, files, article_lines))
