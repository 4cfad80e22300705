"""The checks of a table that need more than its own files, which the input check alone runs, on the table's main
file: the resource names them in its `checks` (data/raw/datapackage.yaml), beside those the steps that tidy a table
run too (gigpaper.validate.CHECKS). A change to what they read reruns no data step."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from gigpaper import paths
from gigpaper.catalogue import PUBLISHED_LANG
from gigpaper.validate import check_citation_keys

# Against the bibliography's keys.
PROJECT_CHECKS: dict[str, Callable[..., None]] = {"citation_keys": check_citation_keys}


def check_project_columns(descriptor: dict[str, Any], tidy: dict[str, Any], citation_keys: set[str]) -> None:
    """The PROJECT_CHECKS each resource names, on its main file's rows."""
    for entry in descriptor["resources"]:
        for check in set(entry.get("checks", [])) & set(PROJECT_CHECKS):
            frame = tidy[entry["name"]]
            main = frame[frame["lang"] == PUBLISHED_LANG] if "lang" in frame else frame
            rows = [{**{k: None if v != v else v for k, v in r.items()}, "_row": r["raw_row"]}
                    for r in main.to_dict("records")]  # fmt: skip
            PROJECT_CHECKS[check](str(paths.RAW / entry["path"]), rows, citation_keys=citation_keys)
