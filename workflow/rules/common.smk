"""Configuration, the input check, and the helpers that name each rule's files."""

from snakemake.utils import validate

from gigpaper import paths
from gigpaper.as_published import print_departures
from gigpaper.catalogue import (
    EDITION_FORMATS,
    FIGURE_FORMATS,
    FIGURES,
    PUBLISHED_LANG,
    TABLES,
)
from gigpaper.checks import check_inputs_or_exit
from gigpaper.datapackage import load_descriptor, resource, resource_files
from gigpaper.imports import imported_modules
from gigpaper.outputs import keep_last_good_outputs
from gigpaper.translations import print_stale_translations

validate(config, "../schemas/config.schema.yaml")
# Every input is vetted before any job runs: a bad one stops the build here, with one message.
check_inputs_or_exit(config)

DESCRIPTOR = load_descriptor(paths.DESCRIPTOR)
SOURCES = [r["name"] for r in DESCRIPTOR["resources"] if "schema" in r]
LANGUAGES = config["languages"]
EDITIONS = config["editions"]
# The reviewer page shows the figures in English where the build draws them, else in the first language.
REVIEW_LANG = "en" if "en" in LANGUAGES else LANGUAGES[0]


wildcard_constraints:
    lang="|".join(LANGUAGES),
    fmt="|".join(EDITION_FORMATS),
    source="|".join(SOURCES),
    table="|".join(TABLES),


def code_of(script):
    """A rule's script and every project module it imports: editing one reruns exactly its steps."""
    return imported_modules(f"workflow/scripts/{script}.py")


def source_entry(wildcards):
    return resource(DESCRIPTOR, wildcards.source)


def source_raw_files(wildcards):
    return [str(paths.RAW / name) for name in resource_files(source_entry(wildcards))]


def table_source(wildcards):
    return f"{paths.PROCESSED}/{TABLES[wildcards.table].source}.csv"


def figure_files(lang):
    return expand(
        "figures/{figure}.{lang}.{ext}", figure=FIGURES, lang=lang, ext=FIGURE_FORMATS
    )


def section_files(lang):
    return sorted(str(p) for p in (paths.TEXT / lang).glob("*.md"))


def edition_sections(wildcards):
    return section_files(wildcards.lang)


def all_section_files(wildcards):
    return [path for lang in ("kk", "ru", "en") for path in section_files(lang)]


# Each format's Pandoc defaults, and the files Pandoc reads through them (template, filters, styles).
FORMAT_DEFAULTS = {
    "html": "manuscript/pandoc/html.yaml",
    "pdf": "manuscript/pandoc/typst.yaml",
    "docx": "manuscript/pandoc/docx.yaml",
    "xml": "manuscript/pandoc/jats.yaml",
}
FORMAT_FILES = {
    "html": ["manuscript/pandoc/article.css", "manuscript/pandoc/html-front.lua"],
    "pdf": [
        "manuscript/pandoc/article.typ",
        "manuscript/pandoc/typst-root-paths.lua",
        "manuscript/pandoc/typst-accessible.lua",
    ],
    "docx": [
        "manuscript/pandoc/docx-png-figures.lua",
        "manuscript/pandoc/docx-table-widths.lua",
        "manuscript/pandoc/docx-captions.lua",
    ],
    "xml": [
        "manuscript/pandoc/article.jats",
        "manuscript/pandoc/jats-front.lua",
        "manuscript/pandoc/jats-deposit.lua",
    ],
}


def format_inputs(wildcards):
    inputs = {
        "fmt_defaults": FORMAT_DEFAULTS[wildcards.fmt],
        "depends": [
            "manuscript/pandoc/article.csl",
            *figure_files(wildcards.lang),
            *FORMAT_FILES[wildcards.fmt],
        ],
    }
    if wildcards.fmt == "docx":
        inputs["reference_doc"] = "manuscript/build/reference.docx"
    return inputs


def table_raw_files(wildcards):
    return [
        str(paths.RAW / name)
        for table in TABLES.values()
        for name in resource_files(resource(DESCRIPTOR, table.source))
    ]


def deposit_packages():
    """A deposit package per edition, when the build makes the JATS and the PDF it packs."""
    if not {"xml", "pdf"} <= set(config["formats"]):
        return []
    return expand("manuscript/build/deposit/paper.{lang}.zip", lang=EDITIONS)


def edition_outputs():
    """Every file an author, an editor or a reviewer takes away, but the report and the manifest."""
    return [
        *expand("data/processed/{source}.csv", source=SOURCES),
        str(paths.REGISTRY),
        *figure_files(LANGUAGES),
        *expand(
            "manuscript/build/tables/{table}.{lang}.md", table=TABLES, lang=LANGUAGES
        ),
        *expand("manuscript/build/paper.{lang}.md", lang=EDITIONS),
        *expand(
            "manuscript/build/paper.{lang}.{fmt}", lang=EDITIONS, fmt=config["formats"]
        ),
        *deposit_packages(),
        str(paths.LEDGER),
        str(paths.PARITY),
        str(paths.TRANSLATION_REPORT),
        *([str(paths.AS_PUBLISHED)] if PUBLISHED_LANG in EDITIONS else []),
        "data/processed/source_check.csv",
        "data/processed/oli_worker_shares.csv",
        "manuscript/build/figure1_oli.en.svg",
    ]


def final_outputs():
    return [*edition_outputs(), str(paths.REVIEW), str(paths.MANIFEST)]


# A failed build leaves the outputs of the last good build as they were, not a mix of old and new.
onstart:
    keep_last_good_outputs.snapshot()


onerror:
    keep_last_good_outputs.restore()


onsuccess:
    keep_last_good_outputs.discard()
    # Every build says which translations are stale, also one that had nothing to rerun.
    print_stale_translations(paths.TRANSLATION_REPORT)
    print_departures(paths.AS_PUBLISHED)
