"""Shared fixtures: a clean copy of the project, built once per test session."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import pytest
from gigpaper.verify import clean_rebuild, copy_sources

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


# Fixtures that build the project: a test using one (directly or through another fixture) waits
# for a build, so `./paper test --quick` leaves it out; `./paper test` (what CI runs) runs all.
BUILDING_FIXTURES = {"built", "rebuilt", "built_copy", "project"}


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--quick", action="store_true",
        help="the edit loop's tier: only the tests that need no build of the project (and no `slow` mark)",
    )  # fmt: skip


def pytest_configure(config: pytest.Config) -> None:
    # Hypothesis: a few hundred generated inputs in the edit loop's tier, more in the whole suite.
    os.environ.setdefault("GIGPAPER_HYPOTHESIS", "quick" if config.getoption("--quick") else "suite")
    config.addinivalue_line("markers", "slow: builds the project or runs it as a whole; left out by --quick")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not config.getoption("--quick"):
        return
    slow = [item for item in items if BUILDING_FIXTURES & set(item.fixturenames) or item.get_closest_marker("slow")]
    if slow:
        config.hook.pytest_deselected(items=slow)
        items[:] = [item for item in items if item not in slow]


def copy_project(target: Path) -> Path:
    """A copy of the project as a fresh clone has it: sources only, nothing built."""
    return copy_sources(ROOT, target)


class SnakemakeForks:
    """A tests/snakemake_forks.py server per calling thread (the tests plan two at a time)."""

    def __init__(self) -> None:
        self.local = threading.local()
        self.servers: list[subprocess.Popen[str]] = []
        self.lock = threading.Lock()

    def run(self, project: Path, args: list[str]) -> subprocess.CompletedProcess[str]:
        server = getattr(self.local, "server", None)
        if server is None or server.poll() is not None:
            server = subprocess.Popen(
                [sys.executable, str(ROOT / "tests/snakemake_forks.py")], text=True,
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, env={**os.environ, "PYTHONHASHSEED": "0"},
            )  # fmt: skip
            self.local.server = server
            with self.lock:
                self.servers.append(server)
        with tempfile.TemporaryDirectory(prefix="snakemake-run-") as tmp:
            out, err = Path(tmp) / "stdout", Path(tmp) / "stderr"
            request = {"cwd": str(project), "args": args, "stdout": str(out), "stderr": str(err)}
            server.stdin.write(json.dumps(request) + "\n")
            server.stdin.flush()
            code = int(server.stdout.readline())
            return subprocess.CompletedProcess(
                ["snakemake", *args], code, out.read_text(errors="replace"), err.read_text(errors="replace")
            )

    def close(self) -> None:
        for server in self.servers:
            server.stdin.close()
            server.wait(timeout=60)


FORKS = SnakemakeForks()


@pytest.fixture(scope="session", autouse=True)
def _snakemake_forks():
    yield
    FORKS.close()


def snakemake(project: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    """`snakemake --cores 2 ARGS` in `project`, forked from a process that has imported Snakemake already."""
    result = FORKS.run(project, ["--cores", "2", *args])
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
