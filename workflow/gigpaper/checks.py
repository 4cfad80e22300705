"""The input check: every input of the build is vetted before any output is replaced.

The Snakefile runs `check_inputs` when it is read, so a bad input stops the build with one message
(file, line or row, key or column, what was found, what was expected) before a single job runs, and
the outputs of the last good build stay as they were. It checks the data package and every raw file
it names, the manuscript YAML against the schemas in workflow/schemas/, the cross-references between
them, every template (Jinja syntax, typed numbers, registry ids, citations) and the editions' parity.

A fingerprint of the inputs (paths, sizes, modification times) skips the check when nothing changed.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import re
import sys
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
import yaml

from gigpaper import catalogue, paths, templating
from gigpaper.bibliography import check_entry
from gigpaper.catalogue import FIGURES, LANGUAGES, PUBLISHED_LANG, TABLES, numbering
from gigpaper.datapackage import check_checksum, citation_keys_of, resource_files
from gigpaper.errors import BuildError, TemplateError
from gigpaper.files import SafeLoader, check_encoding, parse_yaml, read_text
from gigpaper.grammar import CITATION, PARTS, REFERENCE_ANY_PART, strings
from gigpaper.imports import imported_modules
from gigpaper.manuscript import refuse_typed_numbers
from gigpaper.parity import label_parity, section_parity
from gigpaper.validate import PROJECT_CHECKS, locate_quote, quote_found, tidy_table

NAMED_ITEM = re.compile(r"\b(ref)\.([a-z0-9_]+)|\b(figure|table)\(\s*[\"']([^\"']*)[\"']\s*\)")
PRIVATE_NAME = re.compile(r"(?:\.|\[\s*[\"']|\b)_")
JINJA_EXPRESSION = re.compile(r"\{\{(.*?)\}\}|\{%(.*?)%\}", re.S)
# Text files the build reads besides those the checks below parse: each must be clean UTF-8 with LF endings.
OTHER_TEXT_INPUTS = ("manuscript/pandoc/*", "manuscript/templates/*", "config/*.yaml")


# --- schemas ---------------------------------------------------------------------------------------


@cache
def _compose(text: str) -> yaml.Node | None:
    return yaml.compose(text, Loader=SafeLoader)


def _node_line(text: str, location: Iterable[Any]) -> int | None:
    """The line of the YAML node at `location` (keys and list indexes), or of its nearest parent."""
    node = _compose(text)
    line = node.start_mark.line + 1 if node else None
    for step in location:
        if isinstance(node, yaml.MappingNode):
            match = next(((k, v) for k, v in node.value if k.value == step), None)
            if match is None:
                break
            line, node = match[0].start_mark.line + 1, match[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value):
            node = node.value[step]
            line = node.start_mark.line + 1
        else:
            break
    return line


def _key_name(data: Any, location: list[Any]) -> str:
    """`resources[2] (online_labour_index).schema.fields[0] (country)`: a path a person can follow."""
    parts, node = [], data
    for step in location:
        if isinstance(step, int):
            node = node[step]
            label = node.get("id") or node.get("name") if isinstance(node, dict) else None
            parts.append(f"[{step + 1}]" + (f" ({label})" if isinstance(label, str) else ""))  # counted from 1
        else:
            node = node[step] if isinstance(node, dict) else None
            parts.append(("." if parts else "") + str(step))
    return "".join(parts) or "(top level)"


def _schema_message(error: Any) -> tuple[list[Any], str]:
    """Where the error is and what was expected, in words."""
    location, instance, schema = list(error.absolute_path), error.instance, error.schema
    validator = error.validator
    if validator == "additionalProperties":
        allowed = sorted(schema.get("properties", {}))
        extra = sorted(set(instance) - set(allowed))
        close = difflib.get_close_matches(extra[0], allowed, n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        expected = "one of " + ", ".join(allowed) if allowed else "no other key"
        return [*location, extra[0]], f"unknown key '{extra[0]}'{hint}; expected {expected}"
    if validator == "required":
        missing = next(k for k in error.validator_value if k not in instance)
        return location, f"missing the key '{missing}'"
    if validator == "enum":
        return location, f"found {instance!r}; expected one of {', '.join(map(str, error.validator_value))}"
    if validator == "pattern":
        what = schema.get("description") or f"text matching {error.validator_value}"
        return location, f"found {instance!r}; expected {what}"
    if validator == "type":
        kinds = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
        words = {"string": "text", "integer": "a whole number", "number": "a number", "array": "a list",
                 "object": "a mapping of keys to values", "boolean": "true or false", "null": "nothing"}  # fmt: skip
        return location, f"found {instance!r}; expected {' or '.join(words.get(k, k) for k in kinds)}"
    if validator in ("minimum", "maximum"):
        word = "at least" if validator == "minimum" else "at most"
        return location, f"found {instance!r}; expected a value of {word} {error.validator_value}"
    if validator in ("anyOf", "oneOf") and schema.get("description"):
        return location, f"found {instance!r}; expected {schema['description']}"
    return location, f"found {instance!r}; {error.message}"


def validated(path: str | Path, schema: str, text: str | None = None) -> Any:
    """Parse a YAML file and check it against workflow/schemas/<schema>.schema.yaml."""
    import jsonschema

    text = read_text(path) if text is None else text
    data = parse_yaml(text, path)
    validator = jsonschema.Draft202012Validator(catalogue.schema(schema))
    errors = list(validator.iter_errors(data))
    if errors:
        # An unknown key first (a renamed key is also a missing one, and the unknown one says which),
        # then the first error in the file, as a reader meets it.
        unknown = [e for e in errors if e.validator == "additionalProperties"]
        errors = unknown or errors
        lines = {id(e): _node_line(text, _schema_message(e)[0]) or 0 for e in errors}
        first = min(lines.values())
        error = jsonschema.exceptions.best_match(e for e in errors if lines[id(e)] == first)
        location, problem = _schema_message(error)
        line = _node_line(text, location)
        key = _key_name(data, location)
        raise BuildError(f"{path}{f', line {line}' if line else ''}, key '{key}': {problem}.")
    return data


# --- the data package and the raw files ---------------------------------------------------------------


def _resource_line(descriptor_text: str, index: int, key: str = "path") -> int | None:
    return _node_line(descriptor_text, ["resources", index, key])


def check_data_package(article_lines: list[str]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The descriptor, and the tidy table of each tabular resource, every raw file checked."""
    text = read_text(paths.DESCRIPTOR)
    descriptor = validated(paths.DESCRIPTOR, "datapackage", text)
    named = set()
    tidy = {}
    for index, entry in enumerate(descriptor["resources"]):
        files = {}
        for name, digest in resource_files(entry).items():
            path = paths.RAW / name
            named.add(name)
            if not path.is_file():
                line = _node_line(text, ["resources", index]) or 0
                raise BuildError(
                    f"{paths.DESCRIPTOR}, line {line}, resource '{entry['name']}': its file {path} does not exist "
                    "(restore the file, or correct the resource's path)."
                )
            check_encoding(path, path.read_bytes())
            check_checksum(path, digest)
            files[name] = str(path)
        if "schema" in entry:
            fields = {f["name"] for f in entry["schema"]["fields"]}
            for column in entry["primary_key"] + entry.get("translated_fields", []):
                if column not in fields:
                    line = _node_line(text, ["resources", index, "primary_key"])
                    raise BuildError(
                        f"{paths.DESCRIPTOR}, line {line}, resource '{entry['name']}': the column '{column}' "
                        f"is not a field of its schema ({', '.join(sorted(fields))})."
                    )
            tidy[entry["name"]] = tidy_table(entry, files, article_lines)
    unnamed = sorted(
        p.name for p in paths.RAW.iterdir() if p.is_file() and p.name not in named | {paths.DESCRIPTOR.name}
    )
    if unnamed:
        raise BuildError(f"{paths.RAW / unnamed[0]}: the data package ({paths.DESCRIPTOR}) does not describe it.")
    return descriptor, tidy


