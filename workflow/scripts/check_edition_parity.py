"""Snakemake entry point of rule check_edition_parity."""

from gigpaper.entry import run
from gigpaper.parity import check_parity

if __name__ == "__main__":
    run(check_parity, snakemake)  # noqa: F821 - Snakemake injects it
