"""Snakemake entry point of rule plot_oli_worker_shares."""

from gigpaper.entry import run
from gigpaper.source_chart import plot_oli_shares

if __name__ == "__main__":
    run(plot_oli_shares, snakemake)  # noqa: F821 - Snakemake injects it
