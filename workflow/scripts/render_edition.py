"""Snakemake entry point of rule render_edition."""

from gigpaper.entry import run
from gigpaper.pandoc import render_edition

if __name__ == "__main__":
    run(render_edition, snakemake)  # noqa: F821 - Snakemake injects it
