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

from gigpaper import atomic
from gigpaper.datapackage import check_checksum, read_table, resource_files
from gigpaper.errors import SourceDataError
from gigpaper.files import read_text

if TYPE_CHECKING:
    import pandas as pd

Rows = list[dict[str, Any]]


def _normalise(text: str) -> str:
    """One space between words, and a word broken at a line end ("гиг- экономика") joined again."""
    return re.sub(r"(\w)- (\w)", r"\1-\2", re.sub(r"\s+", " ", text)).strip()


def quote_found(article_lines: list[str], start: int, quote: str) -> bool:
    """Whether `quote` is the article's own words, starting on line `start` (1-based) or just after."""
    window = _normalise(" ".join(article_lines[start - 1 : start + 4]))
    return 0 < start <= len(article_lines) and _normalise(quote) in window


def check_statement_in_article(path: str, rows: Rows, article_lines: list[str], **_: Any) -> None:
    """Each statement must be the article's own words, starting at its source_line."""
    for row in rows:
        start = row["source_line"]
        if not quote_found(article_lines, start, row["statement"]):
            raise SourceDataError(
                path,
                row["_row"],
                "statement",
                row["statement"],
                f"the article's words as printed from line {start} of the published text",
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
# Checks against other inputs (the bibliography), run by the input check alone, so that a change to
# those inputs does not rerun every data step (gigpaper.checks).
PROJECT_CHECKS: dict[str, Callable[..., None]] = {"citation_keys": check_citation_keys}


def _read_translation(path: str, entry: dict[str, Any], source_rows: Rows) -> Rows:
    """A translation has the source's key and translated fields, one row for each source row."""
    key = entry["primary_key"]
    by_name = {f["name"]: f for f in entry["schema"]["fields"]}
    fields = [by_name[name] for name in key + entry["translated_fields"]]
    rows = read_table(path, fields, key)
    wanted = [tuple(r[k] for k in key) for r in source_rows]
    found = {tuple(r[k] for k in key): r for r in rows}
    for row in rows:
        if tuple(row[k] for k in key) not in wanted:
            raise SourceDataError(path, row["_row"], key[0], row[key[0]], f"a key of {entry['path']}")
    for missing in wanted:
        if missing not in found:
            raise SourceDataError(
                path, len(rows) + 2, key[0], "", f"a row for '{','.join(map(str, missing))}', as in {entry['path']}"
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
    rows = read_table(main_path, entry["schema"]["fields"], entry["primary_key"])
    for check in entry.get("checks", []):
        if check in CHECKS:
            CHECKS[check](main_path, rows, article_lines=article_lines)
    return rows


def tidy_table(entry: dict[str, Any], files: dict[str, str], article_lines: list[str]) -> pd.DataFrame:
    """A resource as one tidy table: its rows (and translated rows, with `lang`), with raw_file and raw_row."""
    import pandas as pd

    main_path = files[entry["path"]]
    rows = resource_rows(entry, files, article_lines)
    if "translations" not in entry:
        return _frame(rows, main_path)
    frames = [_frame(rows, main_path).assign(lang="kk")]
    for lang, translation in entry["translations"].items():
        path = files[translation["path"]]
        translated = _read_translation(path, entry, rows)
        merged = [{**source, **t} for source, t in zip(rows, translated, strict=True)]
        frames.append(_frame(merged, path).assign(lang=lang))
    return pd.concat(frames, ignore_index=True)


def validate_source(entry: dict[str, Any], raw: list[str], article: str, article_sha256: str, table: str) -> None:
    """Check the files of one resource (`raw`, named in the descriptor) and write its tidy table to `table`."""
    files = {Path(path).name: path for path in raw}
    check_checksum(article, article_sha256)
    for name, digest in resource_files(entry).items():
        check_checksum(files[name], digest)
    article_lines = read_text(article).splitlines()
    atomic.write_csv(table, tidy_table(entry, files, article_lines))
