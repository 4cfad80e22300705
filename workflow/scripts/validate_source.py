"""Snakemake entry point of rule validate_source."""

from gigpaper.entry import run
from gigpaper.validate import validate_source

if __name__ == "__main__":
    run(validate_source, snakemake)  # noqa: F821 - Snakemake injects it
