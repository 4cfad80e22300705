"""Snakemake entry point of rule write_review."""

from gigpaper.entry import run
from gigpaper.review import write_review

if __name__ == "__main__":
    run(write_review, snakemake)  # noqa: F821 - Snakemake injects it
