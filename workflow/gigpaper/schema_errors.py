"""jsonschema's errors of a YAML file as the project's one message: the line and key of the first error a
reader meets, what was found and what was expected, in words. For the schema checks of gigpaper.schema and
of the catalogue, which gigpaper.schema imports.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from gigpaper.errors import BuildError
from gigpaper.files import SafeLoader
from gigpaper.grammar import look_alike


@cache
def _compose(text: str) -> yaml.Node | None:
    return yaml.compose(text, Loader=SafeLoader)


def _node_at(text: str, location: Iterable[Any]) -> tuple[int | None, yaml.Node | None]:
    """The line of the YAML node at `location` (keys and list indexes), or of its nearest parent; the node, if found."""
    node = _compose(text)
    line = node.start_mark.line + 1 if node else None
    for step in location:
        if isinstance(node, yaml.MappingNode):
            match = next(((k, v) for k, v in node.value if k.value == step), None)
            if match is None:
                return line, None
            line, node = match[0].start_mark.line + 1, match[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value):
            node = node.value[step]
            line = node.start_mark.line + 1
        else:
            return line, None
    return line, node


def node_line(text: str, location: Iterable[Any]) -> int | None:
    """The line of the YAML node at `location` (keys and list indexes), or of its nearest parent."""
    return _node_at(text, location)[0]


def _as_written(text: str, location: list[Any], error: Any) -> str | None:
    """A value of the wrong type that YAML read as a yes/no or a number, as the file writes it: 'found No, which YAML
    reads as false' (not 'found False'), and where text is expected, the quotes that keep it text."""
    node = _node_at(text, location)[1] if text else None
    kinds = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
    if isinstance(node, yaml.ScalarNode) and node.style in ("'", '"') and isinstance(error.instance, str):
        # A number or yes/no in quotes, which keep it text: 'issued: "2020"' was 'found '2020'; expected a whole number'.
        unquoted = yaml.load(node.value, Loader=SafeLoader)  # what YAML reads without them
        types = {"integer": int, "number": (int, float), "boolean": bool}
        if any(isinstance(unquoted, types[kind]) and isinstance(unquoted, bool) == (kind == "boolean")
               for kind in kinds if kind in types):  # fmt: skip
            return (f"found {node.style}{node.value}{node.style}, which its quotes keep text; expected "
                    f"{_expected_words(kinds)}: write it without quotes, {node.value}")  # fmt: skip
    if not isinstance(node, yaml.ScalarNode) or node.style or not isinstance(error.instance, (bool, int, float)):
        return None
    read = f", which YAML reads as {str(error.instance).lower()}" if isinstance(error.instance, bool) else ""
    quote = f' (write it in quotes: "{node.value}")' if "string" in kinds else ""
    return f"found {node.value}{read}; expected {_expected_words(kinds)}{quote}"


def refuse_repeated(path: str | Path, text: str, items: list[dict[str, Any]], key: str, *, location: Iterable[Any] = (),
                    kind: str = "entry", why: str = "") -> None:  # fmt: skip
    """Each item of the list at `location` of the YAML `text` has its own `key` (an id, a name), which a schema cannot
    require: the second of two is named at its line, with the line of the first."""
    first: dict[Any, int] = {}
    for index, item in enumerate(items):
        if (seen := first.setdefault(item[key], index)) != index:
            line, before = (node_line(text, [*location, at]) for at in (index, seen))
            raise BuildError(f"{path}, line {line}, {kind} '{item[key]}': the {key} is used twice (also at line "
                             f"{before}); each {key} must be unique{why}.")  # fmt: skip


def _key_name(data: Any, location: list[Any]) -> str:
    """`resources[2] (online_labour_index).schema.fields[0] (country)`: a path a person can follow."""
    parts, node = [], data
    for step in location:
        if isinstance(step, int) and isinstance(node, list):  # an item; a mapping's key may be a number too
            node = node[step]
            label = node.get("id") or node.get("name") if isinstance(node, dict) else None
            parts.append(f"[{step + 1}]" + (f" ({label})" if isinstance(label, str) else ""))  # counted from 1
        else:
            node = node[step] if isinstance(node, dict) else None
            parts.append(("." if parts else "") + str(step))
    return "".join(parts) or "(top level)"


