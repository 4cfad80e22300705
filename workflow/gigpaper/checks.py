"""The input check: every input of the build is vetted before any output is replaced.

The workflow runs `check_inputs` in its `onstart` hook, when jobs are about to run and before any of them
starts, so a bad input stops the build with one message (file, line or row, key or column, what was found, what
was expected) and the outputs of the last good build stay as they were. It is not run while the Snakefile is
read, so that Snakemake's introspection (--list-rules, --dag, --summary, --lint) still shows the workflow of a
tree with a bad input; only the data package, which names the jobs, is read then. It checks the data package and
every raw file it names, the manuscript YAML against the schemas in workflow/schemas/, the cross-references
between them, every template (Jinja syntax, typed numbers, registry ids, citations) and the editions' parity.

A fingerprint of the inputs (paths, sizes, modification times) skips the check when nothing changed;
after an edit, the work of each file that did not change is recalled by its content (gigpaper.memo).
"""

from __future__ import annotations

import hashlib
import io
import json
import sys
from pathlib import Path
from typing import Any, NamedTuple, NoReturn

from gigpaper import atomic, checked, memo, paths, templating
from gigpaper.article_checks import check_claims, check_data_package_article, check_errata_file
from gigpaper.bibliography import check_entry
from gigpaper.catalogue import FIGURES, LANGUAGES, PUBLISHED_LANG, TABLES, check_editions_built
from gigpaper.column_checks import check_project_columns
from gigpaper.datapackage import check_checksum, citation_keys_of, digest, resource, resource_files, tidy_sources
from gigpaper.errors import BuildError, SourceDataError
from gigpaper.files import check_encoding, parse_yaml, read_text
from gigpaper.grammar import two_scripts
from gigpaper.imports import imported_modules
from gigpaper.lost_numbers import blame_a_changed_published_text, lost_citers, lost_numbers_blamed
from gigpaper.manuscript_files import check_language_files, check_section_folder
from gigpaper.pandoc_checks import check_pandoc_defaults, check_pandoc_terms
from gigpaper.parity import label_parity, parity_inputs, parity_report, section_parity
from gigpaper.prose_checks import (
    check_abstract,
    check_references_placed,
    check_section,
    in_a_cell,
    refuse_raw_markup_in,
    typed_numbers,
)
from gigpaper.schema import validated
from gigpaper.schema_errors import node_line, refuse_repeated
from gigpaper.template_checks import (
    check_footnotes,
    check_labels,
    check_project_templates,
    check_text,
    check_text_references,
    checked_against,
    refuse_doubled_percent,
)
from gigpaper.validate import tidy_inputs, tidy_table

# Text files the build reads besides those the checks below parse: each must be clean UTF-8 with LF endings. An
# editor's file beside them (a Vim swap file while one is edited) is none.
OTHER_TEXT_INPUTS = ("manuscript/pandoc/**/*", "manuscript/templates/*", "config/*.yaml")


# --- the data package and the raw files ---------------------------------------------------------------


def check_resource_names(descriptor: dict[str, Any], text: str) -> None:
    """Each resource has a name of its own: the workflow (a job per table), the catalogue and the steps know a
    resource by its name, and each would find one of two, unsaid or in a Python error."""
    refuse_repeated(paths.DESCRIPTOR, text, descriptor["resources"], "name", location=["resources"], kind="resource",
                    why=" (the workflow, the catalogue and the steps would read only the first)")  # fmt: skip


