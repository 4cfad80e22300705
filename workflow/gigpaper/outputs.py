"""Keep the outputs of the last good build until a new build has succeeded as a whole.

Snakemake replaces outputs job by job, so a build that fails half-way would leave new figures beside
old editions. At the start of a build every generated file is hard-linked into a snapshot (no copy:
our steps replace files, never rewrite them in place, so a link keeps the old bytes); if the build
fails the snapshot is put back and files the failed build added are removed. Stale temporary files of
an interrupted step are cleared at the start.

Snakemake's own records (.snakemake/metadata) are never touched: they now describe what the failed
build wrote, not the old file put back. So the files put back are listed, and when the workflow is
next read their modification time is set to the epoch: older than any input, each is made again by
Snakemake's own modification-time rule (until then it keeps the last good bytes).

After a good build, remove_unmade deletes what the build no longer makes, and print_findings repeats what its
reports found, also when nothing was rerun.
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
from pathlib import Path

from gigpaper.atomic import produced_record
from gigpaper.manifest import written_files
from gigpaper.paths import AS_PUBLISHED, CATALOGUE, CONFIG, GENERATED, STATE, TRANSLATION_REPORT


class LastGoodOutputs:
    def __init__(self, folders: tuple[Path, ...] = GENERATED, store: Path = STATE / "last-good"):
        self.folders, self.store = folders, store
        self.put_back = store.parent / "put-back"

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
        self.store.mkdir(parents=True, exist_ok=True)
        (self.store / "complete").touch()

    def restore(self) -> list[str]:
        """Put back the last good build's outputs; the files put back (Snakemake's records no longer describe them)."""
        if not (self.store / "complete").exists():
            return []
        files = self.store / "files"
        kept = {p.relative_to(files) for p in files.rglob("*") if p.is_file()} if files.is_dir() else set()
        for path in self._files():
            if path not in kept and path.name != ".gitkeep":
                path.unlink()
        replaced = []
        for relative in sorted(kept):
            if relative.exists() and os.path.samefile(files / relative, relative):
                continue  # the failed build left it alone
            relative.parent.mkdir(parents=True, exist_ok=True)
            os.replace(files / relative, relative)
            replaced.append(str(relative))
        if replaced:
            with self.put_back.open("a", encoding="utf-8") as record:
                record.write("".join(f"{path}\n" for path in replaced))
        self.discard()
        return replaced

    def mark_put_back_for_rebuild(self) -> None:
        """Called as the workflow is read: the files a failed build put back are older than every input."""
        if not self.put_back.is_file():
            return
        for line in self.put_back.read_text(encoding="utf-8").splitlines():
            if Path(line).is_file():
                # One second into 1970, not 0: Snakemake skips its input-newer check when the oldest output's
                # time is 0. Without Snakemake's record of the failed build's job (removed by `onerror`), a newer
                # input counts as changed, so the job runs again.
                os.utime(line, (1, 1))
        self.put_back.unlink()

    def discard(self) -> None:
        shutil.rmtree(self.store, ignore_errors=True)


keep_last_good_outputs = LastGoodOutputs()


def remove_unmade(made: list[str]) -> None:
    """Delete each file an earlier build wrote (gigpaper.atomic recorded it) that the build no longer makes, the
    settings or the catalogue having dropped its format, language or figure, with its record, and say so: left, it
    would pass for current beside the outputs that are, though SHA256SUMS and the bundle leave it out."""
    for path in sorted(set(written_files()) - set(made)):
        Path(path).unlink()
        produced_record(path).unlink(missing_ok=True)
        print(f"removed {path}: the build no longer makes it ({CONFIG}, {CATALOGUE})", file=sys.stderr)


def print_findings(*reports: Path) -> None:
    """Each report's lines after its summary (stale translations, departures from the published text) on
    stderr, after every build: a few kilobytes read, so a no-op build stays as fast."""
    for report in reports or (TRANSLATION_REPORT, AS_PUBLISHED):
        if report.exists():
            for line in report.read_text(encoding="utf-8").splitlines()[1:]:
                print(line, file=sys.stderr)


def _nothing_to_do(record: logging.LogRecord) -> bool:
    from snakemake.common import NOTHING_TO_BE_DONE_MSG  # in Snakemake's process only

    if record.msg == NOTHING_TO_BE_DONE_MSG:
        print_findings()
    return True


def print_findings_when_nothing_to_do() -> None:
    """Called as the workflow is read: a build with nothing to rerun runs no hook of the workflow (Snakemake returns
    before onsuccess), so its findings are said as Snakemake says so. Registered once, however often it is read."""
    from snakemake.logging import logger

    if _nothing_to_do not in logger.filters:
        logger.addFilter(_nothing_to_do)