def _expected_words(kinds: str | list[str]) -> str:
    """A JSON Schema type, or a list of them, in words."""
    words = {"string": "text", "integer": "a whole number", "number": "a number", "array": "a list",
             "object": "a mapping of keys to values", "boolean": "true or false", "null": "nothing"}  # fmt: skip
    return " or ".join(words.get(kind, kind) for kind in (kinds if isinstance(kinds, list) else [kinds]))


def _schema_message(error: Any) -> tuple[list[Any], str]:
    """Where the error is and what was expected, in words."""
    location, instance, schema = list(error.absolute_path), error.instance, error.schema
    validator = error.validator
    if validator == "additionalProperties":
        import difflib  # only here: every step imports this module with the catalogue

        allowed = sorted(schema.get("properties", {}))
        extra = sorted(set(instance) - set(allowed), key=str)  # a key YAML reads as a number (1:) is one too
        close = difflib.get_close_matches(str(extra[0]), allowed, n=1)
        hint = (f" (did you mean '{close[0]}'?)" if close else "") + look_alike(str(extra[0]))
        expected = "one of " + ", ".join(allowed) if allowed else "no other key"
        return [*location, extra[0]], f"unknown key '{extra[0]}'{hint}; expected {expected}"
    if validator == "required":
        missing = next(k for k in error.validator_value if k not in instance)
        return location, f"missing the key '{missing}'"
    if validator == "enum":
        alike = look_alike(instance) if isinstance(instance, str) else ""  # a letter of another script looks the same
        return location, f"found {instance!r}; expected one of {', '.join(map(str, error.validator_value))}{alike}"
    if validator == "pattern":
        what = schema.get("description") or f"text matching {error.validator_value}"
        return location, f"found {instance!r}; expected {what}"
    if validator == "type":
        found = "no value (the key is left empty)" if instance is None else repr(instance)  # not Python's None
        return location, f"found {found}; expected {_expected_words(error.validator_value)}"
    if validator == "uniqueItems":  # the second of two, where the reader meets the repetition
        again = next(i for i, item in enumerate(instance) if item in instance[:i])
        return (
            [*location, again],
            f"found {instance[again]!r} again (it is also item {instance.index(instance[again]) + 1}); expected each once",
        )
    if validator == "minItems":
        return location, f"found an empty list; expected at least {error.validator_value} item(s)"
    if validator in ("minimum", "maximum"):
        word = "at least" if validator == "minimum" else "at most"
        return location, f"found {instance!r}; expected a value of {word} {error.validator_value}"
    if validator in ("anyOf", "oneOf", "format") and schema.get("description"):
        return location, f"found {instance!r}; expected {schema['description']}"
    return location, f"found {instance!r}; {error.message}"


def schema_error(path: str | Path, text: str, data: Any, errors: list[Any]) -> BuildError:
    """jsonschema's errors of `data` (read from `text`, or "" to name no line) as the one message for the file.

    An unknown key first (a renamed key is also a missing one, and the unknown one says which), then the
    first error in the file, as a reader meets it."""
    import jsonschema

    errors = [e for e in errors if e.validator == "additionalProperties"] or errors
    lines = {id(e): node_line(text, _schema_message(e)[0]) or 0 for e in errors}
    first = min(lines.values())
    error = jsonschema.exceptions.best_match(e for e in errors if lines[id(e)] == first)
    location, problem = _schema_message(error)
    if error.validator == "type" and (written := _as_written(text, location, error)):
        problem = written
    line = node_line(text, location)
    key = _key_name(data, location)
    return BuildError(f"{path}{f', line {line}' if line else ''}, key '{key}': {problem}.")
