"""Read the data package (a Frictionless Data Package) and the raw tables it describes.

Each table is checked by `frictionless` against its Table Schema (types, constraints, header, primary
key); its first error is told in the project's words (file, row, column, found, expected).

Run as a module to record the checksums of raw files changed on purpose:
    python -m gigpaper.datapackage --update-checksums
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import re
import sys
from collections.abc import Collection
from functools import cache
from pathlib import Path
from typing import Any

from gigpaper.errors import BuildError, SourceDataError, header_error
from gigpaper.files import load_yaml, read_text
from gigpaper.grammar import ID, line_at, look_alike
from gigpaper.memo import installed_libraries
from gigpaper.paths import DESCRIPTOR, STATE
from gigpaper.rows import FORMULA_START

CHECKSUM_HINT = "if you changed it on purpose, run `.venv/bin/python -m gigpaper.datapackage --update-checksums`"


def load_descriptor(path: str | Path = DESCRIPTOR) -> dict[str, Any]:
    return load_yaml(path)


def citation_keys_of(descriptor: dict[str, Any]) -> dict[str, str | None]:
    """The work each resource's data come from (its `citation_key`), by resource name."""
    return {entry["name"]: entry.get("citation_key") for entry in descriptor["resources"]}


def resource(descriptor: dict[str, Any], name: str) -> dict[str, Any]:
    for entry in descriptor["resources"]:
        if entry["name"] == name:
            return entry
    raise BuildError(f"{DESCRIPTOR}: no resource named '{name}'.")


def digest(entry: dict[str, Any]) -> str:
    """The SHA-256 a resource (or a translation) records, as the Data Package standard writes it: `sha256:<hex>`."""
    return entry["hash"].removeprefix("sha256:")


def tidy_sources(descriptor: dict[str, Any]) -> list[str]:
    """The resources made into tidy tables (data/processed/): the public OLI files are read raw by the source check."""
    return [r["name"] for r in descriptor["resources"] if "schema" in r and r.get("obtained") != "public_data"]


def resource_files(entry: dict[str, Any]) -> dict[str, str]:
    """Map each file of a resource to its recorded checksum: the main file and its translations."""
    files = {entry["path"]: digest(entry)}
    for translation in entry.get("translations", {}).values():
        files[translation["path"]] = digest(translation)
    return files


