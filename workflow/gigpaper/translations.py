"""Translations that know their source: which Kazakh paragraph, label or table cell each ru/en one
translates, and whether that source changed since it was translated.

Units pair by structure: paragraph N of `manuscript/text/<lang>/F` translates paragraph N of
`manuscript/text/kk/F` (the files are parallel, as the parity check requires), label `a.b.c` of
`labels/<lang>.yaml` translates kk's `a.b.c`, and a translated table cell the kk cell of the same
row id and column. `manuscript/translations.yaml` records, per language and unit, the fingerprint of
the kk text each translation was made from, and that text itself (for the word diff of what
changed). Only the kk text counts: rewording a translation never makes it stale, and the record
is keyed by position, not by content, so edits of the ru/en text merge without touching it.

A kk paragraph added, removed or moved shifts the positions after it. The recorded kk texts of a file,
in their order, are aligned with its kk paragraphs now (difflib), so that only the paragraph added or
changed is stale, not every one after it: a translation that already follows the kk file's paragraphs
(as many as they) takes the record of the kk paragraph it aligns with, and one still as the record
knows it (as many paragraphs as were recorded), or one that has deleted the paragraphs whose kk source was
removed and not yet added those added, pairs each of its paragraphs with the kk paragraph its recorded
source aligns with; `unpaired_paragraphs` then names the paragraph to translate and the one to delete.
Where the count tells nothing (as many paragraphs as before) they pair by position.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from gigpaper import atomic, paths
from gigpaper.catalogue import PUBLISHED_LANG
from gigpaper.errors import BuildError
from gigpaper.files import TYPOGRAPHIC_QUOTES, SafeLoader, load_yaml, read_text
from gigpaper.grammar import line_at
from gigpaper.rows import read_text_rows

RECORD = paths.TRANSLATIONS
NO_RECORD = "with no record of the kk text it was translated from"
MOVED = "moved here since from paragraph {} of the file, its words unchanged"
RECORD_HEADER = (
    "# Which Kazakh text each ru/en translation was made from (written by ./paper translations --accept\n"
    '# and --import; see README, "Revising the article"). `sources` holds each such text by its\n'
    "# fingerprint; `<lang>` maps each unit (section file and paragraph, label, table cell) to one.\n"
)


@dataclass(frozen=True)
class Unit:
    """One translated piece of text and the Kazakh piece it translates."""

    key: str  # stable within the record: "04.results.md ¶3", "label figures.figure1.caption", ...
    lang: str
    path: str
    line: int
    text: str
    source_path: str
    source_line: int
    source: str

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}"


def fingerprint(text: str) -> str:
    """The kk text's identity, blind to how its lines are wrapped."""
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()[:16]


def paragraphs(text: str) -> list[tuple[int, str]]:
    """(first line, text) of each run of non-blank lines."""
    return [(line_at(text, m.start()), m.group(0)) for m in re.finditer(r"^.*\S.*(?:\n.*\S.*)*", text, re.M)]


def paragraph_key(name: str, index: int) -> str:
    """The record's key of a section file's paragraph (1-based): '04.results.md ¶3'."""
    return f"{name} ¶{index}"


def _alignment(recorded: list[str | None], current: list[str]) -> list[tuple[int | None, int | None]]:
    """(recorded index, current index) pairs, 0-based, in order: a kk paragraph kept, changed in place
    (paired one for one), added (None, j) or removed (i, None)."""
    pairs: list[tuple[int | None, int | None]] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, recorded, current, autojunk=False).get_opcodes():
        common = min(i2 - i1, j2 - j1) if op == "replace" else (i2 - i1 if op == "equal" else 0)
        pairs += [(i1 + k, j1 + k) for k in range(common)]
        pairs += [(i, None) for i in range(i1 + common, i2)] + [(None, j) for j in range(j1 + common, j2)]
    return pairs


def recorded_name(entries: dict[str, str], name: str) -> str:
    """The name a section file's paragraphs are recorded under: its own, or, for a file renumbered since (the
    conclusion moved from 06. to 07. when a section came before it), the one recorded name with the same words
    after the number that no section file has now."""
    recorded = {key.rsplit(" ¶", 1)[0] for key in entries}
    if name in recorded:
        return name
    current = {path.name for path in paths.section_files(PUBLISHED_LANG)}
    before = [old for old in recorded - current if old.split(".", 1)[-1] == name.split(".", 1)[-1]]
    return before[0] if len(before) == 1 else name


