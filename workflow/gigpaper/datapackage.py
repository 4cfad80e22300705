"""Read the data package descriptor and the raw files it describes, checking each cell.

Run as a module to record the checksums of raw files changed on purpose:
    python -m gigpaper.datapackage --update-checksums
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import re
from pathlib import Path
from typing import Any

from gigpaper.errors import BuildError, SourceDataError
from gigpaper.files import load_yaml, read_text
from gigpaper.paths import DESCRIPTOR

FIELD_TYPES = ("string", "integer", "number")
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


def resource_names(descriptor: dict[str, Any], *, tabular: bool = True) -> list[str]:
    return [r["name"] for r in descriptor["resources"] if not tabular or "schema" in r]


def resource_files(entry: dict[str, Any]) -> dict[str, str]:
    """Map each file of a resource to its recorded checksum: the main file and its translations."""
    files = {entry["path"]: entry["sha256"]}
    for translation in entry.get("translations", {}).values():
        files[translation["path"]] = translation["sha256"]
    return files


def sha256_of(path: str | Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def check_checksum(path: str | Path, expected: str) -> None:
    actual = sha256_of(path)
    if actual != expected:
        raise BuildError(
            f"{path}: its SHA-256 is {actual}, but data/raw/datapackage.yaml records {expected}; {CHECKSUM_HINT}."
        )


def _cast(path: str, row: int, field: dict[str, Any], raw: str) -> Any:
    name, kind = field["name"], field["type"]
    constraints = field.get("constraints", {})
    if raw == "":
        if constraints.get("required"):
            raise SourceDataError(path, row, name, raw, f"a {kind} (this column is required)")
        return None
    if kind == "string":
        value: Any = raw
        if raw != raw.strip():
            raise SourceDataError(path, row, name, raw, "text without leading or trailing spaces")
    elif kind == "integer":
        if not re.fullmatch(r"-?\d+", raw):
            raise SourceDataError(path, row, name, raw, "a whole number")
        value = int(raw)
    elif kind == "number":
        try:
            value = float(raw)
        except ValueError:
            raise SourceDataError(path, row, name, raw, "a number written with a decimal point") from None
        if value != value or value in (float("inf"), float("-inf")):
            raise SourceDataError(path, row, name, raw, "a finite number")
    else:
        raise BuildError(f"{DESCRIPTOR}: field '{name}' has type '{kind}'; expected one of {', '.join(FIELD_TYPES)}.")
    if "enum" in constraints and value not in constraints["enum"]:
        raise SourceDataError(path, row, name, raw, "one of " + ", ".join(map(str, constraints["enum"])))
    if "minimum" in constraints and value < constraints["minimum"]:
        raise SourceDataError(path, row, name, raw, f"a value of at least {constraints['minimum']}")
    if "maximum" in constraints and value > constraints["maximum"]:
        raise SourceDataError(path, row, name, raw, f"a value of at most {constraints['maximum']}")
    if "pattern" in constraints and not re.fullmatch(constraints["pattern"], raw):
        raise SourceDataError(path, row, name, raw, f"text matching {constraints['pattern']}")
    return value


def read_table(path: str | Path, fields: list[dict[str, Any]], primary_key: list[str]) -> list[dict[str, Any]]:
    """Read a CSV file whose columns are `fields`, typed and checked; each row carries `_row`.

    Rows are numbered as lines of the file, the header being row 1.
    """
    path = str(path)
    names = [f["name"] for f in fields]
    reader = csv.reader(io.StringIO(read_text(path), newline=""))
    header = next(reader, None)
    if header != names:
        found = ",".join(header or [])
        raise SourceDataError(path, 1, "(header)", found, "the columns " + ",".join(names))
    rows, seen = [], {}
    for row_number, cells in enumerate(reader, start=2):
        if len(cells) != len(names):
            column = names[min(len(cells), len(names) - 1)]
            raise SourceDataError(path, row_number, column, ",".join(cells), f"{len(names)} cells")
        row = {f["name"]: _cast(path, row_number, f, cell) for f, cell in zip(fields, cells, strict=True)}
        key = tuple(row[k] for k in primary_key)
        if key in seen:
            raise SourceDataError(
                path,
                row_number,
                ",".join(primary_key),
                ",".join(map(str, key)),
                f"a key not used before (row {seen[key]} has it)",
            )
        seen[key] = row_number
        row["_row"] = row_number
        rows.append(row)
    return rows


def update_checksums(descriptor_path: str | Path = DESCRIPTOR) -> list[str]:
    """Rewrite every recorded checksum in the descriptor; return the files whose checksum changed."""
    descriptor_path = Path(descriptor_path)
    text = descriptor_path.read_text(encoding="utf-8")
    changed = []

    def replace(match: re.Match[str]) -> str:
        file_path = descriptor_path.parent / match.group(2)
        digest = sha256_of(file_path)
        if digest != match.group(4):
            changed.append(match.group(2))
        return match.group(1) + digest

    pattern = re.compile(r"(path: ([^\s,}]+)(,\s*|\n\s+)sha256: )([0-9a-f]{64})")
    descriptor_path.write_text(pattern.sub(replace, text), encoding="utf-8")
    return changed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--update-checksums", action="store_true", help="record the SHA-256 of every raw file")
    parser.add_argument("--descriptor", default=str(DESCRIPTOR))
    args = parser.parse_args()
    if args.update_checksums:
        changed = update_checksums(args.descriptor)
        print("updated: " + ", ".join(changed) if changed else "all checksums already match")


if __name__ == "__main__":
    main()
