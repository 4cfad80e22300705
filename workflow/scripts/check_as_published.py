"""Snakemake entry point of rule check_as_published."""

from gigpaper.as_published import check_as_published
from gigpaper.entry import run

if __name__ == "__main__":
    run(check_as_published, snakemake)  # noqa: F821 - Snakemake injects it
