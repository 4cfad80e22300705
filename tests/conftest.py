"""Shared fixtures: a clean copy of the project, built once per test run (once for all pytest-xdist workers)."""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pytest
from gigpaper.paths import CATALOGUE
from gigpaper.verify import NOT_SOURCES, clean_rebuild, copy_sources
from hypothesis import is_hypothesis_test

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent

# pytest keeps each test module's rewritten asserts compiled in tests/__pycache__ (ignored by git), unless
# Python is told not to write bytecode (PYTHONDONTWRITEBYTECODE, set on some machines): then every run and
# every worker parses, rewrites and compiles all of them again, about 2 s of each. This test process only.
sys.dont_write_bytecode = False


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


def needs_a_build(item: pytest.Item) -> bool:
    return bool(BUILDING_FIXTURES & set(item.fixturenames)) or item.get_closest_marker("slow") is not None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    slow = [item for item in items if needs_a_build(item)]
    if config.getoption("--quick"):
        if slow:
            config.hook.pytest_deselected(items=slow)
            items[:] = [item for item in items if item not in slow]
        # A Hypothesis test runs its many generated inputs, seconds where most tests take milliseconds: started
        # first, they end while the short tests fill both workers, instead of holding one worker after the other
        # has run out (the longest first, as a scheduler of unequal jobs does).
        items.sort(key=lambda item: not is_hypothesis_test(getattr(item, "obj", None)))
        return
    # The whole suite: the tests that need no build first, while the shared builds are made in the
    # background (_start_shared_builds); each file's tests keep their order.
    items[:] = [item for item in items if not needs_a_build(item)] + slow


def copy_inputs(target: Path) -> Path:
    """What the input check reads (data, manuscript, settings, schemas, catalogue and the check's own code), without
    what a build or Python writes among them (gigpaper.verify.NOT_SOURCES): a build running beside the test
    compiles the modules into workflow/gigpaper/__pycache__, whose half-written files would vanish mid-copy."""
    for folder in ("data/raw", "manuscript", "workflow/schemas", "workflow/gigpaper", "config"):
        shutil.copytree(ROOT / folder, target / folder, ignore=shutil.ignore_patterns(*NOT_SOURCES))
    shutil.copy(ROOT / CATALOGUE, target / CATALOGUE)
    return target


class InputsTree:
    """One copy of the inputs (copy_inputs) for every test of a test process, handed to each test as it was made:
    after a test, only what it changed is put back. Copying the 225 files for each test cost 0.05-0.1 s of its
    set-up, most of the quick tier's. Put back means byte for byte and mode for mode; what a test added (a
    file, a link, a pipe, the check's state under .snakemake/) is removed, what it removed is made again."""

    def __init__(self, root: Path) -> None:
        self.root = copy_inputs(root)
        self.folders = {Path(folder).relative_to(root): os.stat(folder).st_mode for folder, _, _ in os.walk(root)}
        self.files = {
            path.relative_to(root): (path.read_bytes(), path.stat().st_mode)
            for path in root.rglob("*")
            if path.is_file()
        }

    def restore(self) -> None:
        for folder, mode in self.folders.items():  # first, so that a folder a test made unreadable is walked
            path = self.root / folder
            if path.is_dir() and not path.is_symlink():
                path.chmod(mode)
        self._restore_folder(self.root)
        for folder in self.folders:
            (self.root / folder).mkdir(parents=True, exist_ok=True)
        for file, (content, mode) in self.files.items():
            path = self.root / file
            if not path.exists():
                path.write_bytes(content)
                path.chmod(mode)

    def _restore_folder(self, folder: Path) -> None:
        with os.scandir(folder) as entries:
            for entry in entries:
                path = Path(entry.path)
                relative = path.relative_to(self.root)
                if entry.is_dir(follow_symlinks=False):
                    if relative in self.folders:
                        self._restore_folder(path)
                    else:
                        shutil.rmtree(path)
                elif relative in self.files and entry.is_file(follow_symlinks=False):
                    content, mode = self.files[relative]
                    if entry.stat(follow_symlinks=False).st_mode != mode or path.read_bytes() != content:
                        path.unlink()  # a file a test made read-only is written again too
                        path.write_bytes(content)
                        path.chmod(mode)
                else:  # added by the test, or a file it replaced by a link, a pipe or a folder
                    path.unlink()


@pytest.fixture(scope="session")
def inputs_tree(tmp_path_factory: pytest.TempPathFactory) -> InputsTree:
    return InputsTree(tmp_path_factory.mktemp("inputs"))


@pytest.fixture
def sources(inputs_tree: InputsTree, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A copy of the project's inputs, as the working directory (the check reads paths from the root); a test
    may change anything in it."""
    monkeypatch.chdir(inputs_tree.root)
    yield inputs_tree.root
    inputs_tree.restore()


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


def once_per_run(run: Path, name: str, make: Callable[[Path], object]) -> Path:
    """`make(folder / "project")`, done once in the whole test run however many pytest-xdist workers ask for
    it: the first to ask makes it under a lock, the others wait for the lock and take what it made. Only a
    make that returned is taken; one that raised leaves the next asker to try again (and fail as loudly)."""
    folder, done = run / name, run / f"{name}.done"
    with open(run / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes, even if make raises
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            make(folder / "project")
            done.touch()
    return folder / "project"


# The clean builds tests share, each made once per run by once_per_run, one at a time (they share the cores).
SHARED_BUILDS: dict[str, Callable[[Path], object]] = {
    "built": lambda project: snakemake(copy_project(project)),
    "rebuilt": lambda project: clean_rebuild(ROOT, project, cores="2"),
}
BUILDER = ThreadPoolExecutor(1, thread_name_prefix="shared-build")
STARTED: dict[str, Future[Path]] = {}


def shared_build(factory: pytest.TempPathFactory, name: str) -> Future[Path]:
    if name not in STARTED:
        # The folder is made here, in the main thread: pytest makes it on first use, and two threads at once
        # would each make it, the second deleting what the first had put in it.
        run = factory.getbasetemp()
        if os.environ.get("PYTEST_XDIST_WORKER"):
            run = run.parent  # each worker's folder is in the run's folder, which they share
        STARTED[name] = BUILDER.submit(once_per_run, run, name, SHARED_BUILDS[name])
    return STARTED[name]


@pytest.fixture(scope="session", autouse=True)
def _start_shared_builds(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    """Start the shared builds the collected tests use as the session starts, in a thread (Snakemake runs in
    processes of its own), so that they are made while the tests that need no build run."""
    used = {name for item in request.session.items for name in item.fixturenames}
    for name in SHARED_BUILDS:
        if name in used:
            shared_build(tmp_path_factory, name)
    yield
    BUILDER.shutdown(wait=True)  # before the Snakemake servers close
    FORKS.close()


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project built from a clean copy with the README's build target (rule all)."""
    return shared_build(tmp_path_factory, "built").result()


@pytest.fixture(scope="session")
def rebuilt(built: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A second clean build of the same sources, shared by the tests of byte-identical rebuilds and of verify."""
    return shared_build(tmp_path_factory, "rebuilt").result()


@pytest.fixture
def built_copy(built: Path, tmp_path: Path) -> Path:
    """A copy of the built project, outputs and Snakemake's records included, that a test may change."""
    return Path(shutil.copytree(built, tmp_path / "built", symlinks=True))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A fresh, unbuilt copy of the project that a test may change."""
    return copy_project(tmp_path / "project")
