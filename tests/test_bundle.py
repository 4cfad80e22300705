"""`./paper bundle`: the whole evidence in one RO-Crate that `rocrate` reads back and that rebuilds itself elsewhere."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import BIN
from gigpaper.datapackage import load_descriptor, sha256_of
from gigpaper.manifest import read_manifest
from rocrate.rocrate import ROCrate


@pytest.fixture(scope="module")
def bundled(built: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The built project, bundled, and its crate unzipped into a folder of its own."""
    result = subprocess.run(
        [sys.executable, "-m", "gigpaper.bundle"], cwd=built, capture_output=True, text=True, check=True
    )
    assert "paper.ro-crate.zip" in result.stdout
    crate = built / "manuscript/build/paper.ro-crate.zip"
    elsewhere = tmp_path_factory.mktemp("elsewhere") / "crate"
    with zipfile.ZipFile(crate) as archive:
        archive.extractall(elsewhere)
    return crate, elsewhere


def test_rocrate_reads_the_crate_back_with_every_source_output_and_the_run(built, bundled):
    crate = ROCrate(bundled[1])
    workflow = crate.mainEntity
    assert "ComputationalWorkflow" in workflow.type and workflow.id == "Snakefile"
    assert workflow["programmingLanguage"]["@id"].endswith("#snakemake") or workflow.lang.id.endswith("#snakemake")
    parts = {p.id for p in workflow["hasPart"]}
    assert {"requirements.txt", "constraints.txt", "pyproject.toml", "workflow/rules/review.smk"} <= parts
    assert "workflow/gigpaper/ledger.py" in parts
    # Every raw source: its SHA-256 (as the data package records it), its resource, its origin and licence.
    descriptor = load_descriptor(built / "data/raw/datapackage.yaml")
    for resource in descriptor["resources"]:
        entity = crate.get(f"data/raw/{resource['path']}")
        assert entity["sha256"] == resource["sha256"] == sha256_of(built / "data/raw" / resource["path"])
        assert entity["identifier"] == f"data/raw/datapackage.yaml#{resource['name']}"
        assert ("license" in entity.properties()) == bool(resource.get("license"))
    oli = crate.get("data/raw/oli_worker_supply_annual.csv")
    assert oli["license"] == "CC BY 4.0" and "https://doi.org/10.6084/m9.figshare.3761562" in oli["sameAs"]
    # Every output with its SHA-256, the ledger and the review page named.
    manifest = read_manifest(built / "manuscript/build/SHA256SUMS")
    for path, digest in manifest.items():
        assert crate.get(path)["sha256"] == digest, path
    assert crate.get("manuscript/build/claims_ledger.csv")["name"] == "Claims ledger"
    assert crate.get("manuscript/build/review.html")["name"] == "Reviewer page"
    # The build's own run: when, with which Snakemake and Pandoc.
    run = crate.get("#build")
    assert "CreateAction" in run.type and run["endTime"]
    tools = {t["name"]: t["version"] for t in run["instrument"] if t.id != "Snakefile"}
    assert set(tools) == {"Snakemake", "Pandoc"} and all(tools.values())
    assert {r.id for r in run["result"]} >= set(manifest)


def test_the_unzipped_crate_verifies_itself_byte_for_byte(bundled):
    elsewhere = bundled[1]
    env = {**os.environ, "GIGPAPER_VENV": str(BIN.parent)}  # the environment of this test run
    result = subprocess.run(["bash", "paper", "verify"], cwd=elsewhere, capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    assert "byte for byte" in result.stdout