def check_data_package(article_lines: list[str]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The descriptor, and the tidy table of each tabular resource, every raw file checked."""
    text = read_text(paths.DESCRIPTOR)
    descriptor = validated(paths.DESCRIPTOR, "datapackage", text)
    named = set()
    tidy = {}
    check_resource_names(descriptor, text)
    vocabulary = descriptor.get("obtained_vocabulary", {})
    for index, entry in enumerate(descriptor["resources"]):
        # How a resource was obtained decides what is made of it (public data are read raw, not tidied).
        if "obtained" in entry and entry["obtained"] not in vocabulary:
            raise BuildError(
                f"{paths.DESCRIPTOR}, line {node_line(text, ['resources', index, 'obtained'])}, resource "
                f"'{entry['name']}', key 'obtained': found '{entry['obtained']}'; expected one of "
                f"{', '.join(vocabulary)} (the keys of obtained_vocabulary)."
            )
        files = {}
        for name, recorded in resource_files(entry).items():
            path = paths.RAW / name
            named.add(name)
            if not (path.exists() or path.is_symlink()):
                line = node_line(text, ["resources", index]) or 0
                raise BuildError(
                    f"{paths.DESCRIPTOR}, line {line}, resource '{entry['name']}': its file {path} does not exist "
                    "(restore the file, or correct the resource's path)."
                )
            read_text(path)  # its encoding checked; a folder or a link in its place named
            check_checksum(path, recorded)
            files[name] = str(path)
        if "schema" in entry:
            refuse_repeated(paths.DESCRIPTOR, text, entry["schema"]["fields"], "name", kind="field",
                            location=["resources", index, "schema", "fields"], why=" (a column of the table has one field)")  # fmt: skip
            fields = {f["name"] for f in entry["schema"]["fields"]}
            for key, columns in ((["schema", "primaryKey"], entry["schema"]["primaryKey"]),
                                 (["translated_fields"], entry.get("translated_fields", []))):  # fmt: skip
                if (column := next((c for c in columns if c not in fields), None)) is not None:
                    raise BuildError(
                        f"{paths.DESCRIPTOR}, line {node_line(text, ['resources', index, *key])}, resource "
                        f"'{entry['name']}': the column '{column}' is not a field of its schema "
                        f"({', '.join(sorted(fields))})."
                    )
            try:
                tidy[entry["name"]] = tidy_table(entry, files, article_lines)
            except SourceDataError as error:
                blame_a_changed_published_text(error, article_lines)
                raise
    unnamed = sorted(
        p.name
        for p in paths.RAW.iterdir()
        if p.is_file() and p.name not in named | {paths.DESCRIPTOR.name} and not paths.is_editors_file(p.name)
    )
    if unnamed:
        raise BuildError(f"{paths.RAW / unnamed[0]}: the data package ({paths.DESCRIPTOR}) does not describe it.")
    return descriptor, tidy


# --- the whole project -------------------------------------------------------------------------------


class CheckedData(NamedTuple):
    """What the check of the data package and the bibliography gives the rest of the check, in plain Python,
    so that recalling it after a text or label edit needs no pandas."""

    descriptor: dict[str, Any]
    kept: dict[str, str]  # the tidy tables and the registry the rules publish, by `checked` key
    registry: dict[str, dict[str, Any]]
    known: list[str]  # the bibliography's keys, in its order
    shown: dict[str, set[Any]]  # the categories each figure labels (a country, an occupation), by label group
    table_cells: list[tuple[str, str]]  # each table cell as (where it is, its text)
    table_citations: set[str]


def check_project(config: dict[str, Any]) -> dict[str, str]:
    """Every check, in the order that blames the file that is wrong first; what it computed for the rules
    to publish (the tidy tables, the registry, the parity report), by `checked` key."""
    check_editions_built(config)
    for pattern in OTHER_TEXT_INPUTS:
        for path in sorted(Path().glob(pattern)):
            if path.is_file() and path.suffix != ".docx" and not paths.is_editors_file(path.name):
                check_encoding(path, path.read_bytes())
    validated(paths.TRANSLATIONS, "translations")  # its record against the texts: the rule check_translations
    check_pandoc_defaults(config["formats"])
    check_pandoc_terms()
    article_lines = read_text(paths.PUBLISHED_ARTICLE).splitlines()
    data = checked_data(article_lines)
    with lost_numbers_blamed(data.registry, data.descriptor, article_lines):  # a text may be right to use a lost number
        return {**data.kept, **_check_texts(config, data, article_lines)}


def checked_data(article_lines: list[str]) -> CheckedData:
    """The data package, every raw file, the bibliography and the registry checked; remembered as a whole by
    the bytes of every file of data/raw/ and of the bibliography, so an edit elsewhere recalls it."""
    parts: list[str | bytes] = ["\n".join(article_lines)]
    for path in [paths.BIBLIOGRAPHY, *sorted(p for p in paths.RAW.rglob("*") if p.is_file())]:
        parts += [str(path), path.read_bytes() if path.is_file() else b""]
    return memo.remembered("checked data", parts, lambda: _check_data(article_lines), on_disk=True)


def _check_data(article_lines: list[str]) -> CheckedData:
    descriptor, tidy = check_data_package(article_lines)
    text = read_text(paths.BIBLIOGRAPHY)
    bibliography = validated(paths.BIBLIOGRAPHY, "bibliography", text)
    refuse_repeated(paths.BIBLIOGRAPHY, text, bibliography["references"], "id", location=["references"], kind="work")
    known = [ref["id"] for ref in bibliography["references"]]
    for reference in bibliography["references"]:
        check_entry(reference, str(paths.BIBLIOGRAPHY))
    check_project_columns(descriptor, tidy, set(known))
    kept, tables = _tidy_results(descriptor, tidy)

    from gigpaper.numbers import REGISTRY_SOURCES, registry_from_csv, registry_inputs

    works = citation_keys_of(descriptor)
    sources = {name: tables[str(paths.processed(name))] for name in REGISTRY_SOURCES}
    registry_table = registry_from_csv({name: io.StringIO(text) for name, text in sources.items()}, works)
    registry_bytes = {str(paths.processed(name)): text.encode() for name, text in sources.items()}
    kept[checked.key(*registry_inputs(registry_bytes, works))] = atomic.csv_text(registry_table)
    shown = {
        group: set(tidy[figure.source][column].tolist())
        for figure in FIGURES.values()
        for group, column in figure.labels.items()
        if column
    }
    table_cells = [
        (f"{row['raw_file']}, row {row['raw_row']}, column '{column}'", str(row[column]))
        for table in TABLES.values()
        for row in tidy[table.source].to_dict("records")
        for column in table.columns
    ]
    shown_sources = {item.source for item in [*FIGURES.values(), *TABLES.values()]}  # figures' and tables' data
    table_citations = {
        key
        for table in TABLES.values()
        for column in tidy[table.source].columns
        if column.endswith("_citation")
        for key in tidy[table.source][column].dropna().tolist()
    } | {e["citation_key"] for e in descriptor["resources"] if e.get("citation_key") and e["name"] in shown_sources}
    registry = {row["id"]: row for row in registry_table.to_dict("records")}
    return CheckedData(descriptor, kept, registry, known, shown, table_cells, table_citations)


def _check_texts(config: dict[str, Any], data: CheckedData, article_lines: list[str]) -> dict[str, str]:
    """The labels, metadata, templates, tables, parity, claims and errata against the registry and the
    bibliography's keys; the parity report by its `checked` key."""
    registry, known = data.registry, data.known
    citation_keys = set(known)
    check_language_files()  # a language's file under a code the catalogue lacks: before its files are missed
    names = refuse_raw_markup_in(paths.LANGUAGE_NAMES, validated(paths.LANGUAGE_NAMES, "languages"))  # Markdown
    keywords_headings = tuple(names[lang]["keywords_heading"] for lang in LANGUAGES)
    labels = {lang: validated(paths.labels_file(lang), "labels") for lang in LANGUAGES}
    metadata = refuse_raw_markup_in(paths.METADATA, validated(paths.METADATA, "metadata"))  # its strings are Markdown
    check_data_package_article(data.descriptor, metadata)
    env = templating.environment()
    cited: dict[str, set[str]] = {lang: set() for lang in LANGUAGES}
    read: dict[str, str] = {}  # each section's text, by path, for the parity below

    # Each template alone first: its syntax, its numbers and its citations, blamed on itself.
    against = checked_against(registry, known)
    for lang in LANGUAGES:
        check_section_folder(lang)
        placed: dict[str, str] = {}  # each figure and table, where the edition places it
        texts = [*paths.section_files(lang), paths.ABSTRACTS / f"{lang}.md"]
        for path in texts:
            text = read[str(path)] = read_text(path)
            check_text(str(path), text, env)
            if path.parent.name == lang:  # a section, not an abstract
                check_section(str(path), text, placed)
            else:
                check_abstract(str(path), text, keywords_headings)
            cited[lang] |= check_text_references(str(path), text, registry, env, citation_keys, against)
        check_references_placed({str(path): read[str(path)] for path in texts}, placed)
        check_footnotes({str(path): read[str(path)] for path in texts})
        cited[lang] |= check_labels(paths.labels_file(lang), labels[lang], registry, env, citation_keys, against)
    check_project_templates(registry, env, against)
    _check_categories(labels, data.shown)
    _check_table_cells(data.table_cells, registry)

    # Then the editions against each other, the published (kk) text being the reference.
    sections = [str(p) for lang in LANGUAGES for p in paths.section_files(lang)]
    label_files = {lang: str(paths.labels_file(lang)) for lang in LANGUAGES}
    editions = list(config["editions"])
    label_lines = dict(zip(LANGUAGES, label_parity(label_files, list(LANGUAGES)), strict=True))
    texts = [part for path in sections for part in (path, read[path])]  # a pass remembered by them
    section_lines = memo.remembered(
        "parity", [*editions, *texts], lambda: section_parity(sections, editions), on_disk=True
    )
    report = parity_report(section_lines, [label_lines[lang] for lang in editions])
    for key in known:
        if not any(key in cited[lang] | data.table_citations for lang in LANGUAGES):
            line = node_line(read_text(paths.BIBLIOGRAPHY), ["references", known.index(key)])
            if lost := lost_citers(key):  # the file that dropped the citation is the one changed
                raise BuildError(
                    f"{', '.join(lost)}: cited '{key}' in the committed files (git HEAD) and no longer does, and "
                    f"nothing else cites it (text, labels or tables); {paths.BIBLIOGRAPHY}, line {line} lists it: "
                    "cite it again, or remove the entry."
                )
            raise BuildError(
                f"{paths.BIBLIOGRAPHY}, line {line}: the entry '{key}' is cited nowhere (text, labels or tables); "
                "cite it or remove it."
            )
    check_claims(article_lines, registry)
    check_errata_file(article_lines)
    return {checked.key(*parity_inputs(sections, list(label_files.values()), editions)): report}


def _tidy_results(descriptor: dict[str, Any], tidy: dict[str, Any]) -> tuple[dict[str, str], dict[str, str]]:
    """The tidy tables the rule validate_source publishes: by their `checked` key, and by their path."""
    article = str(paths.PUBLISHED_ARTICLE)
    article_sha256 = digest(resource(descriptor, "published_article"))
    kept, tables = {}, {}
    for name in tidy_sources(descriptor):
        entry = resource(descriptor, name)
        raw = [str(paths.RAW / file) for file in resource_files(entry)]
        tables[str(paths.processed(name))] = text = atomic.csv_text(tidy[name])
        kept[checked.key(*tidy_inputs(entry, raw, article, article_sha256))] = text
    return kept, tables


def _check_categories(labels: dict[str, dict[str, Any]], shown: dict[str, set[Any]]) -> None:
    """Every category the figures show (a country, an occupation) has a name in every language, of its own: two of one
    name are two bars or lines of a figure that no reader tells apart (a translator's line copied, left unchanged)."""
    for lang, tree in labels.items():
        for group, values in shown.items():
            for value in sorted(values):
                if value not in tree[group]:
                    raise BuildError(
                        f"{paths.labels_file(lang)}, key '{group}': lacks a name for '{value}', which the data shows."
                    )
            named: dict[str, Any] = {}  # each name, with the first category it names, in the file's order
            for value, name in ((v, n) for v, n in tree[group].items() if v in values):
                if (first := named.setdefault(name, value)) != value:
                    line = node_line(read_text(paths.labels_file(lang)), [group, value])
                    raise BuildError(f"{paths.labels_file(lang)}, line {line}, key '{group}.{value}': found '{name}', the "
                                     f"name of '{first}' too; expected a name of its own (else a figure shows two of "
                                     "one name, which no reader tells apart).")  # fmt: skip


def _check_table_cells(cells: list[tuple[str, str]], registry: dict[str, Any]) -> None:
    """A table cell is literal text with registry references; nothing else of a template, no typed number."""
    from gigpaper.numbers import NumberRegistry

    numbers = NumberRegistry(registry.values(), PUBLISHED_LANG)
    for where, text in cells:
        templating.fill_references(text, numbers, where)
        refuse_doubled_percent(where, text, registry, lines=False)
        for _line, digits in typed_numbers(text, printed_as_typed=True):
            raise BuildError(
                f"{where}: found {text!r}; expected {templating.DATA_TEXT} (the number {digits} is typed into the "
                f"table, where no reader can trace it to its source{in_a_cell(text, digits)})."
            )
        if mixed := two_scripts(text):
            raise BuildError(f"{where}: {mixed[1]}")


# --- the fingerprint and the entry point -------------------------------------------------------------------


def checked_inputs() -> list[Path]:
    """What the check reads, its own code included (not the modules of the steps)."""
    found = {Path(module) for module in imported_modules(Path("workflow/gigpaper/checks.py"))}
    for folder in (paths.RAW, paths.MANUSCRIPT, paths.SCHEMAS, Path("config")):
        for path in folder.rglob("*"):
            if path.is_file() and paths.BUILD not in path.parents:
                found.add(path)
    return sorted(found)


def fingerprint(config: dict[str, Any]) -> str:
    digest = hashlib.sha256(json.dumps(config, sort_keys=True, default=str).encode())
    for path in checked_inputs():
        stat = path.stat()
        digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def check_inputs(config: dict[str, Any]) -> None:
    """Run every check unless the inputs are as they were at the last passing check."""
    stamp = paths.STATE / "inputs-checked"
    current = fingerprint(config)
    if stamp.is_file() and stamp.read_text(encoding="utf-8") == current:
        return
    checked.keep(check_project(config))
    stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.write_text(current, encoding="utf-8")


def _stop(error: BuildError) -> NoReturn:
    print(
        f"ERROR in the inputs: {error}\nNothing was built; the outputs of the last build are unchanged.",
        file=sys.stderr,
    )
    sys.exit(1)


def check_inputs_or_exit(config: dict[str, Any]) -> None:
    """The workflow's `onstart` call: an input error is one message on stderr and exit status 1, no traceback."""
    try:
        check_inputs(config)
    except BuildError as error:
        _stop(error)


def workflow_descriptor_or_exit() -> dict[str, Any]:
    """The data package as the Snakefile reads it to name its jobs; schema-checked only if it cannot be read."""
    try:
        try:
            text = read_text(paths.DESCRIPTOR)
            descriptor = parse_yaml(text, paths.DESCRIPTOR)
            if all(isinstance(entry["name"], str) and resource_files(entry) for entry in descriptor["resources"]):
                check_resource_names(descriptor, text)  # it names the jobs: before the catalogue looks a table up
                return descriptor
            return validated(paths.DESCRIPTOR, "datapackage")
        except (KeyError, TypeError, AttributeError):
            return validated(paths.DESCRIPTOR, "datapackage")  # names the key that is wrong
    except BuildError as error:
        _stop(error)
