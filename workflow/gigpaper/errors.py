"""Errors an author can fix: their message is all the build prints about them."""

from __future__ import annotations


class BuildError(Exception):
    """A problem in the project's inputs, explained in one message."""


class SourceDataError(BuildError):
    """A raw data file holds a value the data package does not allow."""

    def __init__(self, path: str, row: int, column: str, value: object, expected: str):
        self.path, self.row, self.column, self.value, self.expected = path, row, column, value, expected
        super().__init__(f"{path}, row {row}, column '{column}': found {value!r}; expected {expected}.")


class TemplateError(BuildError):
    """A manuscript template asks for something that does not exist."""

    def __init__(self, template: str, line: int | None, message: str):
        self.template, self.line = template, line
        where = f"{template}, line {line}" if line else template
        super().__init__(f"{where}: {message}")