def _file_pairs(record: dict[str, Any], lang: str, name: str, kk: list[str], found: int) -> list[tuple]:
    """For one section file: (translation paragraph index or None, kk paragraph index or None, the record key its
    translation was recorded under or None), 0-based; see the module's docstring."""
    entries = record.get(lang) or {}
    name = recorded_name(entries, name)
    indices = [int(k.rsplit("¶", 1)[1]) for k in entries if k.startswith(f"{name} ¶")]
    count = max(indices, default=0)
    by_position = [(j, j, paragraph_key(name, j + 1)) for j in range(min(found, len(kk)))]
    if count == 0 or found == count == len(kk):
        return by_position
    recorded = [entries.get(paragraph_key(name, i + 1)) for i in range(count)]
    pairs = _alignment(recorded, [fingerprint(text) for text in kk])
    # The translation follows the kk paragraphs, or is as the record knows it, or has lost the paragraphs whose kk
    # source was removed and not yet gained those added: the first with as many paragraphs as it has.
    for translated in (lambda i, j: j is not None, lambda i, j: i is not None, lambda i, j: None not in (i, j)):
        if sum(translated(i, j) for i, j in pairs) == found:
            index = iter(range(found))
            return [(next(index) if translated(i, j) else None, j, None if i is None else paragraph_key(name, i + 1))
                    for i, j in pairs if translated(i, j) or j is not None]  # fmt: skip
    return by_position


def _section_units(lang: str, record: dict[str, Any]) -> list[Unit]:
    """Each paragraph's unit; where the kk paragraphs moved and the translation follows them, the record (in memory)
    is keyed so too, so that what --accept and --import write follows them."""
    units = []
    for source_file in paths.section_files(PUBLISHED_LANG):
        target_file = paths.TEXT / lang / source_file.name
        if not target_file.exists():
            continue  # the parity check names a missing section file
        kk, target = paragraphs(read_text(source_file)), paragraphs(read_text(target_file))
        pairs = _file_pairs(record, lang, source_file.name, [text for _line, text in kk], len(target))
        entries = record.setdefault(lang, {})
        moved = {paragraph_key(source_file.name, i + 1): entries.get(old) if old else None
                 for i, j, old in pairs if i is not None and j is not None}  # fmt: skip
        names = (f"{source_file.name} ¶", f"{recorded_name(entries, source_file.name)} ¶")
        for key in [k for k in entries if k.startswith(names)]:
            del entries[key]
        entries.update({key: mark for key, mark in moved.items() if mark})
        for i, j, _old in pairs:
            if i is not None and j is not None:
                (source_line, source), (line, text) = kk[j], target[i]
                units.append(Unit(paragraph_key(source_file.name, i + 1), lang, str(target_file), line, text,
                                  str(source_file), source_line, source))  # fmt: skip
    return units


@lru_cache(maxsize=16)
def _composed(text: str) -> yaml.Node | None:
    """The node tree of a YAML text, by LibYAML (gigpaper.files.SafeLoader: the nodes, values and marks of PyYAML's
    own loader, in a quarter of its time); the kk labels, which both translations pair with, are read once."""
    return yaml.compose(text, Loader=SafeLoader)


def _worded(text: str) -> yaml.YAMLError | None:
    """PyYAML's own loader's words for an error LibYAML found, as this message always gave them: they quote the
    line (LibYAML's marks do not hold the text)."""
    try:
        yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        return error
    return None


def yaml_scalars(text: str, path: str | Path) -> dict[str, yaml.ScalarNode]:
    """Each scalar of a YAML mapping tree by its dotted key, as a node (its marks give line and offset)."""
    try:
        root = _composed(text)
    except yaml.YAMLError as error:
        raise BuildError(f"{path}: not valid YAML ({_worded(text) or error}).") from None
    found: dict[str, yaml.ScalarNode] = {}

    def walk(node: yaml.Node, prefix: str) -> None:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                walk(value, f"{prefix}.{key.value}" if prefix else str(key.value))
        elif isinstance(node, yaml.ScalarNode):
            found[prefix] = node

    if root is not None:
        walk(root, "")
    return found


def _label_units(lang: str) -> list[Unit]:
    source_path, target_path = paths.labels_file(PUBLISHED_LANG), paths.labels_file(lang)
    source = yaml_scalars(read_text(source_path), source_path)
    target = yaml_scalars(read_text(target_path), target_path)
    return [
        Unit(f"label {key}", lang, str(target_path), node.start_mark.line + 1, str(node.value), str(source_path),
             source[key].start_mark.line + 1, str(source[key].value))
        for key, node in target.items() if key in source
    ]  # fmt: skip


def translated_tables() -> list[tuple[dict[str, Any], str]]:
    """Each data-package resource with translated cells, with the primary-key column that pairs rows."""
    descriptor = load_yaml(paths.DESCRIPTOR)
    return [(r, r["schema"]["primaryKey"][0]) for r in descriptor["resources"] if r.get("translations")]


