"""Snakemake entry point of rule render_table."""

from gigpaper.entry import run
from gigpaper.tables import render_table

if __name__ == "__main__":
    run(render_table, snakemake)  # noqa: F821 - Snakemake injects it
