"""Translators' PO files: export every translated unit of a language, import edited translations back.

One entry per unit: `msgctxt` is the unit's key (it names the kk file and paragraph, the label or
the table cell, and keeps entries with the same kk text apart), `msgid` the kk text, `msgstr` the
translation, the ru/en file and line its reference; a stale entry is `fuzzy` and carries the kk
text it was translated from as `#| msgid`, which Poedit and Weblate show as the source's change.
A kk paragraph added since its file was translated is an untranslated entry (`06.conclusion.md new ¶3`)
whose reference is the translation's paragraph it goes after; the import inserts its translation there.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import polib

from gigpaper import atomic, paths
from gigpaper.catalogue import PUBLISHED_LANG
from gigpaper.datapackage import update_checksums
from gigpaper.errors import BuildError
from gigpaper.files import read_text
from gigpaper.translations import (
    MOVED,
    Unit,
    added_paragraphs,
    fingerprint,
    is_stale,
    mark_translated,
    moved_from,
    paragraph_key,
    paragraphs,
    recorded_source,
    translated_tables,
    translation_units,
    yaml_scalars,
)

EXPORTS = paths.BUILD / "translations"


def export_po(
    record: dict, units: list[Unit], lang: str, target: str | Path | None = None
) -> tuple[Path, int, int, int]:
    """Write `lang`'s PO file; return its path, the number of entries, of fuzzy (stale) ones and of new ones."""
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
    fuzzy, added = 0, added_paragraphs(lang, record)
    for unit in _in_place([u for u in units if u.lang == lang], added):
        entry = polib.POEntry(
            msgctxt=unit.key, msgid=unit.source, msgstr=unit.text, occurrences=[(unit.path, str(unit.line))]
        )
        if unit in added:
            where = f"after {unit.path}:{unit.line}" if unit.line else f"at the start of {unit.path}"
            entry.comment = f"A kk paragraph added since the translation: its translation is inserted {where}."
        elif is_stale(record, unit):
            entry.flags.append("fuzzy")
            entry.previous_msgid = recorded_source(record, unit) or None
            entry.comment = f"The kk paragraph {MOVED.format(before)}." if (before := moved_from(record, unit)) else ""
            fuzzy += 1
        po.append(entry)
    target.parent.mkdir(parents=True, exist_ok=True)
    atomic.write_text(target, str(po) + "\n", record=False)  # the translator's file
    return target, len(po), fuzzy, len(added)


def _in_place(units: list[Unit], added: list[Unit]) -> list[Unit]:
    """`units` with each added paragraph after the translation's paragraph it goes after (and after the paragraphs
    added there before it), or before its file's first paragraph."""
    out = list(units)
    for unit in added:
        after = [k for k, u in enumerate(out) if u.path == unit.path and u.line == unit.line]
        first = next((k for k, u in enumerate(out) if u.path == unit.path), len(out))
        out.insert(after[-1] + 1 if after else first, unit)
    return out


# A line of a PO file that holds a string (msgctxt "...", msgstr[0] "...", "..." continuing one, #~ an obsolete one's),
# and the string as gettext reads it: in quotes, a quote or backslash within it escaped.
PO_STRING_LINE = re.compile(r'(?:#~[ \t]*)?(?:(?:msgctxt|msgid(?:_plural)?|msgstr(?:\[\d+\])?)[ \t]+)?(?=")')
PO_STRING = re.compile(r'"(?:[^"\\]|\\.)*"[ \t]*')


def _read_po(path: str | Path) -> polib.POFile:
    if not Path(path).is_file():  # polib would read the path itself as the text of a PO file, and fail on its line 1
        raise BuildError(
            f"{path}: no such file; give the PO file that ./paper translations --export wrote, translated."
        )
    # polib reads a line's string as what lies between its first and last characters: a closing quote left out took
    # the text's last character with it (a heading's '}', a paragraph's full stop), unsaid. msgfmt refuses it.
    for number, line in enumerate(Path(path).read_text(encoding="utf-8", errors="replace").splitlines(), start=1):
        if (start := PO_STRING_LINE.match(line.strip())) and not PO_STRING.fullmatch(line.strip(), start.end()):
            raise BuildError(
                f"{path}, line {number}: found {line.strip()[:60]!r}; expected its text in quotes, closed by a '\"' "
                "at the line's end, a '\"' within it written \\\" (polib would read it otherwise: a closing quote "
                "left out takes the text's last character with it); nothing was imported."
            )
    try:
        return polib.pofile(str(path), wrapwidth=0)
    except (OSError, ValueError) as error:
        raise BuildError(f"{path}: not a PO file polib can read ({error}).") from None


