"""The reviewer report and the checksum manifest of every output.

`python -m gigpaper.review verify` rebuilds the project from a clean copy in a temporary directory
and compares every byte with manuscript/build/SHA256SUMS, printing the files that differ.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd

from gigpaper import atomic, templating
from gigpaper.as_published import DATA_CHANGED
from gigpaper.datapackage import sha256_of
from gigpaper.errors import BuildError
from gigpaper.files import load_yaml
from gigpaper.paths import GENERATED, MANIFEST

# Folders and files a clean copy leaves out: the environment, caches and everything the build makes.
NOT_SOURCES = (".venv", ".git", ".snakemake", "logs", "__pycache__", ".pytest_cache", ".ruff_cache", "build",
               "*.egg-info", ".produced")  # fmt: skip


def manifest_text(files: list[str]) -> str:
    """sha256sum's format, sorted by path: `sha256sum -c SHA256SUMS` checks it too."""
    return "".join(f"{sha256_of(path)}  {path}\n" for path in sorted(set(files)))


def edited_outputs(files: list[str]) -> dict[str, str]:
    """Outputs whose bytes are not what their step wrote (see gigpaper.atomic), and why."""
    edited = {}
    for path in sorted(set(files)):
        record = atomic.produced_record(path)
        if not record.exists():
            edited[path] = f"no record of the step that wrote it ({record} is missing)"
            continue
        written = record.read_text(encoding="utf-8").strip()
        found = sha256_of(path)
        if found != written:
            edited[path] = f"changed after the build wrote it (SHA-256 {found[:12]}…, the build wrote {written[:12]}…)"
    return edited


def check_outputs_as_written(files: list[str]) -> None:
    """Refuse to record (or to report) any output that was changed by hand after its step wrote it."""
    edited = edited_outputs(files)
    if edited:
        listed = "\n".join(f"  {path}: {why}" for path, why in edited.items())
        raise BuildError(
            f"{len(edited)} output(s) are not what the build wrote, so the build does not record them:\n{listed}\n"
            "Restore them: delete them and run ./paper build (./paper build --forceall rebuilds every output)."
        )


def write_manifest(files: list[str], manifest: str) -> None:
    check_outputs_as_written(files)
    atomic.write_text(manifest, manifest_text(files))


def _inline_svg(path: str, prefix: str) -> str:
    """The SVG element of a figure, its ids prefixed: two inline figures must not share an id (the
    second one's glyphs and clip paths would point into the first)."""
    text = Path(path).read_text(encoding="utf-8")
    text = text[text.index("<svg") :]
    text = re.sub(r'\bid="([^"]+)"', rf'id="{prefix}-\1"', text)
    text = re.sub(r'href="#([^"]+)"', rf'href="#{prefix}-\1"', text)
    return re.sub(r"url\(#([^)]+)\)", rf"url(#{prefix}-\1)", text)


def _sort_number(text: str) -> str:
    """A numeric sort key for a printed value ('500 000', '20–30%', '<5'); blank when it has no number."""
    digits = re.search(r"\d+(?:[.,]\d+)?", re.sub(r"(?<=\d)[\s\u202f,](?=\d{3})", "", text))
    return digits.group(0).replace(",", ".") if digits else ""


def _ordered(values: list[str]) -> list[str]:
    return [v for v in dict.fromkeys(values) if v]


def number_summaries(ledger: pd.DataFrame) -> list[dict[str, Any]]:
    """One summary per registry number: printed values, provenance, findings, source, lines; its places as details."""
    data = ledger[ledger["category"] == "data"]
    summaries = []
    for number_id, rows in data.groupby("registry_id", sort=True):
        first = rows.iloc[0]
        findings = _ordered([f for cell in rows["findings"] for f in cell.split("; ")])
        printed = {lang: _ordered(list(rows[f"value_{lang}"])) for lang in ("kk", "ru", "en")}
        summaries.append({
            "id": number_id, "printed": printed, "sort_value": _sort_number(" ".join(printed["en"])),
            "provenance": first["provenance"], "findings": findings, "source_check": first["source_check"],
            "citation_key": first["citation_key"], "cited_locator": first["cited_locator"],
            "source_status": first["source_status"], "source_line": first["source_line"],
            "source_lines": first["source_lines"], "statement": first["statement"], "formula": first["formula"],
            "raw": f"{first['raw_file']}, row {first['raw_row']}, column {first['raw_column']}",
            "kind": first["kind"], "unit": first["unit"], "places": rows.to_dict("records"),
        })  # fmt: skip
    return summaries


