"""Snakemake entry point of rule plot_online_labour_index."""

from gigpaper.entry import run
from gigpaper.figures import plot_online_labour_index

if __name__ == "__main__":
    run(plot_online_labour_index, snakemake)  # noqa: F821 - Snakemake injects it
