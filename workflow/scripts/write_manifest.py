"""Snakemake entry point of rule write_manifest."""

from gigpaper.entry import run
from gigpaper.manifest import write_manifest

if __name__ == "__main__":
    run(write_manifest, snakemake)  # noqa: F821 - Snakemake injects it
