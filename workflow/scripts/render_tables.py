"""Snakemake entry point of rule render_tables."""

from gigpaper.entry import run
from gigpaper.tables import render_tables

if __name__ == "__main__":
    run(render_tables, snakemake)  # noqa: F821 - Snakemake injects it
