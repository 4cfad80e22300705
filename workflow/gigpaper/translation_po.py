"""Translators' PO files: export every translated unit of a language, import edited translations back.

One entry per unit: `msgctxt` is the unit's key (it names the kk file and paragraph, the label or
the table cell, and keeps entries with the same kk text apart), `msgid` the kk text, `msgstr` the
translation, the ru/en file and line its reference; a stale entry is `fuzzy` and carries the kk
text it was translated from as `#| msgid`, which Poedit and Weblate show as the source's change.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import polib

from gigpaper import atomic, paths
from gigpaper.catalogue import PUBLISHED_LANG
from gigpaper.datapackage import update_checksums
from gigpaper.errors import BuildError
from gigpaper.files import read_text
from gigpaper.translations import (
    Unit,
    is_stale,
    mark_translated,
    paragraphs,
    recorded_source,
    translated_tables,
    yaml_scalars,
)

EXPORTS = paths.BUILD / "translations"


def export_po(record: dict, units: list[Unit], lang: str, target: str | Path | None = None) -> tuple[Path, int, int]:
    """Write `lang`'s PO file; return its path, the number of entries and of fuzzy (stale) ones."""
    target = Path(target or EXPORTS / f"{lang}.po")
    po = polib.POFile(wrapwidth=0)
    po.metadata = {
        "Project-Id-Version": "gigpaper",
        "Language": lang,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "X-Source-Language": PUBLISHED_LANG,
    }
    fuzzy = 0
    for unit in (u for u in units if u.lang == lang):
        entry = polib.POEntry(
            msgctxt=unit.key, msgid=unit.source, msgstr=unit.text, occurrences=[(unit.path, str(unit.line))]
        )
        if is_stale(record, unit):
            entry.flags.append("fuzzy")
            entry.previous_msgid = recorded_source(record, unit) or None
            fuzzy += 1
        po.append(entry)
    target.parent.mkdir(parents=True, exist_ok=True)
    atomic.write_text(target, str(po) + "\n", record=False)  # the translator's file
    return target, len(po), fuzzy


def _read_po(path: str | Path) -> polib.POFile:
    if not Path(path).is_file():  # polib would read the path itself as the text of a PO file, and fail on its line 1
        raise BuildError(
            f"{path}: no such file; give the PO file that ./paper translations --export wrote, translated."
        )
    try:
        return polib.pofile(str(path), wrapwidth=0)
    except (OSError, ValueError) as error:
        raise BuildError(f"{path}: not a PO file polib can read ({error}).") from None


def _plan(po_path: str | Path, units: list[Unit]) -> list[tuple[Unit, polib.POEntry]]:
    """Pair every entry with its unit; any entry the project does not know stops the import."""
    by_key = {(u.lang, u.key): u for u in units}
    lang = _read_po(po_path).metadata.get("Language", "")
    plan, unknown = [], []
    for entry in _read_po(po_path):
        if entry.obsolete:
            continue
        unit = by_key.get((lang, entry.msgctxt or ""))
        files = {path for path, _line in entry.occurrences}
        if unit is None or files - {unit.path}:
            where = ", ".join(f"{p}:{n}" for p, n in entry.occurrences) or "no reference"
            unknown.append(f"  line {entry.linenum}: msgctxt {entry.msgctxt!r} ({where})")
            continue
        plan.append((unit, entry))
    if not lang or unknown:
        problem = "no Language in its header" if not lang else f"{len(unknown)} entries name no unit of the {lang} text"
        raise BuildError(
            f"{po_path}: {problem}; nothing was imported.\n"
            + "\n".join(unknown[:20])
            + "\nExport a fresh file with ./paper translations --export and translate in that."
        )
    return plan


def _write_sections(path: str, changes: dict[str, str]) -> None:
    text = read_text(path)
    lines = text.split("\n")
    for index, (start, old) in reversed(list(enumerate(paragraphs(text), 1))):  # the last first: lines stay put
        key = f"{Path(path).name} ¶{index}"
        if key in changes:
            lines[start - 1 : start + old.count("\n")] = changes[key].split("\n")
    atomic.write_text(path, "\n".join(lines), record=False)  # a source


def _write_labels(path: str, changes: dict[str, str]) -> None:
    """Replace each changed scalar in place, as a double-quoted YAML string: comments and layout stay."""
    text = read_text(path)
    nodes = yaml_scalars(text, path)
    edits = sorted(
        ((nodes[k.removeprefix("label ")], v) for k, v in changes.items()), key=lambda e: -e[0].start_mark.index
    )
    for node, value in edits:
        text = text[: node.start_mark.index] + json.dumps(value, ensure_ascii=False) + text[node.end_mark.index :]
    atomic.write_text(path, text, record=False)  # a source


def _write_table(path: str, changes: dict[str, str]) -> None:
    keys = {
        entry["translations"][lang]["path"]: key for entry, key in translated_tables() for lang in entry["translations"]
    }
    text = read_text(path)
    reader = csv.DictReader(io.StringIO(text, newline=""))
    rows = list(reader)
    for row in rows:
        for column in reader.fieldnames or []:
            row[column] = changes.get(f"{row[keys[Path(path).name]]}.{column}", row[column])
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=reader.fieldnames or [], lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    atomic.write_text(path, out.getvalue(), record=False)  # a source


def import_po(record: dict, units: list[Unit], po_path: str | Path) -> tuple[list[Unit], list[Unit]]:
    """Write each changed translation back to its file; record each entry that is not fuzzy as
    translating its msgid. Return the units written and those recorded up to date."""
    plan = _plan(po_path, units)
    by_file: dict[str, dict[str, str]] = {}
    written, recorded = [], []
    for unit, entry in plan:
        if not entry.msgstr:
            continue  # left untranslated in the PO file: the Markdown keeps its translation
        if entry.msgstr != unit.text:
            key = unit.key.split(" ", 1)[1] if unit.path.endswith(".csv") else unit.key
            by_file.setdefault(unit.path, {})[key] = entry.msgstr
            written.append(unit)
        if "fuzzy" not in entry.flags and is_stale(record, unit):
            mark_translated(record, unit, entry.msgid)
            recorded.append(unit)
    for path, changes in by_file.items():
        writer = _write_sections if path.endswith(".md") else _write_labels if path.endswith(".yaml") else _write_table
        writer(path, changes)
    if any(path.endswith(".csv") for path in by_file):
        update_checksums(paths.DESCRIPTOR)
    return written, recorded
