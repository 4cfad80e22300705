"""Errors an author can fix: their message is all the build prints about them."""

from __future__ import annotations


class BuildError(Exception):
    """A problem in the project's inputs, explained in one message."""


class SourceDataError(BuildError):
    """A raw data file holds a value the data package does not allow."""

    def __init__(self, path: str, row: int, column: str, value: object, expected: str):
        self.path, self.row, self.column, self.value, self.expected = path, row, column, value, expected
        super().__init__(f"{path}, row {row}, column '{column}': found {value!r}; expected {expected}.")


# What a spreadsheet separates a "CSV" file's cells with where the comma is the decimal mark (Excel in a Kazakh
# or Russian locale saves semicolons), or a tab-separated export: the whole header is then one cell.
OTHER_SEPARATORS = {";": "semicolons", "\t": "tabs"}


def header_error(path: str, found: str, expected: list[str]) -> SourceDataError:
    """A header that is none of `expected` (each a comma-separated header); one separated by something
    else than commas is told so."""
    separator = next((name for mark, name in OTHER_SEPARATORS.items() if mark in found and "," not in found), None)
    hint = f" separated by commas (its cells are separated by {separator}: save it as comma-separated CSV)"
    return SourceDataError(
        path, 1, "(header)", found, "the columns " + " or ".join(expected) + (hint if separator else "")
    )


class TemplateError(BuildError):
    """A manuscript template asks for something that does not exist."""

    def __init__(self, template: str, line: int | None, message: str):
        self.template, self.line = template, line
        where = f"{template}, line {line}" if line else template
        super().__init__(f"{where}: {message}")
