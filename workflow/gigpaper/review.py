"""The reviewer report and the checksum manifest of every output.

`python -m gigpaper.review verify` rebuilds the project from a clean copy in a temporary directory
and compares every byte with manuscript/build/SHA256SUMS, printing the files that differ.
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from gigpaper import atomic, templating
from gigpaper.datapackage import sha256_of
from gigpaper.paths import GENERATED, MANIFEST

# Folders and files a clean copy leaves out: the environment, caches and everything the build makes.
NOT_SOURCES = (".venv", ".git", ".snakemake", "logs", "__pycache__", ".pytest_cache", ".ruff_cache", "build",
               "*.egg-info")  # fmt: skip


def manifest_text(files: list[str]) -> str:
    """sha256sum's format, sorted by path: `sha256sum -c SHA256SUMS` checks it too."""
    return "".join(f"{sha256_of(path)}  {path}\n" for path in sorted(set(files)))


def write_manifest(files: list[str], manifest: str) -> None:
    atomic.write_text(manifest, manifest_text(files))


def _inline_svg(path: str) -> str:
    text = Path(path).read_text(encoding="utf-8")
    return text[text.index("<svg") :]


def write_review(
    template: str, ledger: str, online_labour_index: str, gender_by_occupation: str, figure1: str, figure2: str,
    figure1_oli: str, source_check: str, datapackage: str, bibliography: str, errata: str, metadata: str,
    outputs: list[str], review: str,
) -> None:  # fmt: skip
    """One self-contained HTML page for reviewers: ledger, figures with their values, sources, errata, checksums."""

    def load(path: str) -> Any:
        with open(path, encoding="utf-8") as handle:
            return yaml.safe_load(handle)

    claims = pd.read_csv(ledger, dtype=str, keep_default_na=False)
    checks = pd.read_csv(source_check, dtype=str, keep_default_na=False)
    context = {
        "meta": load(metadata),
        "ledger_columns": list(claims.columns),
        "ledger": claims.to_dict("records"),
        "status_counts": claims["status"].value_counts().sort_index().to_dict(),
        # Each finding once: the article's claims, and numbers whose raw value disagrees with its words.
        "inconsistent": pd.concat(
            [
                claims[(claims["category"] == "claim") & (claims["status"] == "inconsistent")],
                claims[claims["finding"].str.contains("disagrees with the article's words")].drop_duplicates(
                    "registry_id"
                ),
            ]
        ).to_dict("records"),  # fmt: skip
        "figures": [
            {
                "number": 1,
                "svg": _inline_svg(figure1),
                "table": pd.read_csv(online_labour_index, dtype=str, keep_default_na=False),
            },
            {
                "number": 2,
                "svg": _inline_svg(figure2),
                "table": pd.read_csv(gender_by_occupation, dtype=str, keep_default_na=False),
            },
        ],  # fmt: skip
        "source_check": {
            "published": _inline_svg(figure1),
            "oli": _inline_svg(figure1_oli),
            "table": checks,
            "counts": checks.groupby("figure")["status"].value_counts().sort_index().to_dict(),
        },
        "resources": load(datapackage)["resources"],
        "references": load(bibliography)["references"],
        "errata": load(errata),
        "manifest": manifest_text(outputs).splitlines(),
    }
    env = templating.environment()
    env.autoescape = True  # an HTML page: every value from data is escaped
    page = templating.render(env.from_string(Path(template).read_text(encoding="utf-8")), context, template)
    atomic.write_text(review, page)


def copy_sources(project: Path, target: Path) -> Path:
    """A copy of the project as a fresh clone has it: sources only, nothing built."""
    shutil.copytree(project, target, ignore=shutil.ignore_patterns(*NOT_SOURCES))
    for folder in GENERATED:
        for path in (target / folder).glob("*"):
            if path.name != ".gitkeep":
                path.unlink()
    return target


def verify(manifest: Path = MANIFEST, project: Path | None = None, cores: str = "all") -> list[str]:
    """Rebuild `project` (the working directory) from a clean copy; return the manifest's files whose bytes differ."""
    project = project or Path.cwd()
    recorded = {}
    for line in manifest.read_text(encoding="utf-8").splitlines():
        digest, path = line.split("  ", 1)
        recorded[path] = digest
    with tempfile.TemporaryDirectory(prefix="gigpaper-verify-") as tmp:
        copy = Path(tmp) / "project"
        copy_sources(project, copy)
        snakemake = Path(sys.executable).parent / "snakemake"
        result = subprocess.run([str(snakemake), "--cores", cores, "--quiet"], cwd=copy, capture_output=True, text=True)
        if result.returncode != 0:
            raise SystemExit(f"The clean rebuild failed:\n{result.stderr[-3000:]}")
        differ = []
        for path, digest in sorted(recorded.items()):
            rebuilt = copy / path
            if not rebuilt.exists() or hashlib.sha256(rebuilt.read_bytes()).hexdigest() != digest:
                differ.append(path)
    return differ


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("verify", help="rebuild from a clean copy and compare with the manifest")
    check.add_argument("--manifest", default=str(MANIFEST))
    args = parser.parse_args()
    manifest = Path(args.manifest)
    if not manifest.exists():
        sys.exit(f"{manifest} does not exist yet: run ./paper build first.")
    differ = verify(manifest)
    total = len(manifest.read_text(encoding="utf-8").splitlines())
    if differ:
        print(f"{len(differ)} of {total} files differ from {manifest}:")
        print("\n".join(f"  {path}" for path in differ))
        sys.exit(1)
    print(f"All {total} files of {manifest} rebuilt byte for byte.")


if __name__ == "__main__":
    main()
