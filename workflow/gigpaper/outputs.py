"""Keep the outputs of the last good build until a new build has succeeded as a whole.

Snakemake replaces outputs job by job, so a build that fails half-way would leave new figures beside
old editions. At the start of a build every generated file is hard-linked into a snapshot (no copy:
our steps replace files, never rewrite them in place, so a link keeps the old bytes); if the build
fails the snapshot is put back, with Snakemake's records of those files, and files the failed build
added are removed. Stale temporary files of an interrupted step are cleared at the start.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from gigpaper.paths import GENERATED, STATE

SNAKEMAKE_RECORDS = Path(".snakemake/metadata")


class LastGoodOutputs:
    def __init__(self, folders: tuple[Path, ...] = GENERATED, store: Path = STATE / "last-good"):
        self.folders, self.store = folders, store

    def _files(self) -> list[Path]:
        return sorted(p for folder in self.folders if folder.is_dir() for p in folder.rglob("*") if p.is_file())

    def clear_temporaries(self) -> None:
        """Hidden files that an interrupted atomic write left beside an output (".paper.en.docx.x1y2.docx")."""
        for path in self._files():
            if path.name.startswith(".") and path.name != ".gitkeep":
                path.unlink()

    def snapshot(self) -> None:
        self.clear_temporaries()
        shutil.rmtree(self.store, ignore_errors=True)
        files = self.store / "files"
        for path in self._files():
            target = files / path
            target.parent.mkdir(parents=True, exist_ok=True)
            os.link(path, target)
        if SNAKEMAKE_RECORDS.is_dir():  # rewritten in place by Snakemake, so copied, not linked
            shutil.copytree(SNAKEMAKE_RECORDS, self.store / "metadata")
        self.store.mkdir(parents=True, exist_ok=True)
        (self.store / "complete").touch()

    def restore(self) -> None:
        if not (self.store / "complete").exists():
            return
        files = self.store / "files"
        kept = {p.relative_to(files) for p in files.rglob("*") if p.is_file()} if files.is_dir() else set()
        for path in self._files():
            if path not in kept and path.name != ".gitkeep":
                path.unlink()
        for relative in kept:
            relative.parent.mkdir(parents=True, exist_ok=True)
            os.replace(files / relative, relative)
        if (self.store / "metadata").is_dir():
            shutil.rmtree(SNAKEMAKE_RECORDS, ignore_errors=True)
            shutil.copytree(self.store / "metadata", SNAKEMAKE_RECORDS)
        self.discard()

    def discard(self) -> None:
        shutil.rmtree(self.store, ignore_errors=True)


keep_last_good_outputs = LastGoodOutputs()
