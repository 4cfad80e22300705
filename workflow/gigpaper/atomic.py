"""Write outputs so that a failed step never leaves a half-written file behind."""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from gigpaper.paths import BUILD, GENERATED

if TYPE_CHECKING:  # pandas costs half a second to import; only CSV writers need it
    import pandas as pd

# What each step wrote, by output path: a later check (write_manifest) refuses an output whose
# bytes are no longer what its step wrote, so a hand edit never becomes the recorded truth.
# Each output folder keeps the records of its own files: a folder deleted to start afresh takes its
# records with it, and the other folders' outputs keep theirs (else they had none, and stopped the build).
RECORDS = ".produced"


def produced_record(path: str | os.PathLike) -> Path:
    path = Path(path)
    folder = next((folder for folder in GENERATED if path.is_relative_to(folder)), BUILD)
    return folder / RECORDS / f"{path}.sha256"


def records_folders() -> list[Path]:
    """Where the records are: under each output folder."""
    return [folder / RECORDS for folder in GENERATED]


def _record(target: Path, digest: str) -> None:
    try:
        relative = target.resolve().relative_to(Path.cwd().resolve())
    except ValueError:  # written outside the project (a test's temporary file): nothing to record
        return
    # Replaced, never rewritten in place: the last good build's snapshot hard-links it (gigpaper.outputs).
    write_text(produced_record(relative), digest + "\n", record=False)


def _unrecord(target: Path) -> None:
    with contextlib.suppress(ValueError):  # a file outside the project has no record
        produced_record(target.resolve().relative_to(Path.cwd().resolve())).unlink(missing_ok=True)


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike, record: bool = True) -> Iterator[Path]:
    """Yield a temporary path beside `path`; move it into place only if the block succeeds.

    `record`: the file is an output, whose digest a later check compares (produced_record); the build's own
    state and a command's file (the bundle) are not."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=target.suffix, dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        umask = os.umask(0)
        os.umask(umask)
        tmp.chmod(0o666 & ~umask)  # mkstemp creates 0600; outputs are ordinary files
        digest = hashlib.sha256(tmp.read_bytes()).hexdigest() if record else ""
        os.replace(tmp, target)
        if record:
            _record(target, digest)
        elif RECORDS not in target.parts:  # not an output (any more): no record says it is
            _unrecord(target)
    finally:
        tmp.unlink(missing_ok=True)


def write_text(path: str | os.PathLike, text: str, record: bool = True) -> None:
    with atomic_path(path, record) as tmp:
        tmp.write_text(text, encoding="utf-8", newline="\n")


def csv_text(frame: pd.DataFrame) -> str:
    # %.15g prints whole numbers without a trailing ".0" and keeps every significant digit.
    return frame.to_csv(index=False, lineterminator="\n", float_format="%.15g")


def write_csv(path: str | os.PathLike, frame: pd.DataFrame) -> None:
    write_text(path, csv_text(frame))
