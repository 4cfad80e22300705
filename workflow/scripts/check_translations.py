"""Snakemake entry point of rule check_translations."""

from gigpaper.entry import run
from gigpaper.translations import check_translations

if __name__ == "__main__":
    run(check_translations, snakemake)  # noqa: F821 - Snakemake injects it
