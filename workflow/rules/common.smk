"""Configuration, its validation, and the helpers that name each rule's files."""

import glob

from snakemake.utils import validate

from gigpaper.datapackage import (
    load_descriptor,
    resource,
    resource_files,
    resource_names,
)

validate(config, "../schemas/config.schema.yaml")

DESCRIPTOR = load_descriptor("data/raw/datapackage.yaml")
SOURCES = resource_names(DESCRIPTOR)
TABLE_SOURCES = {"table1": "table1_platform_employment", "table2": "table2_platforms"}
FIGURES = ["figure1", "figure2"]
FIGURE_FORMATS = ["svg", "png", "pdf"]


wildcard_constraints:
    lang="|".join(config["languages"]),
    fmt="html|pdf|docx|xml",
    source="|".join(SOURCES),
    table="|".join(TABLE_SOURCES),


def source_entry(wildcards):
    return resource(DESCRIPTOR, wildcards.source)


def source_raw_files(wildcards):
    entry = resource(DESCRIPTOR, wildcards.source)
    files = [
        entry["path"],
        *(t["path"] for t in entry.get("translations", {}).values()),
    ]
    return [f"data/raw/{name}" for name in files]


def table_source(wildcards):
    return f"data/processed/{TABLE_SOURCES[wildcards.table]}.csv"


def figure_files(lang):
    return expand(
        "figures/{figure}.{lang}.{ext}", figure=FIGURES, lang=lang, ext=FIGURE_FORMATS
    )


def edition_sections(wildcards):
    return sorted(glob_wildcards(f"manuscript/text/{wildcards.lang}/{{name}}.md").name)


def section_files(wildcards):
    return expand(
        "manuscript/text/{lang}/{name}.md",
        lang=wildcards.lang,
        name=edition_sections(wildcards),
    )


# Each format's Pandoc defaults and what they read: template, filters, stylesheet.
FORMAT_FILES = {
    "html": {
        "fmt_defaults": "manuscript/pandoc/html.yaml",
        "stylesheet": "manuscript/pandoc/article.css",
        "filters": ["manuscript/pandoc/html-front.lua"],
    },
    "pdf": {
        "fmt_defaults": "manuscript/pandoc/typst.yaml",
        "typst_template": "manuscript/pandoc/article.typ",
        "filters": [
            "manuscript/pandoc/typst-root-paths.lua",
            "manuscript/pandoc/typst-accessible.lua",
        ],
    },
    "docx": {
        "fmt_defaults": "manuscript/pandoc/docx.yaml",
        "reference_doc": "manuscript/build/reference.docx",
        "filters": [
            "manuscript/pandoc/docx-png-figures.lua",
            "manuscript/pandoc/docx-table-widths.lua",
        ],
    },
    "xml": {
        "fmt_defaults": "manuscript/pandoc/jats.yaml",
        "jats_template": "manuscript/pandoc/article.jats",
        "filters": ["manuscript/pandoc/jats-front.lua"],
    },
}


def format_inputs(wildcards):
    return FORMAT_FILES[wildcards.fmt]


def all_section_files(wildcards):
    return sorted(glob.glob("manuscript/text/*/*.md"))


def table_raw_files(wildcards):
    return [
        f"data/raw/{path}"
        for name in TABLE_SOURCES.values()
        for path in resource_files(resource(DESCRIPTOR, name))
    ]


def edition_outputs():
    """Every file an author, an editor or a reviewer takes away, but the report and the manifest."""
    return [
        *expand("data/processed/{source}.csv", source=SOURCES),
        "data/processed/numbers.csv",
        *figure_files(config["languages"]),
        *expand(
            "manuscript/build/tables/{table}.{lang}.md",
            table=TABLE_SOURCES,
            lang=config["languages"],
        ),
        *expand("manuscript/build/paper.{lang}.md", lang=config["editions"]),
        *expand(
            "manuscript/build/paper.{lang}.{fmt}",
            lang=config["editions"],
            fmt=config["formats"],
        ),
        "manuscript/build/claims_ledger.csv",
        "manuscript/build/parity.txt",
    ]


def final_outputs():
    return [
        *edition_outputs(),
        "manuscript/build/review.html",
        "manuscript/build/SHA256SUMS",
    ]
