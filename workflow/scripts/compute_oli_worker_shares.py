"""Snakemake entry point of rule compute_oli_worker_shares."""

from gigpaper.entry import run
from gigpaper.oli import compute_oli_worker_shares

if __name__ == "__main__":
    run(compute_oli_worker_shares, snakemake)  # noqa: F821 - Snakemake injects it
