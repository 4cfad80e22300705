"""Rebuild «Гендерное равенство в условиях гиг-экономики: опыт Казахстана» from its sources.

Each module holds the pure functions of one stage; `workflow/scripts/` calls them from Snakemake.
"""
