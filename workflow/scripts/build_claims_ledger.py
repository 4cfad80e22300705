"""Snakemake entry point of rule build_claims_ledger."""

from gigpaper.entry import run
from gigpaper.ledger import build_ledger

if __name__ == "__main__":
    run(build_ledger, snakemake)  # noqa: F821 - Snakemake injects it