def _table_units(lang: str) -> list[Unit]:
    units = []
    for entry, key_column in translated_tables():
        if lang not in entry["translations"]:
            continue
        source_path = paths.RAW / entry["path"]
        target_path = paths.RAW / entry["translations"][lang]["path"]
        source = {row[key_column]: (number, row) for number, row in enumerate(read_text_rows(source_path), 2)}
        for line, row in enumerate(read_text_rows(target_path), 2):  # the header is row 1
            if row[key_column] not in source:
                continue  # the input check names a row without a counterpart
            source_line, source_row = source[row[key_column]]
            for column in entry["translated_fields"]:
                units.append(Unit(f"{entry['path']} {row[key_column]}.{column}", lang, str(target_path), line,
                                  row[column], str(source_path), source_line, source_row[column]))  # fmt: skip
    return units


def _unpaired_files(languages: list[str], record: dict[str, Any]):
    """Each section file whose translation has another count of paragraphs than its kk file: (kk file, translation
    file, kk paragraphs, translation paragraphs, pairs), each pair (translation index or None, kk index or None,
    the line of the translation paragraph before it or 0); pairs is None where they pair by position."""
    for source_file in paths.section_files(PUBLISHED_LANG):
        kk = paragraphs(read_text(source_file))
        for lang in languages:
            target_file = paths.TEXT / lang / source_file.name
            if lang == PUBLISHED_LANG or not target_file.exists():
                continue
            target = paragraphs(read_text(target_file))
            if len(target) == len(kk):
                continue
            pairs = _file_pairs(record, lang, source_file.name, [text for _line, text in kk], len(target))
            placed, after = [], 0
            for i, j, _old in pairs:
                placed.append((i, j, after))
                after = target[i][0] if i is not None and j is not None else after
            by_position = len(pairs) == min(len(kk), len(target))  # the record cannot tell which
            yield source_file, target_file, kk, target, None if by_position else placed


def unpaired_paragraphs(languages: list[str], record: dict[str, Any]) -> list[str]:
    """A section file whose paragraphs do not pair one for one with the kk file's: pairing by position
    would then compare a translation with the wrong source, so it is named, with the kk paragraph
    added since it was translated and the paragraph whose kk source was removed, where the record tells."""
    lines = []
    for source_file, target_file, kk, target, placed in _unpaired_files(languages, record):
        line = f"unpaired translation: {target_file} has {len(target)} paragraphs, {source_file} has {len(kk)}; "
        if placed is None:
            lines.append(line + "paragraphs pair by position, so split or join them as the kk text does")
            continue
        for i, j, after in placed:
            if i is None:
                where = f"after {target_file}:{after}" if after else f"at the start of {target_file}"
                lines.append(f"{line}{source_file}:{kk[j][0]} was added since the translation; add its "
                             f"translation as a paragraph {where}")  # fmt: skip
            elif j is None:
                lines.append(f"{line}{target_file}:{target[i][0]} translates a kk paragraph since removed; delete it")
    return lines


def added_paragraphs(lang: str, record: dict[str, Any]) -> list[Unit]:
    """Each kk paragraph added since `lang`'s translation of its file was made (where the record tells, as
    `unpaired_paragraphs` names it), as a unit with no translation yet, for the translators' PO file: its key names
    the kk paragraph ("06.conclusion.md new ¶3"), its line is the translation's paragraph it goes after (0: the start)."""
    return [
        Unit(f"{source_file.name} new ¶{j + 1}", lang, str(target_file), after, "", str(source_file), *kk[j])
        for source_file, target_file, kk, _target, placed in _unpaired_files([lang], record)
        for i, j, after in placed or []
        if i is None
    ]


def translation_units(languages: list[str], record: dict[str, Any]) -> list[Unit]:
    """Every translated unit of every language but the published one (keying the record, in memory, by where each
    kk paragraph is now: see `_section_units`)."""
    return [
        unit
        for lang in languages
        if lang != PUBLISHED_LANG
        for unit in (*_section_units(lang, record), *_label_units(lang), *_table_units(lang))
    ]


# The record ---------------------------------------------------------------------------------------


def load_record(path: str | Path = RECORD) -> dict[str, Any]:
    if not Path(path).exists():
        return {"sources": {}}
    record = load_yaml(path) or {}
    if not isinstance(record, dict) or not isinstance(record.get("sources", {}), dict):
        raise BuildError(f"{path}: expected a mapping with `sources` and one mapping per language.")
    record.setdefault("sources", {})
    return record