def sha256_of(path: str | Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def check_checksum(path: str | Path, expected: str) -> None:
    actual = sha256_of(path)
    if actual != expected:
        raise BuildError(
            f"{path}: its SHA-256 is {actual}, but data/raw/datapackage.yaml records {expected}; {CHECKSUM_HINT}."
        )


# The longest cell the steps' CSV readers take: Python's own limit, which they keep. Frictionless lifts it
# in the process that imports it, so the check holds every cell to it itself.
CELL_LIMIT = 131_072


def _header_and_rows(path: str) -> tuple[list[str], list[list[str]]]:
    """Every cell, however long: what is too long is refused in the project's words, not by the csv module."""
    limit = csv.field_size_limit(sys.maxsize)
    try:
        rows = list(csv.reader(io.StringIO(read_text(path), newline="")))
    finally:
        csv.field_size_limit(limit)
    return (rows[0] if rows else []), rows[1:]


def _check_shape(path: str, fields: list[dict[str, Any]], header: list[str], rows: list[list[str]]) -> None:
    """A header and at least one row, no cell longer than a step can read: what Frictionless lets through."""
    names = ",".join(f["name"] for f in fields)
    if not header:
        raise BuildError(f"{path}: the file is empty; expected the header {names} and a row of data under it.")
    if not rows:
        raise BuildError(f"{path}: the file holds its header but no row; expected a row of data under it.")
    for row_number, cells in enumerate(rows, start=2):
        for column, cell in zip(header, cells, strict=False):
            if len(cell) > CELL_LIMIT:
                raise SourceDataError(
                    path, row_number, column, f"{cell[:40]}... ({len(cell):,} characters)",
                    f"at most {CELL_LIMIT:,} characters (a quote left open takes the lines after it into one cell)",
                )  # fmt: skip


# The patterns the data package holds text columns to, in words (a regular expression tells an editor little).
PATTERN_WORDS = {
    ID: "an id of small Latin letters, digits and _, starting with a letter",  # a row's, a number's, a platform's
    "[A-Z]{3}": "a country's code of three capital Latin letters (ISO 3166-1 alpha-3, such as KAZ)",  # the OLI's areas
}


def _expected(field: dict[str, Any], constraint: str | None) -> str:
    """What a cell of `field` must hold, in the project's words (Frictionless names only the rule broken)."""
    kind, constraints = field["type"], field.get("constraints", {})
    if constraint is None:
        return {"integer": "a whole number", "number": "a number written with a decimal point"}.get(kind, "text")
    if constraint == "required":
        return f"a {kind} (this column is required)"
    if constraint == "enum":
        return "one of " + ", ".join(map(str, constraints["enum"]))
    if constraint in ("minimum", "maximum"):
        return f"a value of {'at least' if constraint == 'minimum' else 'at most'} {constraints[constraint]}"
    if words := PATTERN_WORDS.get(constraints.get("pattern", "")):
        return words
    return f"text matching {constraints.get('pattern', constraint)}"


def _refusal(path: str, fields: list[dict[str, Any]], primary_key: list[str], error: Any) -> BuildError:
    """Frictionless's first error as the project's one message: file, row, column, found, expected."""
    names = [f["name"] for f in fields]
    header, rows = _header_and_rows(path)
    row = getattr(error, "row_number", None)
    if error.type.endswith("-label"):
        return header_error(path, ",".join(header), [",".join(names)])
    if error.type in ("missing-cell", "extra-cell", "blank-row"):
        cells = rows[row - 2]
        if not cells:  # an Enter too many
            return BuildError(f"{path}, row {row}: found an empty line; expected a row of {len(names)} cells (delete "
                              "the line, or fill it in).")  # fmt: skip
        return SourceDataError(
            path, row, names[min(len(cells), len(names) - 1)], ",".join(cells), f"{len(names)} cells"
        )
    if error.type == "primary-key":
        by_name = dict(zip(header, rows[row - 2], strict=False))
        first = re.search(r"(\d+)", error.note)
        return SourceDataError(
            path, row, ",".join(primary_key), ",".join(by_name[k] for k in primary_key),
            f"a key not used before (row {first.group(1) if first else '?'} has it)",
        )  # fmt: skip
    if error.type in ("type-error", "constraint-error"):
        field = fields[names.index(error.field_name)]
        constraint = re.search(r'constraint "(\w+)"', error.note or "")
        expected = _expected(field, constraint and constraint.group(1))
        if constraint and constraint.group(1) == "pattern":  # a letter of another script looks as the one expected
            expected += look_alike(str(error.cell))
        return SourceDataError(path, row, field["name"], error.cell, expected)
    return BuildError(f"{path}: {error.message}")


_VALID: set[str] = set()


@cache
def _frictionless_version() -> str:
    return next((name for name in installed_libraries() if name.lower().startswith("frictionless-")), "absent")


def _known_valid(path: str, fields: list[dict[str, Any]], primary_key: list[str], record: bool = False) -> bool:
    """Whether these bytes passed Frictionless with this schema before (in this process or in an earlier build).

    A table is re-checked only when it or its schema changed: the large OLI file takes a second to check.
    """
    schema = json.dumps([fields, primary_key, _frictionless_version()], sort_keys=True).encode()
    key = hashlib.sha256(schema + b"\0" + Path(path).read_bytes()).hexdigest()
    stamp = STATE / "valid-tables" / key
    if record:
        _VALID.add(key)
        stamp.parent.mkdir(parents=True, exist_ok=True)
        stamp.touch()
    return key in _VALID or stamp.is_file()


def read_table(path: str | Path, fields: list[dict[str, Any]], primary_key: list[str]) -> list[dict[str, Any]]:
    """Read a CSV file whose columns are `fields`, checked by Frictionless against its Table Schema.

    Rows are numbered as lines of the file, the header being row 1; each row carries `_row`.
    """
    path = str(path)
    header, cells = _header_and_rows(path)
    _check_shape(path, fields, header, cells)
    if not _known_valid(path, fields, primary_key):
        # Imported only when a table must be checked: the import alone takes about a second.
        from frictionless import Dialect, Resource, Schema, formats, system

        # The project's own file, named by path (Frictionless refuses absolute paths unless trusted).
        with system.use_context(trusted=True):
            resource = Resource(
                path=path, format="csv", encoding="utf-8",
                dialect=Dialect(header_rows=[1], controls=[formats.CsvControl(delimiter=",")]),
                schema=Schema.from_descriptor({"fields": fields, "primaryKey": primary_key}),
            )  # fmt: skip
            report = resource.validate(limit_errors=1)
        if not report.valid:
            raise _refusal(path, fields, primary_key, report.tasks[0].errors[0])
        _known_valid(path, fields, primary_key, record=True)
    rows = []
    for row_number, values in enumerate(cells, start=2):
        row = {f["name"]: _value(path, row_number, f, raw) for f, raw in zip(fields, values, strict=True)}
        row["_row"] = row_number  # last: the tidy tables keep the columns in the file's order, then raw_row
        rows.append(row)
    return rows


# Table Schema's lexical forms of a number (https://specs.frictionlessdata.io/table-schema/), in ASCII digits:
# Python's int() and float(), which Frictionless reads cells with, also take 5_2, ５２ and spaces around a number.
LEXICAL = {
    "integer": re.compile(r"[+-]?[0-9]+"),
    "number": re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?"),
}


def _value(path: str, row: int, field: dict[str, Any], raw: str) -> Any:
    """A cell Frictionless accepted, as a Python value; the project also refuses padded text and NaN or infinity,
    and a number in any other form than Table Schema's."""
    if raw == "":
        return None
    if field["type"] in LEXICAL:
        if not LEXICAL[field["type"]].fullmatch(raw):
            infinite = raw.strip().lstrip("+-").lower() in ("nan", "inf", "infinity")
            raise SourceDataError(
                path, row, field["name"], raw, "a finite number" if infinite else _expected(field, None)
            )
        value = int(raw) if field["type"] == "integer" else float(raw)
        if value in (float("inf"), float("-inf")):  # 1e400
            raise SourceDataError(path, row, field["name"], raw, "a finite number")
        return value
    if raw != raw.strip():
        raise SourceDataError(path, row, field["name"], raw, "text without leading or trailing spaces")
    if raw[0] in FORMULA_START:  # the processed tables and the claims ledger are CSV a reviewer opens
        raise SourceDataError(path, row, field["name"], raw, "text that does not start with =, +, - or @, "
                              "which a spreadsheet opening the project's tables would run as a formula")  # fmt: skip
    return raw


def update_checksums(descriptor_path: str | Path = DESCRIPTOR, only: Collection[Path] | None = None) -> list[str]:
    """Rewrite every recorded checksum in the descriptor (or those of the files `only` names); return the files
    whose checksum changed."""
    descriptor_path = Path(descriptor_path)
    text = descriptor_path.read_text(encoding="utf-8")
    changed = []

    def replace(match: re.Match[str]) -> str:
        file_path = descriptor_path.parent / match.group(2)
        if only is not None and file_path not in only:
            return match.group(0)
        if "/" in match.group(2) or not file_path.is_file():  # nothing is written: the text is replaced as a whole
            said = (f"the file {file_path} does not exist; correct the path, or put the file there" if "/" not in
                    match.group(2) else f"found the path '{match.group(2)}'; expected a file name in {descriptor_path.parent}/")  # fmt: skip
            raise BuildError(f"{descriptor_path}, line {line_at(text, match.start())}: {said} (no checksum "
                             "was recorded).")  # fmt: skip
        digest = sha256_of(file_path)
        if digest != match.group(4):
            changed.append(match.group(2))
        return match.group(1) + digest

    pattern = re.compile(r"(path: ([^\s,}]+)(,\s*|\n\s+)hash: \"sha256:)([0-9a-f]{64})")
    descriptor_path.write_text(pattern.sub(replace, text), encoding="utf-8")
    return changed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--update-checksums", action="store_true", help="record the SHA-256 of every raw file")
    parser.add_argument("--descriptor", default=str(DESCRIPTOR))
    args = parser.parse_args()
    if args.update_checksums:
        try:
            changed = update_checksums(args.descriptor)
        except BuildError as error:
            sys.exit(f"ERROR: {error}")
        print("updated: " + ", ".join(changed) if changed else "all checksums already match")


if __name__ == "__main__":
    main()