def split_by_publication(claims: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The claims the article's own data contradict, apart from those that fail only because data were
    changed after publication (the ledger's verdict, gigpaper.as_published)."""
    return claims[claims["verdict"] == "inconsistent"], claims[claims["verdict"] == DATA_CHANGED]


def write_review(
    template: str, ledger: str, online_labour_index: str, gender_by_occupation: str, figure1: str, figure2: str,
    figure1_oli: str, source_check: str, datapackage: str, bibliography: str, errata: str, metadata: str,
    outputs: list[str], review: str, translations: str | None = None,
) -> None:  # fmt: skip
    """One self-contained HTML page for reviewers: findings, every number with its details, figures beside
    their values, sources and their status, errata, checksums."""
    check_outputs_as_written(outputs)

    frame = pd.read_csv(ledger, dtype=str, keep_default_na=False)
    claims = frame[frame["category"] == "claim"]
    numbers = number_summaries(frame)
    references = load_yaml(bibliography)["references"]
    for ref in references:  # the copy-editor's English note, or the older per-language note
        note = ref.get("reviewer_note") or ref.get("note") or ""
        ref["review_note"] = note.get("en", "") if isinstance(note, dict) else str(note)
        ref["findings"] = _ordered(frame.loc[frame["claim"] == f"reference:{ref['id']}", "findings"].tolist())
    checks = pd.read_csv(source_check, dtype=str, keep_default_na=False)
    article_findings, data_changed = split_by_publication(claims)
    context = {
        "meta": load_yaml(metadata),
        "numbers": numbers,
        "findings": article_findings.to_dict("records"),
        "data_changed": data_changed.to_dict("records"),
        "checks": claims[~claims["verdict"].isin(["inconsistent", DATA_CHANGED])].to_dict("records"),
        "counts": {
            "numbers": len(numbers),
            "findings": len(article_findings),
            "consistent": int((claims["verdict"] == "consistent").sum()),
            "numbers_with_findings": sum(1 for n in numbers if n["findings"]),
            "provenance": pd.Series([n["provenance"] for n in numbers]).value_counts().sort_index().to_dict(),
            "unconfirmed_sources": sum(1 for ref in references if ref.get("status", "confirmed") != "confirmed"),
        },
        "other_rows": frame[~frame["category"].isin(["data", "claim", "reference"])].to_dict("records"),
        "figures": [
            {
                "number": 1,
                "svg": _inline_svg(figure1, "figure1"),
                "table": pd.read_csv(online_labour_index, dtype=str, keep_default_na=False),
            },
            {
                "number": 2,
                "svg": _inline_svg(figure2, "figure2"),
                "table": pd.read_csv(gender_by_occupation, dtype=str, keep_default_na=False),
            },
        ],  # fmt: skip
        "source_check": {
            "published": _inline_svg(figure1, "check-figure1"),
            "oli": _inline_svg(figure1_oli, "check-oli"),
            "table": checks,
            "counts": checks.groupby("figure")["status"].value_counts().sort_index().to_dict(),
        },
        "resources": load_yaml(datapackage)["resources"],
        "references": references,
        "errata": load_yaml(errata),
        "manifest": manifest_text(outputs).splitlines(),
        "translations": Path(translations).read_text(encoding="utf-8").splitlines() if translations else [],
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


def _read_manifest(path: Path) -> dict[str, str]:
    recorded = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        digest, name = line.split("  ", 1)
        recorded[name] = digest
    return recorded


def clean_rebuild(project: Path, target: Path, cores: str = "all") -> Path:
    """Build a clean copy of `project`'s sources in `target` (it must not exist yet)."""
    copy_sources(project, target)
    snakemake = Path(sys.executable).parent / "snakemake"
    result = subprocess.run([str(snakemake), "--cores", cores, "--quiet"], cwd=target, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"The clean rebuild failed:\n{result.stderr[-3000:]}")
    return target


def compare_with_rebuild(manifest: Path, project: Path, copy: Path) -> dict[str, str]:
    """Each file whose bytes on disk, or whose SHA-256 in `manifest`, differ from the clean rebuild `copy`, with why."""
    recorded = _read_manifest(manifest)
    rebuilt = _read_manifest(copy / MANIFEST)
    differ = {}
    for path in sorted(set(recorded) | set(rebuilt) | {str(MANIFEST)}):
        clean = copy / path
        on_disk = project / path
        if not clean.exists():
            differ[path] = "the clean rebuild does not make it"
        elif not on_disk.exists():
            differ[path] = "missing on disk"
        elif on_disk.read_bytes() != clean.read_bytes():
            differ[path] = "on disk differs from the clean rebuild (edited by hand, or stale)"
        elif path in recorded and recorded[path] != rebuilt.get(path, sha256_of(clean)):
            differ[path] = f"{manifest} records a different SHA-256 from the clean rebuild"
        elif path != str(MANIFEST) and path not in recorded:
            differ[path] = f"not listed in {manifest}"
    return differ


def verify(manifest: Path = MANIFEST, project: Path | None = None, cores: str = "all") -> dict[str, str]:
    """Rebuild `project` (the working directory) from a clean copy and compare, file by file, what is on
    disk and what `manifest` records with the rebuild. Return each file that differs, with why."""
    project = project or Path.cwd()
    with tempfile.TemporaryDirectory(prefix="gigpaper-verify-") as tmp:
        return compare_with_rebuild(manifest, project, clean_rebuild(project, Path(tmp) / "project", cores))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("verify", help="rebuild from a clean copy; compare every output on disk and the manifest")
    check.add_argument("--manifest", default=str(MANIFEST))
    args = parser.parse_args()
    manifest = Path(args.manifest)
    if not manifest.exists():
        sys.exit(f"{manifest} does not exist yet: run ./paper build first.")
    differ = verify(manifest)
    total = len(_read_manifest(manifest)) + 1
    if differ:
        print(f"{len(differ)} of {total} files differ from a clean rebuild:")
        print("\n".join(f"  {path}: {why}" for path, why in differ.items()))
        print("To restore a file: delete it and run ./paper build.")
        sys.exit(1)
    print(f"All {total} files on disk (the outputs and {manifest}) are what a clean rebuild makes, byte for byte.")


if __name__ == "__main__":
    main()
