"""Snakemake entry point of rule check_against_sources."""

from gigpaper.entry import run
from gigpaper.source_check import check_against_sources

if __name__ == "__main__":
    run(check_against_sources, snakemake)  # noqa: F821 - Snakemake injects it
