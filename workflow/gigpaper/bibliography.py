"""The bibliography: one YAML source, written as CSL JSON for each edition's language."""

from __future__ import annotations

import json
from typing import Any

from gigpaper import atomic
from gigpaper.files import load_yaml

CSL_FIELDS = ["type", "title", "container-title", "publisher", "publisher-place", "volume", "issue", "page",
              "DOI", "ISBN", "note"]  # fmt: skip


def _is_variant(value: Any) -> bool:
    return isinstance(value, dict) and set(value) == {"kk", "ru", "en"}


def has_variants(value: Any) -> bool:
    """Whether any field of `value` is written per language."""
    if _is_variant(value):
        return True
    if isinstance(value, dict):
        return any(has_variants(item) for item in value.values())
    if isinstance(value, list):
        return any(has_variants(item) for item in value)
    return False


def in_language(value: Any, lang: str) -> Any:
    """A field given per language ({kk:, ru:, en:}) in `lang`; any other value as it is."""
    if _is_variant(value):
        return value[lang]
    if isinstance(value, dict):
        return {key: in_language(item, lang) for key, item in value.items()}
    if isinstance(value, list):
        return [in_language(item, lang) for item in value]
    return value


def load(path: str) -> dict[str, Any]:
    return load_yaml(path)


def citation_keys(path: str) -> list[str]:
    return [entry["id"] for entry in load(path)["references"]]


def csl_items(source: dict[str, Any], lang: str) -> list[dict[str, Any]]:
    items = []
    for source_entry in source["references"]:
        entry = in_language(source_entry, lang)
        item = {"id": entry["id"], "author": entry["author"], "issued": {"date-parts": [[entry["issued"]]]}}
        # CSL title-cases the titles of English items; written per language, a title is in `lang`.
        item["language"] = lang if has_variants(source_entry) else "en"
        item.update({field: str(entry[field]) for field in CSL_FIELDS if field in entry})
        if entry["status"] == "unconfirmed":
            item["note"] = in_language(source["notes"]["unconfirmed"], lang)
        items.append(item)
    return items


def write_csl(bibliography: str, lang: str, references: str) -> None:
    items = csl_items(load(bibliography), lang)
    atomic.write_text(references, json.dumps(items, ensure_ascii=False, indent=1, sort_keys=True) + "\n")
