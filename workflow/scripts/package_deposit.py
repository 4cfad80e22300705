"""Snakemake entry point of rule package_deposit."""

from gigpaper.deposit import package_deposit
from gigpaper.entry import run

if __name__ == "__main__":
    run(package_deposit, snakemake)  # noqa: F821 - Snakemake injects it
