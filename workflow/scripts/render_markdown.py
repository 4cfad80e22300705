"""Snakemake entry point of rule render_markdown."""

from gigpaper.entry import run
from gigpaper.manuscript import render_markdown

if __name__ == "__main__":
    run(render_markdown, snakemake)  # noqa: F821 - Snakemake injects it
