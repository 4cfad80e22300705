"""Small CSV tables as lists of dicts, read and written with the csv module.

The ledger, the claim checks and the reviewer page read tables of a few hundred rows; pandas would
cost them half a second to import. The bytes written are those of `atomic.csv_text` (pandas'
`to_csv`, which writes through the same csv module): blank cells for missing values.
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Iterable
from typing import Any

from gigpaper import atomic
from gigpaper.files import read_text

INTEGER = re.compile(r"[+-]?\d+")
# What a spreadsheet takes for the start of a formula in a cell.
FORMULA_START = ("=", "+", "-", "@")
DECIMAL = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")


def text_table(path: str | os.PathLike) -> tuple[list[str], list[dict[str, str]]]:
    """The header and the rows, every cell as the file writes it (a blank one as ''). Read by files.read_text: a
    missing file or one not clean UTF-8 is one message naming it (`./paper translations` reads unchecked files)."""
    reader = csv.DictReader(io.StringIO(read_text(path), newline=""))
    return list(reader.fieldnames or []), list(reader)


def read_text_rows(path: str | os.PathLike) -> list[dict[str, str]]:
    return text_table(path)[1]


def _number(text: str) -> int | float:
    return int(text) if INTEGER.fullmatch(text) else float(text)


def read_rows(path: str | os.PathLike, text: Iterable[str] = ()) -> list[dict[str, Any]]:
    """Rows with a blank cell as None and a column of numbers as numbers (int where every one is whole, as
    a column's type is read by pandas), but the `text` columns, which stay text even where they hold digits."""
    rows = read_text_rows(path)
    columns = list(rows[0]) if rows else []
    kept = set(text)
    for column in columns:
        cells = [row[column] for row in rows if row[column] != ""]
        numeric = column not in kept and cells and all(DECIMAL.fullmatch(cell) for cell in cells)
        for row in rows:
            cell = row[column]
            row[column] = None if cell == "" else _number(cell) if numeric else cell
    return rows


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.15g}"  # as atomic.csv_text: whole numbers without ".0", every significant digit
    text = str(value)
    # The claims ledger is CSV a reviewer opens in a spreadsheet, which would run a cell such as an edition's
    # sentence pasted as '=HYPERLINK(...)' as a formula: such text starts with an apostrophe, which the
    # spreadsheet reads as "text" (OWASP's advice for CSV). A number stays a number; raw data never holds such text.
    return f"'{text}" if text[:1] in FORMULA_START and not DECIMAL.fullmatch(text) else text


def csv_text(rows: Iterable[dict[str, Any]], columns: list[str]) -> str:
    """The rows under `columns` (a key a row lacks is a blank cell, a key `columns` lacks is left out)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([_cell(row.get(column)) for column in columns] for row in rows)
    return buffer.getvalue()


def write_rows(path: str | os.PathLike, rows: Iterable[dict[str, Any]], columns: list[str]) -> None:
    atomic.write_text(path, csv_text(rows, columns))
