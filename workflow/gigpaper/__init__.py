"""Rebuild «Гендерное равенство в условиях гиг-экономики: опыт Казахстана» from its sources.

Each module holds the pure functions of one stage; each rule's `shell:` runs one of them through `gigpaper.entry`.
"""
