"""Snakemake entry point of rule make_bibliography."""

from gigpaper.bibliography import write_csl
from gigpaper.entry import run

if __name__ == "__main__":
    run(write_csl, snakemake)  # noqa: F821 - Snakemake injects it
