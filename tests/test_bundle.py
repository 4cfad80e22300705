"""`./paper bundle`: the whole evidence in one RO-Crate that `rocrate` reads back and that rebuilds itself elsewhere."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import jsonschema
import pytest
import yaml
from conftest import BIN, ROOT
from gigpaper.datapackage import digest as recorded_sha256
from gigpaper.datapackage import load_descriptor, sha256_of
from gigpaper.manifest import read_manifest
from gigpaper.verify import source_files
from rocrate.rocrate import ROCrate


@pytest.fixture(scope="module")
def bundled(built: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A copy of the built project, bundled, and its crate unzipped into a folder of its own (the shared build
    stays as the build leaves it: the crate is not one of its outputs)."""
    project = Path(shutil.copytree(built, tmp_path_factory.mktemp("bundled") / "project", symlinks=True))
    result = subprocess.run(
        [sys.executable, "-m", "gigpaper.bundle"], cwd=project, capture_output=True, text=True, check=True
    )
    assert "paper.ro-crate.zip" in result.stdout
    crate = project / "manuscript/build/paper.ro-crate.zip"
    elsewhere = tmp_path_factory.mktemp("elsewhere") / "crate"
    with zipfile.ZipFile(crate) as archive:
        archive.extractall(elsewhere)
    return crate, elsewhere


def test_sources_changed_since_the_build_are_not_bundled_beside_the_older_outputs(built_copy):
    """The crate's outputs must be what its sources make, or its own verify fails: bundle after a build."""
    section = built_copy / "manuscript/text/kk/06.conclusion.md"
    section.write_text(section.read_text(encoding="utf-8").replace("\n\n", "\n\nЖаңа сөйлем.\n\n", 1), "utf-8")
    result = subprocess.run([sys.executable, "-m", "gigpaper.bundle"], cwd=built_copy, capture_output=True, text=True)
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "Not bundled: the sources changed since the last build (manuscript/text/kk/06.conclusion.md); "
        "run ./paper build first."
    )
    assert not (built_copy / "manuscript/build/paper.ro-crate.zip").exists()


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
        assert entity["sha256"] == recorded_sha256(resource) == sha256_of(built / "data/raw" / resource["path"])
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
    # The article it rebuilds, by DOI and published title, naming no author while the metadata names none.
    meta = yaml.safe_load((built / "manuscript/metadata.yaml").read_text(encoding="utf-8"))
    article = crate.root_dataset["about"]
    assert article.id == f"https://doi.org/{meta['doi']}" and "ScholarlyArticle" in article.type
    assert article["name"] == meta["title"]["ru"] and article["datePublished"] == meta["year"]
    assert meta["authors"] == [] and "author" not in article.properties()


def test_the_crate_names_the_articles_authors_once_the_metadata_does():
    from gigpaper.bundle import _article

    meta = yaml.safe_load((ROOT / "manuscript/metadata.yaml").read_text(encoding="utf-8"))
    university = {"kk": "Сынақ университеті", "ru": "Тестовый университет", "en": "Test University"}
    meta["authors"] = [
        {"name": "Testova Aigerim", "affiliation": university, "orcid": "0000-0002-1825-0097", "email": "a@example.org"},
        {"name": "Testov Daniyar", "affiliation": dict.fromkeys(university, "Test Institute")},
    ]  # fmt: skip
    crate = ROCrate()
    crate.root_dataset["about"] = {"@id": _article(crate, meta).id}
    graph = {entity["@id"]: entity for entity in crate.metadata.generate()["@graph"]}
    article = graph[f"https://doi.org/{meta['doi']}"]
    assert article["author"] == [{"@id": "https://orcid.org/0000-0002-1825-0097"}, {"@id": "#author-2"}]
    first, second = graph["https://orcid.org/0000-0002-1825-0097"], graph["#author-2"]
    assert (first["@type"], first["name"], first["email"]) == ("Person", "Testova Aigerim", "a@example.org")
    assert graph[first["affiliation"]["@id"]]["name"] == list(university.values())
    assert second["name"] == "Testov Daniyar" and "email" not in second
    assert graph[second["affiliation"]["@id"]]["name"] == "Test Institute"


def test_the_unzipped_crate_verifies_itself_byte_for_byte(bundled):
    elsewhere = bundled[1]
    env = {**os.environ, "GIGPAPER_VENV": str(BIN.parent)}  # the environment of this test run
    result = subprocess.run(["bash", "paper", "verify"], cwd=elsewhere, capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    assert "byte for byte" in result.stdout


def test_citation_file_is_valid_and_names_no_one_the_sources_do_not():
    """CITATION.cff against the Citation File Format 1.2.0 schema (tests/schemas/, from the format's own
    repository via cffconvert 2.0.0, CC BY 4.0): valid, no invented person, the article as its metadata says."""
    schema = json.loads((ROOT / "tests/schemas/citation-file-format-1.2.0.schema.json").read_text(encoding="utf-8"))
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    errors = [f"{list(e.path)}: {e.message}" for e in jsonschema.Draft7Validator(schema).iter_errors(cff)]
    assert not errors, errors
    text = (ROOT / "CITATION.cff").read_text(encoding="utf-8")
    assert "family-names" not in text and "given-names" not in text and "orcid" not in text
    meta = yaml.safe_load((ROOT / "manuscript/metadata.yaml").read_text(encoding="utf-8"))
    assert meta["authors"] == []  # were they ever filled in, CITATION.cff should name them
    article = cff["references"][0]
    assert (article["doi"], str(article["issn"]), str(article["year"]), article["issue"]) == (
        meta["doi"], meta["issn"], meta["year"], meta["issue"],
    )  # fmt: skip
    assert article["title"] == meta["title"]["ru"] and article["journal"] == meta["journal"]["ru"]


def test_the_code_is_mit_and_the_text_and_data_keep_their_terms():
    licence = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert licence.startswith("MIT License") and "keeps the terms" in licence
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    assert "The code is under the MIT licence" in readme and "keep their own terms" in readme


def test_a_clean_copy_takes_the_sources_only_not_what_tools_leave_beside_them(tmp_path):
    """What the clean rebuild, the bundle and the tests' copies take: a fresh clone's files. The property tests'
    Hypothesis database (.hypothesis/) was taken too, and a copy made while Hypothesis replaced a file of it failed."""
    for name in ("Snakefile", "data/raw/x.csv", ".hypothesis/examples/ab", ".pytest_cache/v/x", "figures/figure1.kk.svg",
                 "figures/.gitkeep", "figures/.produced/figures/figure1.kk.svg.sha256"):  # fmt: skip
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x", encoding="utf-8")
    assert sorted(source_files(tmp_path)) == ["Snakefile", "data/raw/x.csv", "figures/.gitkeep"]