def check_citation_columns(descriptor: dict[str, Any], tidy: dict[str, Any], citation_keys: set[str]) -> None:
    """The checks a resource names that need the bibliography (its citation columns), on its main file."""
    for entry in descriptor["resources"]:
        for check in set(entry.get("checks", [])) & set(PROJECT_CHECKS):
            frame = tidy[entry["name"]]
            main = frame[frame["lang"] == PUBLISHED_LANG] if "lang" in frame else frame
            rows = [{**{k: None if v != v else v for k, v in r.items()}, "_row": r["raw_row"]}
                    for r in main.to_dict("records")]  # fmt: skip
            PROJECT_CHECKS[check](str(paths.RAW / entry["path"]), rows, citation_keys=citation_keys)


# --- templates ------------------------------------------------------------------------------------


def _expressions(text: str) -> Iterator[tuple[int, str]]:
    """(line, code) of every Jinja expression and statement of a template."""
    for match in JINJA_EXPRESSION.finditer(text):
        yield text.count("\n", 0, match.start()) + 1, match.group(1) or match.group(2)


def _suggest(name: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, sorted(known), n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


def check_syntax(where: str, text: str, env: jinja2.Environment) -> None:
    try:
        env.parse(text)
    except jinja2.TemplateSyntaxError as error:
        raise TemplateError(where, error.lineno, f"template syntax: {error.message}") from None


def check_template(where: str, text: str, registry: dict[str, dict[str, Any]], env: jinja2.Environment) -> None:
    """Jinja syntax, and every registry id, part, figure, table and `ref` a manuscript template names."""
    check_syntax(where, text, env)
    items = {"ref": set(numbering()), "figure": set(FIGURES), "table": set(TABLES)}
    for line, code in _expressions(text):
        if PRIVATE_NAME.search(code):
            raise TemplateError(where, line, "a template may not use names that start with '_' (Python's internals)")
        for match in REFERENCE_ANY_PART.finditer(code):
            number_id, part = match.groups()
            if number_id not in registry:
                raise TemplateError(
                    where, line, f"n.{number_id} is not a number of the registry{_suggest(number_id, registry)}"
                )
            if part and part not in PARTS:
                raise TemplateError(where, line, f"n.{number_id}.{part}: expected .low, .high or .thousands")
            kind = registry[number_id]["kind"]
            if part in ("low", "high") and kind != "range":
                raise TemplateError(where, line, f"n.{number_id}.{part}: '{number_id}' is a {kind}, not a range")
        for match in NAMED_ITEM.finditer(code):
            kind, name = (match.group(1), match.group(2)) if match.group(1) else (match.group(3), match.group(4))
            if name not in items[kind]:
                raise TemplateError(where, line, f"{kind} '{name}' does not exist{_suggest(name, items[kind])}")


def _citations(where: str, text: str, known: set[str]) -> set[str]:
    """The citation keys a text uses; an unknown one stops the build naming this file and line."""
    used = set()
    for match in CITATION.finditer(text):
        key = match.group(1)
        if key not in known:
            line = text.count("\n", 0, match.start()) + 1
            raise BuildError(
                f"{where}, line {line}: cites @{key}, which {paths.BIBLIOGRAPHY} does not hold"
                f"{_suggest(key, known)}; add the work to the bibliography or correct the key."
            )
        used.add(key)
    return used


# --- the whole project -------------------------------------------------------------------------------


def section_files(lang: str) -> list[Path]:
    return sorted((paths.TEXT / lang).glob("*.md"))


def check_project(config: dict[str, Any]) -> None:
    """Every check, in the order that blames the file that is wrong first."""
    missing = [lang for lang in config["editions"] if lang not in config["languages"]]
    if missing:
        raise BuildError(
            f"{paths.CONFIG}, key 'editions': found {missing[0]}, which 'languages' ({', '.join(config['languages'])}) "
            "lacks; an edition needs its language's figures and tables: add it to 'languages'."
        )
    for pattern in OTHER_TEXT_INPUTS:
        for path in sorted(Path().glob(pattern)):
            if path.is_file() and path.suffix != ".docx":
                check_encoding(path, path.read_bytes())

    article_lines = read_text(paths.PUBLISHED_ARTICLE).splitlines()
    descriptor, tidy = check_data_package(article_lines)
    bibliography = validated(paths.BIBLIOGRAPHY, "bibliography")
    known = [ref["id"] for ref in bibliography["references"]]
    twice = sorted({k for k in known if known.count(k) > 1})
    if twice:
        raise BuildError(f"{paths.BIBLIOGRAPHY}: the key '{twice[0]}' names two entries; each key must be unique.")
    for reference in bibliography["references"]:
        check_entry(reference, str(paths.BIBLIOGRAPHY))
    citation_keys = set(known)
    check_citation_columns(descriptor, tidy, citation_keys)

    from gigpaper.numbers import registry_frame

    registry_table = registry_frame(
        tidy["online_labour_index"], tidy["gender_by_occupation"], tidy["article_numbers"], citation_keys_of(descriptor)
    )
    registry = {row["id"]: row for row in registry_table.to_dict("records")}

    validated(paths.LANGUAGE_NAMES, "languages")
    labels = {lang: validated(paths.labels_file(lang), "labels") for lang in LANGUAGES}
    validated(paths.METADATA, "metadata")
    env = templating.environment()
    cited: dict[str, set[str]] = {lang: set() for lang in LANGUAGES}

    # Each template alone first: its syntax, its numbers and its citations, blamed on itself.
    for lang in LANGUAGES:
        for path in [*section_files(lang), paths.ABSTRACTS / f"{lang}.md"]:
            text = read_text(path)
            refuse_typed_numbers(str(path), text)
            check_template(str(path), text, registry, env)
            cited[lang] |= _citations(str(path), text, citation_keys)
        label_path = paths.labels_file(lang)
        for key, text in strings(labels[lang]):
            check_template(f"{label_path}: {key}", text, registry, env)
            cited[lang] |= _citations(f"{label_path}, key '{key}'", text, citation_keys)
    check_template(str(paths.TEMPLATES / "paper.md.j2"), read_text(paths.TEMPLATES / "paper.md.j2"), registry, env)
    check_syntax(str(paths.TEMPLATES / "review.html.j2"), read_text(paths.TEMPLATES / "review.html.j2"), env)
    _check_categories(labels, tidy)
    _check_table_cells(tidy, registry)

    # Then the editions against each other, the published (kk) text being the reference.
    section_parity([str(p) for lang in LANGUAGES for p in section_files(lang)], list(config["editions"]))
    label_parity({lang: str(paths.labels_file(lang)) for lang in LANGUAGES}, list(LANGUAGES))
    table_citations = {
        key
        for table in TABLES.values()
        for column in tidy[table.source].columns
        if column.endswith("_citation")
        for key in tidy[table.source][column].dropna()
    } | {e["citation_key"] for e in descriptor["resources"] if e.get("citation_key") and e["name"] in _shown()}
    for key in known:
        if not any(key in cited[lang] | table_citations for lang in LANGUAGES):
            line = _node_line(read_text(paths.BIBLIOGRAPHY), ["references", known.index(key)])
            raise BuildError(
                f"{paths.BIBLIOGRAPHY}, line {line}: the entry '{key}' is cited nowhere (text, labels or tables); "
                "cite it or remove it."
            )
    _check_claims(article_lines, registry)
    _check_errata(article_lines)


def _shown() -> set[str]:
    """Resources whose data an edition shows (figures and tables)."""
    return {item.source for item in [*FIGURES.values(), *TABLES.values()]}


def _check_categories(labels: dict[str, dict[str, Any]], tidy: dict[str, Any]) -> None:
    """Every category the figures show (a country, an occupation) has a name in every language."""
    shown = {
        group: set(tidy[figure.source][column])
        for figure in FIGURES.values()
        for group, column in figure.labels.items()
        if column
    }
    for lang, tree in labels.items():
        for group, values in shown.items():
            for value in sorted(values):
                if value not in tree[group]:
                    raise BuildError(
                        f"{paths.labels_file(lang)}, key '{group}': lacks a name for '{value}', which the data shows."
                    )


def _check_table_cells(tidy: dict[str, Any], registry: dict[str, Any]) -> None:
    """A table cell is literal text with registry references; nothing else of a template."""
    from gigpaper.numbers import NumberRegistry

    numbers = NumberRegistry(registry.values(), PUBLISHED_LANG)
    for table in TABLES.values():
        for row in tidy[table.source].to_dict("records"):
            for column in table.columns:
                where = f"{row['raw_file']}, row {row['raw_row']}, column '{column}'"
                templating.fill_references(str(row[column]), numbers, where)


def _check_claims(article_lines: list[str], registry: dict[str, Any]) -> None:
    text = read_text(paths.CLAIMS)
    claims = validated(paths.CLAIMS, "claims", text)["claims"]
    for index, claim in enumerate(claims):
        check = claim["check"]
        quotes = [("source_line", "statement", claim["source_line"], claim["statement"])]
        for other in claim.get("others", []):
            quotes.append(("others.line", "others.statement", other["line"], other["statement"]))
        for line_key, _quote_key, line, quote in quotes:
            if not quote_found(article_lines, line, quote):
                found = locate_quote(article_lines, line, quote)
                raise BuildError(
                    f"{paths.CLAIMS}, line {_node_line(text, ['claims', index])}, claim '{claim['id']}': "
                    f"found «{quote}» for {line_key} {line}; expected the article's words as printed at line {line} "
                    f"of {paths.PUBLISHED_ARTICLE}" + (f" (they start on line {found})." if found else ".")
                )
        for number_id in [
            *check.get("numbers", []),
            *(check[key] for key in ("period_start", "number") if key in check),
        ]:
            if number_id not in registry:
                raise BuildError(
                    f"{paths.CLAIMS}, line {_node_line(text, ['claims', index, 'check'])}, claim '{claim['id']}': "
                    f"found '{number_id}'; expected an id of the number registry{_suggest(number_id, registry)}."
                )


def _check_errata(article_lines: list[str]) -> None:
    text = read_text(paths.ERRATA)
    errata = validated(paths.ERRATA, "errata", text)
    seen: dict[str, int] = {}
    for index, entry in enumerate(errata):
        line = _node_line(text, [index])
        where = f"{paths.ERRATA}, line {line}, erratum '{entry['id']}'"
        if entry["id"] in seen:
            raise BuildError(
                f"{where}: the id is used twice (also at line {seen[entry['id']]}); each id must be unique."
            )
        seen[entry["id"]] = line or 0
        if entry["source_line"] > len(article_lines):
            raise BuildError(
                f"{where}, key 'source_line': found {entry['source_line']}; expected a line of "
                f"{paths.PUBLISHED_ARTICLE} (1 to {len(article_lines)})."
            )
        file = Path(entry["file"])
        if file.is_absolute() or ".." in file.parts or not file.is_file():
            raise BuildError(f"{where}, key 'file': found '{entry['file']}'; expected a file of the project.")


# --- the fingerprint and the entry point -------------------------------------------------------------------


def _inputs() -> list[Path]:
    """What the check reads, its own code included (not the modules of the steps)."""
    found = {Path(module) for module in imported_modules(Path("workflow/gigpaper/checks.py"))}
    for folder in (paths.RAW, paths.MANUSCRIPT, paths.SCHEMAS, Path("config")):
        for path in folder.rglob("*"):
            if path.is_file() and paths.BUILD not in path.parents:
                found.add(path)
    return sorted(found)


def fingerprint(config: dict[str, Any]) -> str:
    digest = hashlib.sha256(json.dumps(config, sort_keys=True, default=str).encode())
    for path in _inputs():
        stat = path.stat()
        digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def check_inputs(config: dict[str, Any]) -> None:
    """Run every check unless the inputs are as they were at the last passing check."""
    stamp = paths.STATE / "inputs-checked"
    current = fingerprint(config)
    if stamp.is_file() and stamp.read_text(encoding="utf-8") == current:
        return
    check_project(config)
    stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.write_text(current, encoding="utf-8")


def check_inputs_or_exit(config: dict[str, Any]) -> None:
    """The Snakefile's call: an input error is one message on stderr and exit status 1, no traceback."""
    try:
        check_inputs(config)
    except BuildError as error:
        print(
            f"ERROR in the inputs: {error}\nNothing was built; the outputs of the last build are unchanged.",
            file=sys.stderr,
        )
        sys.exit(1)
