"""The catalogue (workflow/catalogue.yaml): the languages, figures, tables and output formats.

One place for these facts; the rules, the code and the schemas' language lists read them here.
The file is read relative to the project root, so a copy of the project builds its own catalogue.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from gigpaper import memo, paths
from gigpaper.errors import BuildError
from gigpaper.files import is_project_file, load_yaml, read_text
from gigpaper.schema_errors import schema_error

# Keys of a figure's labels that the manuscript prints (caption, source note, alt text), not the drawing.
PRINTED_FIGURE_LABELS = ("caption", "note", "alt")
# Where a value of the settings given as `./paper build --config key=value` comes from: not the file, which holds
# another (Snakemake puts these over it), so a mistake there is named as the author's command's.
COMMAND_LINE = "--config on the command line"


@dataclass(frozen=True)
class Figure:
    name: str
    number: int
    source: str  # a resource of data/raw/datapackage.yaml
    draw: str  # dotted path of the function that draws it
    texts: list[str] = field(default_factory=list)  # keys of figures.<name> in the labels that it draws
    labels: dict[str, str | None] = field(default_factory=dict)  # label groups it draws -> the column they name


@dataclass(frozen=True)
class Table:
    name: str
    number: int
    source: str
    # Column ids, and their share of the text width (Pandoc reads widths from the dashes).
    columns: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Format:
    name: str
    defaults: str  # Pandoc defaults file
    reference: str | None = None  # a file the build makes that Pandoc reads (the DOCX reference document)
    compile: str | None = None  # "typst": Pandoc writes Typst, which the typst package compiles
    finish: str | None = None  # dotted path of a function that completes the written file in place

    def entry(self) -> dict[str, str]:
        """The catalogue entry, what the step that writes the format reads."""
        return {key: value for key, value in vars(self).items() if value is not None and key != "name"}

    def pandoc_files(self) -> list[str]:
        """The files Pandoc reads through the defaults file: template, filters, styles, reference doc."""
        options = _options(self.defaults)
        named = [options.get("template"), options.get("reference-doc")]
        listed = [*_as_list(options.get("filters")), *_as_list(options.get("css"))]
        return [str(item) for item in [*named, *listed] if isinstance(item, str)]


def module_file(dotted: str) -> Path:
    """The module of a function the catalogue names: it lives under workflow/, in the package or beside it."""
    return Path("workflow", *dotted.rpartition(".")[0].split(".")).with_suffix(".py")


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _options(defaults: str | Path) -> dict[str, Any]:
    """A Pandoc defaults file's options, or none where it cannot be read: the input check, which runs
    before any job, names what is wrong with it, and the workflow can still be listed meanwhile."""
    try:
        options = load_yaml(defaults)
    except (BuildError, OSError):
        return {}
    return options if isinstance(options, dict) else {}


def _check(data: Any, against: dict[str, Any], path: str | Path) -> None:
    # Every run of the workflow, a no-op too, checks the catalogue and the settings; a pass is
    # remembered by content (gigpaper.memo), which spares the next run the import of jsonschema
    # (0.1-0.3 s: it loads every metaschema). A failure is never remembered.
    parts = (memo.as_json(data), memo.as_json(against), str(path))
    memo.remembered("schema pass", parts, lambda: _validate(data, against, path), on_disk=True)


def _validate(data: Any, against: dict[str, Any], path: str | Path) -> None:
    import jsonschema

    errors = list(jsonschema.Draft202012Validator(against).iter_errors(data))
    if errors:
        # The line in the file the values came from (settings() checks each file's own first); none on the command line.
        raise schema_error(path, "" if path == COMMAND_LINE else read_text(path), data, errors)


def _check_function(key: str, dotted: str) -> None:
    """A function the catalogue names is defined in a module under workflow/ (else the rules, which list its
    module's imports as their code, stopped with a Python error as the workflow was read)."""
    module, name = module_file(dotted), dotted.rpartition(".")[2]
    text = read_text(module) if module.is_file() else ""
    if not re.search(rf"^def {re.escape(name)}\(", text, re.M):
        raise BuildError(f"{paths.CATALOGUE}, key '{key}': found '{dotted}', which no module under workflow/ defines "
                         f"({module} {'has no def ' + name if text else 'does not exist'}); expected module.function, "
                         "as gigpaper.figures.draw_gender_by_occupation")  # fmt: skip


@cache
def _load() -> dict[str, Any]:
    data = load_yaml(paths.CATALOGUE)
    _check(data, load_yaml(paths.SCHEMAS / "catalogue.schema.yaml"), paths.CATALOGUE)
    for key, dotted in [*((f"figures.{name}.draw", entry["draw"]) for name, entry in data["figures"].items()),
                        *((f"formats.{name}.finish", entry["finish"]) for name, entry in data["formats"].items()
                          if "finish" in entry)]:  # fmt: skip
        _check_function(key, dotted)
    codes = set(data["languages"])
    for key in ("published_language", "review_language"):
        if data[key] not in codes:
            raise BuildError(f"{paths.CATALOGUE}, key '{key}': found {data[key]}; expected one of the languages.")
    for kind in ("figures", "tables"):  # two of one number: two figures printed as Figure 1, unsaid
        numbered: dict[int, str] = {}
        for name, entry in data[kind].items():
            if entry["number"] in numbered:
                raise BuildError(f"{paths.CATALOGUE}, key '{kind}.{name}.number': found {entry['number']}, the number "
                                 f"of {numbered[entry['number']]} too; expected a number of its own.")  # fmt: skip
            numbered[entry["number"]] = name
    for code, language in data["languages"].items():  # else a Python error in the step that reads the words
        for value, words in language.get("number_words", {}).items():
            try:
                re.compile(words)  # alone first: an error's position is then in the catalogue's words
                re.compile(rf"(?<!\w)(?:{words})(?!\w)")  # as gigpaper.ledger finds them
            except re.error as error:
                raise BuildError(f"{paths.CATALOGUE}, key 'languages.{code}.number_words.{value}': found '{words}', "
                                 f"which is not a regular expression ({error}); expected the word's forms as one, "
                                 "such as дв[аеу][хм]?") from None  # fmt: skip
    return data


def check_sources(descriptor: dict[str, Any], tables: list[str]) -> None:
    """Each figure and table is drawn from one of the data package's `tables` (datapackage.tidy_sources: passed,
    not imported, so that a step importing the catalogue is not rerun by a datapackage.py edit), by columns of its
    schema (else a Python error as the workflow, or the input check, looked the source or its column up)."""
    schemas = {entry["name"]: entry["schema"] for entry in descriptor["resources"] if entry["name"] in tables}
    # A schema the data package's check would refuse is named by it, in the input check.
    fields = {name: [field.get("name") for field in schema.get("fields", []) if isinstance(field, dict)]
              for name, schema in schemas.items() if isinstance(schema, dict)}  # fmt: skip
    for kind, items in (("figures", FIGURES), ("tables", TABLES)):
        for name, item in items.items():
            if item.source not in schemas:
                raise BuildError(f"{paths.CATALOGUE}, key '{kind}.{name}.source': found '{item.source}', which is not a "
                                 f"table of {paths.DESCRIPTOR}; expected one of {', '.join(tables)}.")  # fmt: skip
            key, columns = ("columns", item.columns) if isinstance(item, Table) else ("labels", item.labels.values())
            known = fields.get(item.source, columns)
            if unknown := next((column for column in columns if column and column not in known), None):
                raise BuildError(f"{paths.CATALOGUE}, key '{kind}.{name}.{key}': found the column '{unknown}', which "
                                 f"'{item.source}' of {paths.DESCRIPTOR} does not have; expected one of "
                                 f"{', '.join(map(str, known))}.")  # fmt: skip


def formats() -> dict[str, Format]:
    return {name: Format(name, **entry) for name, entry in _load()["formats"].items()}


def common_pandoc_files() -> list[str]:
    """Files every format's Pandoc run reads through the common defaults (the citation style)."""
    options = _options(_load()["pandoc_common"])
    return [options["csl"]] if isinstance(options.get("csl"), str) else []


LANGUAGES: tuple[str, ...] = tuple(_load()["languages"])
PUBLISHED_LANG: str = _load()["published_language"]
PANDOC_COMMON: str = _load()["pandoc_common"]
REVIEW_LANG: str = _load()["review_language"]
# The journal printed the abstracts in this order; a language it did not print follows, in catalogue order.
_PRINTED = _load()["abstract_order"]
PUBLISHED_ABSTRACT_ORDER: tuple[str, ...] = (*_PRINTED, *(code for code in LANGUAGES if code not in _PRINTED))
FIGURE_FORMATS: tuple[str, ...] = tuple(_load()["figure_formats"])
EDITION_FORMATS: tuple[str, ...] = tuple(_load()["formats"])
FIGURES = {name: Figure(name, **entry) for name, entry in _load()["figures"].items()}
TABLES = {name: Table(name, **entry) for name, entry in _load()["tables"].items()}
# The figure the source check sets beside the Online Labour Index's own data (the reviewer page shows both).
OLI_FIGURE = next((name for name, figure in FIGURES.items() if figure.source == "online_labour_index"), "")


def markdown_inputs(lang: str, tables: Path = paths.TABLES) -> dict[str, Any]:
    """The files one edition's Markdown is made from (gigpaper.manuscript.render_markdown's arguments): rule
    render_markdown's inputs, and the preview's (its tables in its own folder)."""
    return {
        "template": str(paths.TEMPLATES / "paper.md.j2"),
        "sections": [str(path) for path in paths.section_files(lang)],
        "abstracts": [str(paths.ABSTRACTS / f"{code}.md") for code in PUBLISHED_ABSTRACT_ORDER],
        "metadata": str(paths.METADATA),
        "labels": str(paths.labels_file(lang)),
        "languages": str(paths.LANGUAGE_NAMES),
        "registry": str(paths.REGISTRY),
        "tables": [str(tables / f"{name}.{lang}.md") for name in TABLES],
        # The published language's edition is compared with the published text (gigpaper.as_published).
        "published": [str(paths.PUBLISHED_ARTICLE), str(paths.ERRATA), str(paths.BIBLIOGRAPHY)]
        if lang == PUBLISHED_LANG
        else [],
    }


def number_style(lang: str) -> dict[str, Any]:
    """Digit grouping (`group`, from `group_from` on) and decimal mark."""
    return _load()["languages"][lang]["numbers"]


def thousand_word(lang: str) -> str:
    """The word the language writes after a number of thousands ('500 мың', '500 thousand')."""
    return _load()["languages"][lang]["thousand"]


def number_words(lang: str) -> dict[int, str]:
    """Each number the language writes as a word, and a regular expression of its forms."""
    return {int(value): words for value, words in _load()["languages"][lang].get("number_words", {}).items()}


def figure_labels(figure: str, labels: dict[str, Any]) -> dict[str, Any]:
    """The part of one language's labels that `figure` draws: a caption edit leaves the drawing alone."""
    item = FIGURES[figure]
    own = {key: labels["figures"][figure][key] for key in item.texts}
    return {"figures": {figure: own}, **{key: labels[key] for key in item.labels}}


def numbering() -> dict[str, int]:
    """`ref.figure1`, `ref.table2`: the number templates print for each figure and table."""
    return {name: item.number for name, item in {**FIGURES, **TABLES}.items()}


def _figure_labels_schema(figure: Figure) -> dict[str, Any]:
    keys = [*PRINTED_FIGURE_LABELS, *figure.texts]
    text = {"type": "string", "pattern": r"\S", "description": "text (not empty)"}  # as labels.schema.yaml's
    return {"type": "object", "additionalProperties": False, "required": keys,
            "properties": {key: text for key in keys}}  # fmt: skip


def filled(schema: Any) -> Any:
    """A schema with the catalogue's lists filled in where it names them.

    `{x-codes: [languages|abstracts|formats, ...], prefixes: [...]}` lists the codes of each kind with its
    prefix (an enum; abstracts are the languages in the order the journal printed their abstracts);
    `{x-each: languages|tables, of: <schema>}` is an object with one required key per code, each `<schema>`;
    `{x-each: figures}` is the labels of each figure: caption, note, alt and the texts the catalogue says it draws.
    """
    if isinstance(schema, dict):
        if "x-codes" in schema:
            codes = {"languages": LANGUAGES, "abstracts": PUBLISHED_ABSTRACT_ORDER, "formats": EDITION_FORMATS}
            kinds = schema["x-codes"] if isinstance(schema["x-codes"], list) else [schema["x-codes"]]
            prefixes = schema.get("prefixes", [""] * len(kinds))
            return [prefix + code for kind, prefix in zip(kinds, prefixes, strict=True) for code in codes[kind]]
        if "x-each" in schema:
            kind = schema["x-each"]
            if kind == "figures":
                properties = {name: _figure_labels_schema(figure) for name, figure in FIGURES.items()}
            else:
                codes = {"languages": LANGUAGES, "tables": tuple(TABLES)}[kind]
                properties = {code: filled(schema["of"]) for code in codes}
            rest = {key: filled(value) for key, value in schema.items() if key not in ("x-each", "of")}
            return {**rest, "type": "object", "additionalProperties": False, "required": list(properties),
                    "properties": properties}  # fmt: skip
        return {key: filled(value) for key, value in schema.items()}
    if isinstance(schema, list):
        return [filled(item) for item in schema]
    return schema


@cache
def schema(name: str) -> dict[str, Any]:
    """workflow/schemas/<name>.schema.yaml with the catalogue's languages filled in."""
    return filled(load_yaml(paths.SCHEMAS / f"{name}.schema.yaml"))


def check_editions_built(config: dict[str, Any], given: Mapping[str, Any] = MappingProxyType({})) -> None:
    """Every edition is among the languages (an edition needs its language's figures and tables); said of the
    command line where `given` (its --config values) holds the languages alone, the file's editions lacking one."""
    missing = [lang for lang in config["editions"] if lang not in config["languages"]]
    if not missing:
        return
    if "languages" in given and "editions" not in given:
        first = config["languages"][0]
        raise BuildError(
            f"{COMMAND_LINE}, key 'languages': found {', '.join(config['languages'])}, which lacks {missing[0]}, an "
            f"edition {paths.CONFIG} builds; give the editions too, as --config languages=[{first}] editions=[{first}]."
        )
    raise BuildError(
        f"{COMMAND_LINE if given else paths.CONFIG}, key 'editions': found {missing[0]}, which 'languages' "
        f"({', '.join(config['languages'])}) lacks; an edition needs its language's figures and tables: add it to "
        "'languages'."
    )


def settings(
    config: dict[str, Any], given: Mapping[str, Any] = MappingProxyType({}), files: Sequence[str | Path] = ()
) -> dict[str, Any]:
    """The build settings with the schema's defaults filled in, or one message naming the bad key, and where it was
    given: `given` are the values of Snakemake's --config (its config_settings.config), `files` those it read with
    --configfile (named from the project's folder), each over config/config.yaml's, the later over the earlier."""
    config_schema = schema("config")
    for key, spec in config_schema["properties"].items():
        if "default" in spec:
            config.setdefault(key, spec["default"])
    origin = {key: name for name in map(os.path.relpath, files) for key in load_yaml(name) or {}}
    origin |= dict.fromkeys(given, COMMAND_LINE)
    for where in dict.fromkeys(origin.values()):
        _check({k: config.get(k) for k in origin if origin[k] == where}, {**config_schema, "required": []}, where)
    _check(config, config_schema, paths.CONFIG)
    if {"languages", "editions"} & set(given):  # the file's own pair is the input check's to name
        check_editions_built(config, given)
    # Snakemake asks for this file only when the source check must run: a missing one would otherwise go
    # unsaid, and the last results, from another file, stand as if from this one.
    supply = config["oli_worker_supply"]
    if not is_project_file(supply):
        raise BuildError(
            f"{origin.get('oli_worker_supply', paths.CONFIG)}, key 'oli_worker_supply': found "
            f"'{supply}', which is not a file of the project; expected the path, from the project's folder, of "
            "data/raw/oli_worker_supply_annual.csv or of a daily OLI file."
        )
    return config