def recorded_source(record: dict[str, Any], unit: Unit) -> str | None:
    """The kk text `unit` was translated from, as recorded (None when nothing is recorded)."""
    mark = (record.get(unit.lang) or {}).get(unit.key)
    return record["sources"].get(mark, "") if mark else None


def moved_from(record: dict[str, Any], unit: Unit) -> int | None:
    """The number its kk paragraph had in its file when it was translated, where it moved since, its words kept."""
    name, mark = unit.key.rsplit(" ¶", 1)[0], fingerprint(unit.source)
    moved = [key for key, found in (record.get(unit.lang) or {}).items() if found == mark and key != unit.key]
    return next((int(key.rsplit("¶", 1)[1]) for key in moved if key.startswith(f"{name} ¶")), None)


def is_stale(record: dict[str, Any], unit: Unit) -> bool:
    return (record.get(unit.lang) or {}).get(unit.key) != fingerprint(unit.source)


def stale_units(record: dict[str, Any], units: list[Unit]) -> list[Unit]:
    return [unit for unit in units if is_stale(record, unit)]


def stale_line(record: dict[str, Any], unit: Unit) -> str:
    """The build's line for a stale unit, worded as `./paper translations` words it: a kk text that changed since
    its translation, or one with no record (a section or paragraph never accepted as translated)."""
    why = "which changed since" if recorded_source(record, unit) is not None else NO_RECORD
    if before := moved_from(record, unit):
        why = f"which {MOVED.format(before)}: its translation goes here"
    return f"stale translation: {unit.where} translates {unit.source_path}:{unit.source_line}, {why}"


def mark_translated(record: dict[str, Any], unit: Unit, source: str | None = None) -> None:
    """Record that `unit` translates `source` (by default the current kk text)."""
    source = unit.source if source is None else source
    mark = fingerprint(source)
    record.setdefault(unit.lang, {})[unit.key] = mark
    record["sources"][mark] = source


class _RecordDumper(yaml.SafeDumper):
    """PyYAML's, but a text in typographic quotes is written in YAML's, as the input check reads only such a text."""

    def represent_str(self, data: str) -> yaml.ScalarNode:
        quoted = len(data) > 1 and TYPOGRAPHIC_QUOTES.get(data[0]) == data[-1]
        return self.represent_scalar("tag:yaml.org,2002:str", data, style='"' if quoted else None)


_RecordDumper.add_representer(str, _RecordDumper.represent_str)


def write_record(record: dict[str, Any], path: str | Path = RECORD) -> None:
    """Sorted, one unit a line, and only the sources some unit still points at: merges stay small."""
    languages = sorted(lang for lang in record if lang != "sources")
    used = {mark for lang in languages for mark in record[lang].values()}
    data = {lang: dict(sorted(record[lang].items())) for lang in languages}
    data["sources"] = {mark: text for mark, text in sorted(record["sources"].items()) if mark in used}
    text = yaml.dump(data, Dumper=_RecordDumper, allow_unicode=True, sort_keys=False, width=100)
    atomic.write_text(path, RECORD_HEADER + text, record=False)  # a source


def accept(record: dict[str, Any], units: list[Unit], which: str) -> list[Unit]:
    """Mark as up to date the stale unit(s) at `which` (a ru/en or kk FILE:LINE, or `all`)."""
    stale = stale_units(record, units)
    where = re.sub(r"^\./", "", which)  # the places are named from the project root
    chosen = stale if which == "all" else [u for u in stale if where in (u.where, f"{u.source_path}:{u.source_line}")]
    if which != "all" and not chosen:
        raise BuildError(
            f"{which}: no stale translation is at that place; `./paper translations` lists them as FILE:LINE."
        )
    for unit in chosen:
        mark_translated(record, unit)
    return chosen


# The build step -----------------------------------------------------------------------------------


def check_translations(record: str, report: str, languages: list[str], strict: bool) -> None:
    """Write one line per stale translation to `report` and print them; stop the build when strict."""
    known = load_record(record)
    units = translation_units(languages, known)
    stale = stale_units(known, units)
    lines = [stale_line(known, unit) for unit in stale] + unpaired_paragraphs(languages, load_record(record))
    if strict and lines:
        raise BuildError(
            f"{len(lines)} translation(s) are stale and config `translations_strict` is on:\n"
            + "\n".join(f"  {line}" for line in lines)
            + "\nUpdate them, then `./paper translations --accept FILE:LINE` (or --accept all)."
        )
    summary = f"{len(units) - len(stale)} of {len(units)} translations follow their kk source"
    atomic.write_text(report, "\n".join([summary, *lines]) + "\n")
