"""Check a YAML input against its schema in workflow/schemas/ (the catalogue's enums filled in); an error is
one message naming its line and key (gigpaper.schema_errors).
"""

from __future__ import annotations

import re
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


def orcid_check_digit(value: object) -> bool:
    """Whether an ORCID iD's last character is its check digit (ISO 7064 MOD 11-2, as ORCID computes it): one digit
    mistyped gives an iD of nobody, or of another researcher. Any other value is for the schema's pattern to name."""
    if not isinstance(value, str) or not re.fullmatch(r"(\d{4}-){3}\d{3}[\dX]", value):
        return True
    total = 0
    for digit in value.replace("-", "")[:-1]:
        total = (total + int(digit)) * 2
    check = (12 - total % 11) % 11
    return value[-1] == ("X" if check == 10 else str(check))


def issn_check_digit(value: object) -> bool:
    """Whether an ISSN's last character is its check digit (ISO 3297: the first seven digits weighted 8 to 2, modulo
    11): one digit mistyped gives the ISSN of another serial, or of none. Any other value is for the schema's pattern."""
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{3}[\dX]", value):
        return True
    digits = value[:4] + value[5:8]
    check = -sum(int(digit) * weight for digit, weight in zip(digits, range(8, 1, -1), strict=True)) % 11
    return value[-1] == ("X" if check == 10 else str(check))


def _validated(path: str | Path, schema: str, text: str) -> Any:
    import jsonschema

    data = parse_yaml(text, path)
    # Formats checked too (`format: regex`: a pattern Python cannot read, else a traceback where it is first used).
    formats = jsonschema.FormatChecker()
    formats.checks("orcid")(orcid_check_digit)
    formats.checks("issn")(issn_check_digit)
    validator = jsonschema.Draft202012Validator(catalogue.schema(schema), format_checker=formats)
    errors = list(validator.iter_errors(data))
    if errors:
        raise schema_error(path, text, data, errors)
    return data
