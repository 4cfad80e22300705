"""The checksum manifest of every output, and the check that no file the build wrote was edited afterwards.

Every step writes through gigpaper.atomic, which records the SHA-256 of what it wrote. A file whose
bytes are no longer those (an intermediate such as references.en.json, an edition, the manifest
itself) stops the next build before any job runs, and is never recorded in the manifest.
"""

from __future__ import annotations

import sys
from pathlib import Path

from gigpaper import atomic
from gigpaper.datapackage import sha256_of
from gigpaper.errors import BuildError
from gigpaper.paths import GENERATED, MANIFEST


def manifest_text(digests: dict[str, str]) -> str:
    """sha256sum's format, sorted by path: `sha256sum -c SHA256SUMS` checks it too."""
    return "".join(f"{digests[path]}  {path}\n" for path in sorted(digests))


def checked_outputs(files: list[str], root: Path = Path()) -> tuple[dict[str, str], dict[str, str]]:
    """The SHA-256 of each output (paths relative to the project `root`) that has a record of its step, and the
    outputs whose bytes are not what their step wrote (see gigpaper.atomic), with why: each file read once."""
    digests, edited = {}, {}
    for path in sorted(set(files)):
        record = atomic.produced_record(path)
        if not (root / record).exists():
            edited[path] = f"no record of the step that wrote it ({record} is missing)"
            continue
        written = (root / record).read_text(encoding="utf-8").strip()
        digests[path] = found = sha256_of(root / path)
        if found != written:
            edited[path] = f"changed after the build wrote it (SHA-256 {found[:12]}…, the build wrote {written[:12]}…)"
    return digests, edited


def edited_outputs(files: list[str], root: Path = Path()) -> dict[str, str]:
    """Outputs whose bytes are not what their step wrote, and why (see checked_outputs)."""
    return checked_outputs(files, root)[1]


def outputs_as_written(files: list[str]) -> dict[str, str]:
    """The SHA-256 of each output, read once; refused (BuildError) where one was changed by hand after its step
    wrote it, or has no record of its step, so a hand edit is never recorded or reported as built."""
    digests, edited = checked_outputs(files)
    if edited:
        listed = "\n".join(f"  {path}: {why}" for path, why in edited.items())
        raise BuildError(
            f"{len(edited)} output(s) are not what the build wrote, so the build does not record them:\n{listed}\n"
            "Restore them: delete them and run ./paper build (./paper build --forceall rebuilds every output)."
        )
    return digests


def written_files(root: Path = Path()) -> list[str]:
    """Every file under `root` that a build step wrote and that is still there, by path relative to `root`."""
    found = (
        str(record.relative_to(records))[: -len(".sha256")]
        for records in (root / folder for folder in atomic.records_folders())
        if records.is_dir()
        for record in records.rglob("*.sha256")
    )
    # Only under the build's folders: a source a command wrote before it said `record=False` (the translations'
    # import wrote the ru and en texts so) is the author's, and an edit of it is not tampering.
    return sorted(
        path for path in found if (root / path).is_file() and any(Path(path).is_relative_to(g) for g in GENERATED)
    )


def refuse_edited_outputs_or_exit() -> None:
    """The Snakefile's call, before any job runs: a file the build wrote and someone changed afterwards stops the
    build with its name. Building on it would carry the edit into every file made from it and record it as built."""
    for folder in GENERATED:  # a file or a broken link in its place: Snakemake's traceback as it listed the folder
        if (folder.exists() or folder.is_symlink()) and not folder.is_dir():
            print(f"ERROR: {folder}: a file, where the build keeps its outputs in a folder; move the file away (the "
                  "build makes the folder). Nothing was built.", file=sys.stderr)  # fmt: skip
            sys.exit(1)
    listed = [*written_files(), *([str(MANIFEST)] if MANIFEST.is_file() else [])]
    edited = {path: why for path, why in edited_outputs(listed).items() if not why.startswith("no record")}
    if edited:
        files = "\n".join(f"  {path}: {why}" for path, why in edited.items())
        print(
            f"ERROR: {len(edited)} file(s) the build wrote were changed afterwards:\n{files}\n"
            "Nothing was built. Generated files are never edited by hand: change their inputs instead. "
            "To make them again from their inputs, delete them and run ./paper build.",
            file=sys.stderr,
        )
        sys.exit(1)


def write_manifest(digests: dict[str, str], manifest: str) -> None:
    """The manifest of outputs whose digests `outputs_as_written` read (each file hashed once per build step)."""
    atomic.write_text(manifest, manifest_text(digests))


def read_manifest(path: Path) -> dict[str, str]:
    """SHA-256 by path, as `manifest_text` writes them."""
    found = {}
    for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), start=1):
        digest, _, name = line.partition("  ")
        if len(digest) != 64 or not name:
            raise BuildError(
                f"{path}, line {number}: found {line[:60]!r}; expected a SHA-256 and a path, as SHA256SUMS lists them."
            )
        found[name] = digest
    return found
