"""`./paper verify`: rebuild the project from a clean copy and compare every output, byte for byte.

`python -m gigpaper.verify` rebuilds the project from a clean copy in a temporary directory and
compares every byte with manuscript/build/SHA256SUMS, printing the files that differ.
"""

from __future__ import annotations

import argparse
import fnmatch
import os
import shutil
import sys
import tempfile
from pathlib import Path

from gigpaper.atomic import RECORDS
from gigpaper.datapackage import sha256_of
from gigpaper.manifest import edited_outputs, read_manifest, written_files
from gigpaper.paths import GENERATED, MANIFEST
from gigpaper.run_snakemake import failure

# Folders and files a clean copy leaves out: the environment, caches and everything the build makes.
NOT_SOURCES = (".venv", ".git", ".snakemake", "logs", "__pycache__", ".pytest_cache", ".ruff_cache", ".hypothesis",
               "build", "*.egg-info", RECORDS)  # fmt: skip


def source_files(project: Path) -> list[str]:
    """Every file a fresh clone has (what the clean copy and the bundle take), by path relative to `project`."""
    found = []
    for folder, dirs, files in os.walk(project):
        dirs[:] = sorted(d for d in dirs if not any(fnmatch.fnmatch(d, p) for p in NOT_SOURCES))
        for name in sorted(files):
            path = Path(folder, name).relative_to(project)
            generated = any(path.is_relative_to(g) for g in GENERATED) and name != ".gitkeep"
            if not generated and not any(fnmatch.fnmatch(name, p) for p in NOT_SOURCES):
                found.append(str(path))
    return found


def copy_sources(project: Path, target: Path) -> Path:
    """A copy of the project as a fresh clone has it: sources only, nothing built."""
    for path in source_files(project):
        (target / path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(project / path, target / path)
    return target


def clean_rebuild(project: Path, target: Path, cores: str = "all") -> Path:
    """Build a clean copy of `project`'s sources in `target` (it must not exist yet)."""
    copy_sources(project, target)
    said = failure(target, "--quiet", cores=cores)
    if said is not None:
        raise SystemExit(f"The clean rebuild failed:\n{said}")
    return target


def compare_with_rebuild(manifest: Path, project: Path, copy: Path) -> dict[str, str]:
    """Each file the build writes whose bytes on disk, or whose SHA-256 in `manifest`, differ from the clean
    rebuild `copy`, with why. A file whose bytes are not what its step wrote is named as the cause; a file that
    differs but is what its step wrote was made from such a file (or from inputs changed since)."""
    recorded = read_manifest(manifest) if manifest.exists() else {}
    rebuilt = read_manifest(copy / MANIFEST)
    paths = set(recorded) | set(rebuilt) | set(written_files(project)) | set(written_files(copy)) | {str(MANIFEST)}
    edited = edited_outputs([p for p in paths if (project / p).is_file()], root=project)
    differ = {}
    for path in sorted(paths):
        clean = copy / path
        on_disk = project / path
        if not clean.exists():
            differ[path] = "the clean rebuild does not make it"
        elif not on_disk.exists():
            differ[path] = "missing on disk"
        elif on_disk.read_bytes() != clean.read_bytes():
            differ[path] = (
                f"the cause: {edited[path]}" if path in edited and not edited[path].startswith("no record")
                else "on disk differs from the clean rebuild (made from an edited file, or stale)"
            )  # fmt: skip
        elif path in recorded and recorded[path] != rebuilt.get(path, sha256_of(clean)):
            differ[path] = f"{manifest} records a different SHA-256 from the clean rebuild"
        elif path != str(MANIFEST) and path not in recorded:
            differ[path] = f"not listed in {manifest}"
    return dict(sorted(differ.items(), key=lambda item: not item[1].startswith("the cause")))


def verify(manifest: Path = MANIFEST, project: Path | None = None, cores: str = "all") -> dict[str, str]:
    """Rebuild `project` (the working directory) from a clean copy and compare, file by file, what is on
    disk and what `manifest` records with the rebuild. Return each file that differs, with why."""
    project = project or Path.cwd()
    with tempfile.TemporaryDirectory(prefix="gigpaper-verify-") as tmp:
        return compare_with_rebuild(manifest, project, clean_rebuild(project, Path(tmp) / "project", cores))


def main() -> None:
    parser = argparse.ArgumentParser(
        prog="./paper verify", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--manifest", default=str(MANIFEST))
    args = parser.parse_args()
    manifest = Path(args.manifest)
    if not manifest.exists():
        sys.exit(f"{manifest} does not exist yet: run ./paper build first.")
    total = len(read_manifest(manifest)) + 1  # a file that is no manifest is said before a rebuild of minutes
    differ = verify(manifest)
    if differ:
        print(f"{len(differ)} of {total} files differ from a clean rebuild:")
        print("\n".join(f"  {path}: {why}" for path, why in differ.items()))
        print("To restore a file: delete it and run ./paper build (it is made again from its inputs).")
        sys.exit(1)
    print(f"All {total} files on disk (the outputs and {manifest}) are what a clean rebuild makes, byte for byte.")


if __name__ == "__main__":
    main()
