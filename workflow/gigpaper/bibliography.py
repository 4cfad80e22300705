"""The bibliography: one YAML source, written as CSL JSON for each edition's language.

What reaches the reader is what is known of each work, in the list's style. Whether a work is
confirmed and what a reviewer should know about it (`status`, `reviewer_note`) stay out of the
CSL items, so no reference list prints a note meant for reviewers.
"""

from __future__ import annotations

import json
import re
from typing import Any

from gigpaper import atomic
from gigpaper.catalogue import LANGUAGES
from gigpaper.errors import BuildError
from gigpaper.files import load_yaml

CSL_FIELDS = ["type", "title", "container-title", "publisher", "publisher-place", "volume", "issue", "page",
              "DOI", "ISBN", "note"]  # fmt: skip
STATUSES = ("confirmed", "probable", "unconfirmed")
# citeproc reads a note line "word: value" as the CSL variable `word` and drops it from the note.
NOTE_FIELD_LINE = re.compile(r"^\s*[^\s:]+:", re.M)


def _is_variant(value: Any) -> bool:
    return isinstance(value, dict) and set(value) == set(LANGUAGES)


def in_language(value: Any, lang: str) -> Any:
    """A field given per language (one key per language of the catalogue) in `lang`; any other value as it is."""
    if _is_variant(value):
        return value[lang]
    if isinstance(value, dict):
        return {key: in_language(item, lang) for key, item in value.items()}
    if isinstance(value, list):
        return [in_language(item, lang) for item in value]
    return value


def check_entry(entry: dict[str, Any], path: str = "manuscript/bibliography.yaml") -> None:
    """Refuse an entry whose status is unknown, which lacks the reviewer note its status needs, or
    whose note citeproc would read as a field."""
    where = f"{path}, entry {entry.get('id', '?')}"
    status = entry.get("status")
    if status not in STATUSES:
        raise BuildError(f"{where}, key 'status': found {status!r}; expected one of {', '.join(STATUSES)}.")
    if status != "confirmed" and not str(entry.get("reviewer_note") or "").strip():
        raise BuildError(
            f"{where}, key 'reviewer_note': found nothing; expected, for {'an' if status[0] in 'aeiou' else 'a'} {status} entry, what is "
            "unconfirmed and any candidate work (English text for reviewers)."
        )
    note = entry.get("note")
    for text in note.values() if isinstance(note, dict) else [note] if note else []:
        if NOTE_FIELD_LINE.search(str(text)):
            raise BuildError(
                f"{where}, key 'note': found {text!r}; expected a note that does not start with one "
                "word and a colon, which citeproc reads as a field and drops."
            )


def csl_items(source: dict[str, Any], lang: str, path: str = "manuscript/bibliography.yaml") -> list[dict[str, Any]]:
    items = []
    for source_entry in source["references"]:
        check_entry(source_entry, path)
        entry = in_language(source_entry, lang)
        item = {"id": entry["id"], "author": entry["author"], "issued": {"date-parts": [[entry["issued"]]]}}
        # CSL title-cases the titles of English items; written per language, a title is in `lang`.
        # A work written once (no per-language field: `entry` is the source's) is cited as the English item it is.
        item["language"] = lang if entry != source_entry else "en"
        item.update({field: str(entry[field]) for field in CSL_FIELDS if field in entry})
        items.append(item)
    return items


def write_csl(bibliography: str, lang: str, references: str) -> None:
    items = csl_items(load_yaml(bibliography), lang, bibliography)
    atomic.write_text(references, json.dumps(items, ensure_ascii=False, indent=1, sort_keys=True) + "\n")
