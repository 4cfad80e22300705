"""Snakemake entry point of rule write_review_and_manifest."""

from gigpaper.entry import run
from gigpaper.review import write_review_and_manifest

if __name__ == "__main__":
    run(write_review_and_manifest, snakemake)  # noqa: F821 - Snakemake injects it
