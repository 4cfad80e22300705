"""The catalogue (workflow/catalogue.yaml): the languages, figures, tables and output formats.

One place for these facts; the rules, the code and the schemas' language lists read them here.
The file is read relative to the project root, so a copy of the project builds its own catalogue.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from gigpaper import paths
from gigpaper.errors import BuildError
from gigpaper.files import SafeLoader, read_text

# Keys of a figure's labels that the manuscript prints (caption, source note, alt text), not the drawing.
PRINTED_FIGURE_LABELS = ("caption", "note", "alt")


@dataclass(frozen=True)
class Language:
    code: str
    name: str
    script: str  # ISO 15924
    numbers: dict[str, Any]  # group, decimal, group_from
    number_words: dict[int, str]  # value -> regular expression of its words


@dataclass(frozen=True)
class Figure:
    name: str
    number: int
    source: str  # a resource of data/raw/datapackage.yaml
    draw: str  # dotted path of the function that draws it
    texts: tuple[str, ...]  # keys of figures.<name> in the labels that the drawing prints
    labels: dict[str, str | None]  # label groups it draws (names of categories) -> the column they name

    @property
    def draw_module_file(self) -> Path:
        """The draw function's module: it lives under workflow/, in the package or beside it."""
        module = self.draw.rpartition(".")[0]
        return Path("workflow", *module.split(".")).with_suffix(".py")


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
    reference: str | None  # a file the build makes that Pandoc reads (the DOCX reference document)

    def pandoc_files(self) -> list[str]:
        """The files Pandoc reads through the defaults file: template, filters, styles, reference doc."""
        options = _yaml(self.defaults) or {}
        named = [options.get("template"), options.get("reference-doc")]
        listed = [*_as_list(options.get("filters")), *_as_list(options.get("css"))]
        return [str(item) for item in [*named, *listed] if isinstance(item, str)]


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _yaml(path: str | Path) -> Any:
    import yaml

    return yaml.load(read_text(path), Loader=SafeLoader)


@cache
def _load() -> dict[str, Any]:
    data = _yaml(paths.CATALOGUE)
    import jsonschema

    schema = _yaml(paths.SCHEMAS / "catalogue.schema.yaml")
    error = jsonschema.exceptions.best_match(jsonschema.Draft202012Validator(schema).iter_errors(data))
    if error is not None:
        where = ".".join(str(part) for part in error.absolute_path) or "(top level)"
        raise BuildError(f"{paths.CATALOGUE}, key '{where}': {error.message}.")
    codes = set(data["languages"])
    for key in ("published_language", "review_language"):
        if data[key] not in codes:
            raise BuildError(f"{paths.CATALOGUE}, key '{key}': found {data[key]}; expected one of the languages.")
    return data


def languages() -> dict[str, Language]:
    return {
        code: Language(code, entry["name"], entry["script"], entry["numbers"],
                       {int(value): words for value, words in entry.get("number_words", {}).items()})
        for code, entry in _load()["languages"].items()
    }  # fmt: skip


def figures() -> dict[str, Figure]:
    return {
        name: Figure(
            name,
            entry["number"],
            entry["source"],
            entry["draw"],
            tuple(entry.get("texts", ())),
            dict(entry.get("labels", {})),
        )
        for name, entry in _load()["figures"].items()
    }


def tables() -> dict[str, Table]:
    return {
        name: Table(name, entry["number"], entry["source"], dict(entry["columns"]))
        for name, entry in _load()["tables"].items()
    }


def formats() -> dict[str, Format]:
    return {name: Format(name, entry["defaults"], entry.get("reference")) for name, entry in _load()["formats"].items()}


def pandoc_common() -> str:
    return _load()["pandoc_common"]


def common_pandoc_files() -> list[str]:
    """Files every format's Pandoc run reads through the common defaults (the citation style)."""
    options = _yaml(pandoc_common()) or {}
    return [options["csl"]] if isinstance(options.get("csl"), str) else []


LANGUAGES: tuple[str, ...] = tuple(_load()["languages"])
PUBLISHED_LANG: str = _load()["published_language"]
REVIEW_LANG: str = _load()["review_language"]
# The journal printed the abstracts in this order; a language it did not print follows, in catalogue order.
PUBLISHED_ABSTRACT_ORDER: tuple[str, ...] = (
    *_load()["abstract_order"],
    *(code for code in LANGUAGES if code not in _load()["abstract_order"]),
)
FIGURE_FORMATS: tuple[str, ...] = tuple(_load()["figure_formats"])
EDITION_FORMATS: tuple[str, ...] = tuple(_load()["formats"])
FIGURES = figures()
TABLES = tables()
# The figure the source check sets beside the Online Labour Index's own data (the reviewer page shows both).
OLI_FIGURE = next((name for name, figure in FIGURES.items() if figure.source == "online_labour_index"), "")


def number_style(lang: str) -> dict[str, Any]:
    return languages()[lang].numbers


def number_words(lang: str) -> dict[int, str]:
    return languages()[lang].number_words


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
    return {"type": "object", "additionalProperties": False, "required": keys,
            "properties": {key: {"type": "string"} for key in keys}}  # fmt: skip


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
    return filled(_yaml(paths.SCHEMAS / f"{name}.schema.yaml"))


def settings(config: dict[str, Any]) -> dict[str, Any]:
    """The build settings with the schema's defaults filled in, or one message naming the bad key."""
    import jsonschema

    config_schema = schema("config")
    for key, spec in config_schema["properties"].items():
        if key not in config and "default" in spec:
            config[key] = spec["default"]
    error = jsonschema.exceptions.best_match(jsonschema.Draft202012Validator(config_schema).iter_errors(config))
    if error is not None:
        where = ".".join(str(part) for part in error.absolute_path) or "(top level)"
        raise BuildError(f"{paths.CONFIG}, key '{where}': {error.message}.")
    return config
