"""Check a YAML input against its schema in workflow/schemas/ (the catalogue's enums filled in); an error is
one message naming its line and key (gigpaper.schema_errors).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from gigpaper import catalogue, memo
from gigpaper.files import parse_yaml, read_text
from gigpaper.schema_errors import schema_error


def validated(path: str | Path, schema: str, text: str | None = None) -> Any:
    """Parse a YAML file and check it against workflow/schemas/<schema>.schema.yaml.

    A text that passed before (in this process, or in an earlier build) is not parsed or checked again.
    """
    text = read_text(path) if text is None else text
    return memo.remembered("validated", (schema, text), lambda: _validated(path, schema, text), on_disk=True)


def _validated(path: str | Path, schema: str, text: str) -> Any:
    import jsonschema

    data = parse_yaml(text, path)
    # Formats checked too (`format: regex`: a pattern Python cannot read, else a traceback where it is first used).
    validator = jsonschema.Draft202012Validator(catalogue.schema(schema), format_checker=jsonschema.FormatChecker())
    errors = list(validator.iter_errors(data))
    if errors:
        raise schema_error(path, text, data, errors)
    return data
