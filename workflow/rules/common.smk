"""Configuration, its validation, and the helpers that name each rule's files."""

from snakemake.utils import validate

from gigpaper.datapackage import load_descriptor, resource, resource_names


validate(config, "../schemas/config.schema.yaml")

DESCRIPTOR = load_descriptor("data/raw/datapackage.yaml")
SOURCES = resource_names(DESCRIPTOR)
TABLE_SOURCES = {"table1": "table1_platform_employment", "table2": "table2_platforms"}
FIGURES = ["figure1", "figure2"]


wildcard_constraints:
    lang="|".join(config["languages"]),
    fmt="html|pdf|docx",
    source="|".join(SOURCES),
    table="|".join(TABLE_SOURCES),


def source_entry(wildcards):
    return resource(DESCRIPTOR, wildcards.source)


def source_raw_files(wildcards):
    entry = resource(DESCRIPTOR, wildcards.source)
    files = [entry["path"], *(t["path"] for t in entry.get("translations", {}).values())]
    return [f"data/raw/{name}" for name in files]


def table_source(wildcards):
    return f"data/processed/{TABLE_SOURCES[wildcards.table]}.csv"


def figure_files(lang):
    return expand("figures/{figure}.{lang}.{ext}", figure=FIGURES, lang=lang, ext=config["figure_formats"])


def final_outputs():
    return [
        "data/processed/numbers.csv",
        *figure_files(config["languages"]),
        *expand("manuscript/build/tables/{table}.{lang}.md", table=TABLE_SOURCES, lang=config["languages"]),
        *expand("manuscript/build/paper.{lang}.{fmt}", lang=config["editions"], fmt=config["formats"]),
    ]
