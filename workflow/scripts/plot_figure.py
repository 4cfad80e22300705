"""Snakemake entry point of rule plot_figure."""

from gigpaper.entry import run
from gigpaper.figures import plot_figure

if __name__ == "__main__":
    run(plot_figure, snakemake)  # noqa: F821 - Snakemake injects it