def _plan(po_path: str | Path, units: list[Unit]) -> list[tuple[Unit, polib.POEntry]]:
    """Pair every entry with its unit; any entry the project does not know stops the import."""
    by_key = {(u.lang, u.key): u for u in units}
    po = _read_po(po_path)
    lang = po.metadata.get("Language", "")
    plan, unknown, first = [], [], {}
    for entry in po:
        if entry.obsolete:
            continue
        if entry.msgctxt and (seen := first.setdefault(entry.msgctxt, entry.linenum)) != entry.linenum:  # the last won
            raise BuildError(f"{po_path}, line {entry.linenum}: msgctxt {entry.msgctxt!r} again (its first entry is at "
                             f"line {seen}); expected each unit once, with one translation; nothing was imported.")  # fmt: skip
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


def _write_sections(path: str, changes: dict[str, str], inserts: list[tuple[int, str]] = ()) -> None:
    """Replace each changed paragraph, and insert each new one (line of the paragraph it goes after, text) there."""
    text = read_text(path)
    lines = text.split("\n")
    for index, (start, old) in reversed(list(enumerate(paragraphs(text), 1))):  # the last first: lines stay put
        end = start + old.count("\n")
        for _after, new in reversed([i for i in inserts if i[0] == start]):  # each at the same place: in order
            lines[end:end] = ["", *new.split("\n")]
        key = paragraph_key(Path(path).name, index)
        if key in changes:
            lines[start - 1 : end] = changes[key].split("\n")
    for _after, new in reversed([i for i in inserts if i[0] == 0]):
        lines[0:0] = [*new.split("\n"), ""]
    atomic.write_text(path, "\n".join(lines), record=False)  # a source


def _record_inserts(record: dict, path: str, pairs: list[tuple[Unit, polib.POEntry]]) -> None:
    """Key the record of `path`'s paragraphs as they stand once each new one is inserted after its line (in the order
    `_write_sections` gives them), a new one translating its msgid unless fuzzy: so a file given some of its new
    paragraphs still pairs each with its kk source, and names the others to translate."""
    name, entries = Path(path).name, record.setdefault(pairs[0][0].lang, {})
    order = [
        (line, 0, entries.pop(paragraph_key(name, k), None))
        for k, (line, _) in enumerate(paragraphs(read_text(path)), 1)
    ]
    order += [(unit.line, 1, None if "fuzzy" in entry.flags else entry.msgid) for unit, entry in pairs]
    for k, (_line, new, mark) in enumerate(sorted(order, key=lambda item: item[:2]), 1):
        if new and mark:
            record["sources"][fingerprint(mark)], mark = mark, fingerprint(mark)
        if mark:
            entries[paragraph_key(name, k)] = mark


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
    """Write each changed translation back to its file, and insert each new paragraph's; record each entry that is not
    fuzzy as translating its msgid. Return the units written and those recorded up to date."""
    languages = sorted({u.lang for u in units})
    added = [u for lang in languages for u in added_paragraphs(lang, record)]
    plan = _plan(po_path, [*units, *added])
    by_file: dict[str, dict[str, str]] = {}
    inserts: dict[str, list[tuple[Unit, polib.POEntry]]] = {}
    written, recorded = [], []
    for unit, entry in plan:
        if not entry.msgstr:
            continue  # left untranslated in the PO file: the Markdown keeps its translation
        if unit in added:
            inserts.setdefault(unit.path, []).append((unit, entry))
            continue
        if entry.msgstr != unit.text:
            key = unit.key.split(" ", 1)[1] if unit.path.endswith(".csv") else unit.key
            by_file.setdefault(unit.path, {})[key] = entry.msgstr
            written.append(unit)
        if "fuzzy" not in entry.flags and is_stale(record, unit):
            mark_translated(record, unit, entry.msgid)
            recorded.append(unit)
    for path, pairs in inserts.items():
        _record_inserts(record, path, pairs)
    for path in dict.fromkeys([*by_file, *inserts]):
        changes = by_file.get(path, {})
        if path.endswith(".md"):
            _write_sections(path, changes, [(unit.line, entry.msgstr) for unit, entry in inserts.get(path, [])])
        else:
            (_write_labels if path.endswith(".yaml") else _write_table)(path, changes)
    if tables := [Path(path) for path in by_file if path.endswith(".csv")]:  # theirs only: another edit stays named
        update_checksums(paths.DESCRIPTOR, only=tables)
    if inserts:  # each new paragraph where it now stands, paired with its kk paragraph by the record
        now = {(u.lang, u.source_path, u.source_line): u for u in translation_units(languages, record)}
        for unit, entry in (pair for pairs in inserts.values() for pair in pairs):
            written.append(now.get((unit.lang, unit.source_path, unit.source_line), unit))
            recorded += [] if "fuzzy" in entry.flags else written[-1:]
    return written, recorded
