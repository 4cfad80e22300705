"""Snakemake entry point of rule plot_gender_by_occupation."""

from gigpaper.entry import run
from gigpaper.figures import plot_gender_by_occupation

if __name__ == "__main__":
    run(plot_gender_by_occupation, snakemake)  # noqa: F821 - Snakemake injects it
