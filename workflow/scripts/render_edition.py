"""Snakemake entry point of rule render_edition."""

from gigpaper.deposit import render_edition_and_package
from gigpaper.entry import run

if __name__ == "__main__":
    run(render_edition_and_package, snakemake)  # noqa: F821 - Snakemake injects it
