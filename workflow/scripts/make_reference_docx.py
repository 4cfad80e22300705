"""Snakemake entry point of rule make_reference_docx."""

from gigpaper.entry import run
from gigpaper.pandoc import make_reference_docx

if __name__ == "__main__":
    run(make_reference_docx, snakemake)  # noqa: F821 - Snakemake injects it
