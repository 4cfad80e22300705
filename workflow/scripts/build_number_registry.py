"""Snakemake entry point of rule build_number_registry."""

from gigpaper.entry import run
from gigpaper.numbers import build_registry

if __name__ == "__main__":
    run(build_registry, snakemake)  # noqa: F821 - Snakemake injects it
