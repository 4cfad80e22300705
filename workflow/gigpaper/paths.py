"""Every folder and file of the project that more than one place names, relative to the project root.

Rules and code both read these, so a path is spelled once.
"""

from __future__ import annotations

from pathlib import Path

RAW = Path("data/raw")
DESCRIPTOR = RAW / "datapackage.yaml"
PUBLISHED_ARTICLE = RAW / "published_article.kk.txt"
PROCESSED = Path("data/processed")
REGISTRY = PROCESSED / "numbers.csv"
SOURCE_CHECK = PROCESSED / "source_check.csv"
OLI_SHARES = PROCESSED / "oli_worker_shares.csv"
FIGURES = Path("figures")
MANUSCRIPT = Path("manuscript")
TEXT = MANUSCRIPT / "text"
ABSTRACTS = TEXT / "abstracts"
LABELS = MANUSCRIPT / "labels"
LANGUAGE_NAMES = LABELS / "languages.yaml"
TEMPLATES = MANUSCRIPT / "templates"
BIBLIOGRAPHY = MANUSCRIPT / "bibliography.yaml"
CLAIMS = MANUSCRIPT / "claims.yaml"
ERRATA = MANUSCRIPT / "errata.yaml"
METADATA = MANUSCRIPT / "metadata.yaml"
PANDOC = MANUSCRIPT / "pandoc"
BUILD = MANUSCRIPT / "build"
TABLES = BUILD / "tables"
OLI_CHART = BUILD / "figure1_oli.en.svg"
REFERENCE_DOCX = BUILD / "reference.docx"
LEDGER = BUILD / "claims_ledger.csv"
MANIFEST = BUILD / "SHA256SUMS"
REVIEW = BUILD / "review.html"
PARITY = BUILD / "parity.txt"
# One package per edition that a journal deposits: the JATS, the PDF and every graphic they name.
DEPOSIT = BUILD / "deposit"
TRANSLATIONS = MANUSCRIPT / "translations.yaml"
TRANSLATION_REPORT = BUILD / "translations.txt"
AS_PUBLISHED = BUILD / "as_published.txt"
CONFIG = Path("config/config.yaml")
SCHEMAS = Path("workflow/schemas")
# What each rule runs its step through (workflow/rules/common.smk, `step`).
ENTRY = Path("workflow/gigpaper/entry.py")
CATALOGUE = Path("workflow/catalogue.yaml")
# Folders whose every file the build makes (never committed, never hand-edited).
GENERATED = (PROCESSED, FIGURES, BUILD)
# Where the build keeps its own state: the input check's fingerprint, the outputs of the last good build.
STATE = Path(".snakemake/gigpaper")
# Each failed step's one-line message in this build, printed again when the build stops (gigpaper.entry).
STEP_ERRORS = STATE / "step-errors.txt"


def labels_file(lang: str) -> Path:
    return LABELS / f"{lang}.yaml"


def section_files(lang: str) -> list[Path]:
    """A language's sections, in the order the edition prints them. An editor's file is none (is_editors_file): its
    lock (Emacs's .#04.results.md, a link to nothing while the section has unsaved changes) or backup."""
    return sorted(path for path in (TEXT / lang).glob("*.md") if not is_editors_file(path.name))


def is_editors_file(name: str) -> bool:
    """An editor's own file beside a text or table, which no author writes: a hidden one (Emacs's lock
    .#04.results.md, a Vim swap file, LibreOffice's lock .~lock.article_numbers.csv#), Microsoft Office's lock of an
    open document (~$article_numbers.csv), a backup (04.results.md~) or Emacs's auto-save (#04.results.md#)."""
    return name.startswith((".", "~$")) or name.endswith("~") or (name.startswith("#") and name.endswith("#"))


def processed(source: str) -> Path:
    """The tidy table of a data package resource."""
    return PROCESSED / f"{source}.csv"
