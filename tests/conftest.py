"""Shared fixtures: a clean copy of the project, built once per test session."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from gigpaper.verify import clean_rebuild, copy_sources

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def copy_project(target: Path) -> Path:
    """A copy of the project as a fresh clone has it: sources only, nothing built."""
    return copy_sources(ROOT, target)


def snakemake(project: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    result = subprocess.run(
        [str(BIN / "snakemake"), "--cores", "2", *args], cwd=project, capture_output=True, text=True, env=env
    )
    if check and result.returncode != 0:
        raise AssertionError(f"snakemake {' '.join(args)} failed:\n{result.stdout[-4000:]}\n{result.stderr[-6000:]}")
    return result


def record_checksums(project: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "gigpaper.datapackage", "--update-checksums", "--descriptor", "data/raw/datapackage.yaml"],
        cwd=project, check=True, capture_output=True,
    )  # fmt: skip


def outputs(project: Path) -> dict[str, bytes]:
    """Every generated file of a build, by path relative to the project."""
    found = {}
    for folder in ("data/processed", "figures", "manuscript/build"):
        for path in sorted((project / folder).rglob("*")):
            if path.is_file() and path.name != ".gitkeep":
                found[str(path.relative_to(project))] = path.read_bytes()
    return found


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project built from a clean copy with the README's build target (rule all)."""
    project = copy_project(tmp_path_factory.mktemp("built") / "project")
    snakemake(project)
    return project


@pytest.fixture(scope="session")
def rebuilt(built: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A second clean build of the same sources, shared by the tests of byte-identical rebuilds and of verify."""
    return clean_rebuild(ROOT, tmp_path_factory.mktemp("rebuilt") / "project", cores="2")


@pytest.fixture
def built_copy(built: Path, tmp_path: Path) -> Path:
    """A copy of the built project, outputs and Snakemake's records included, that a test may change."""
    return Path(shutil.copytree(built, tmp_path / "built", symlinks=True))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A fresh, unbuilt copy of the project that a test may change."""
    return copy_project(tmp_path / "project")
