"""How a rule's step runs (gigpaper.entry): its own light process, one message for an author's error, a
clean stop on SIGTERM, and no step left running once the build was told to stop."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT
from gigpaper.entry import ERRORS_VARIABLE, STOPPING, collect_step_errors, print_step_errors

BIN = Path(sys.executable).parent

# Steps as the rules' modules write them, in a module of the test's own.
STEPS = """
import sys, time
from pathlib import Path
from gigpaper.atomic import atomic_path
from gigpaper.errors import BuildError

def fails(out):
    raise BuildError("data/raw/x.csv, row 2, column 'share_pct': found 'ten'; expected a number")

def writes(out, word="done"):
    heavy = sorted({m.split(".")[0] for m in sys.modules} & {"snakemake", "pandas", "numpy"})
    Path(out).write_text(f"{word} {heavy}", encoding="utf-8")

def sleeps(out, seconds):
    with atomic_path(out, record=False) as tmp:
        tmp.write_text("half", encoding="utf-8")
        Path(out).with_name("started").touch()
        time.sleep(seconds)
"""


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "steps.py").write_text(STEPS, encoding="utf-8")
    return tmp_path


def environment(folder: Path, **extra: str) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(folder), str(ROOT / "workflow")]), **extra}


def start(folder: Path, function: str, params: dict, **env: str) -> subprocess.Popen[str]:
    """The process a rule's `shell: step(...)` starts, for rule `demo` with output `out` and a log."""
    (folder / "logs").mkdir(exist_ok=True)  # as Snakemake makes a job's log folder
    job = json.dumps({"out": str(folder / "out.txt"), **params})
    return subprocess.Popen(
        [sys.executable, "-P", "-m", "gigpaper.entry", "demo", function, job, str(folder / "logs/demo.log")],
        cwd=folder, env=environment(folder, **env), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def test_a_step_runs_without_snakemake_or_pandas_and_logs_that_it_is_done(folder):
    process = start(folder, "steps.writes", {"word": "written"})
    assert process.communicate(timeout=60) == ("", "") and process.returncode == 0
    assert (folder / "out.txt").read_text(encoding="utf-8") == "written []"
    assert (folder / "logs/demo.log").read_text(encoding="utf-8") == "steps.writes: done\n"


def test_an_authors_error_is_one_line_naming_the_rule_and_exit_1(folder):
    process = start(folder, "steps.fails", {})
    _, stderr = process.communicate(timeout=60)
    message = "ERROR in rule demo: data/raw/x.csv, row 2, column 'share_pct': found 'ten'; expected a number\n"
    assert process.returncode == 1 and stderr == message
    assert (folder / "logs/demo.log").read_text(encoding="utf-8") == message


def test_the_build_says_again_why_its_steps_failed_once_it_stopped_and_only_for_this_build(folder, capsys, monkeypatch):
    record = folder / ".snakemake/gigpaper/step-errors.txt"
    monkeypatch.setenv(ERRORS_VARIABLE, "")  # collect_step_errors sets it: put back after the test
    collect_step_errors(record)  # onstart; the environment every step of the build starts with
    for _ in range(2):  # two editions failing alike, each saying nothing itself: the build says it once, below
        process = start(folder, "steps.fails", {})
        assert process.communicate(timeout=60) == ("", "") and process.returncode == 1
    assert start(folder, "steps.writes", {}).wait(timeout=60) == 0
    print_step_errors(record)  # onerror
    said = "ERROR in rule demo: data/raw/x.csv, row 2, column 'share_pct': found 'ten'; expected a number"
    assert (
        capsys.readouterr().err == f"\nThe build stopped:\n{said}\nThe outputs of the last good build are unchanged.\n"
    )
    collect_step_errors(record)  # the next build
    print_step_errors(record)
    assert capsys.readouterr().err == ""


def test_a_param_the_step_does_not_take_is_an_error_naming_the_rule(folder):
    process = start(folder, "steps.writes", {"wrod": "typo"})
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 1
    assert "rule demo passes wrod, which steps.writes does not take (it takes out, word)" in stderr
    assert not (folder / "out.txt").exists()


def test_sigterm_unwinds_the_step_and_leaves_no_temporary_file(folder):
    process = start(folder, "steps.sleeps", {"seconds": 60})
    deadline = time.monotonic() + 60
    while not (folder / "started").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    process.send_signal(signal.SIGTERM)
    process.communicate(timeout=30)
    assert process.returncode == 128 + signal.SIGTERM
    assert not (folder / "out.txt").exists() and not list(folder.glob(".out*")), sorted(folder.iterdir())


# A stand-in for Snakemake: starts a step (argv: its command), says the step's pid, and waits for it.
PARENT = """
import subprocess, sys
step = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL)  # not the pipe the test reads
print(step.pid, flush=True)
step.wait()
"""


def running(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0] != "Z"  # an unreaped zombie has ended
    except (FileNotFoundError, IndexError):
        return False


def test_a_step_whose_build_was_killed_outright_stops_and_leaves_no_temporary_file(folder):
    """SIGKILL reaches Snakemake's process alone (the OOM killer, `kill -9 PID`): its steps get no signal. They ran
    on, and wrote their outputs after the build had ended, beside the next build. A step stops once its build is gone."""
    (folder / "logs").mkdir()
    job = json.dumps({"out": str(folder / "out.txt"), "seconds": 60})
    step = [sys.executable, "-P", "-m", "gigpaper.entry", "demo", "steps.sleeps", job, str(folder / "logs/demo.log")]
    build = subprocess.Popen([sys.executable, "-c", PARENT, *step], cwd=folder, env=environment(folder),
                             stdout=subprocess.PIPE, text=True)  # fmt: skip
    pid = int(build.stdout.readline())
    deadline = time.monotonic() + 60
    while not (folder / "started").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    build.kill()
    build.wait()
    build.stdout.close()
    deadline = time.monotonic() + 10
    while running(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    stopped = not running(pid)
    if not stopped:
        os.kill(pid, signal.SIGKILL)
    assert stopped, "the step still runs 10 s after its build was killed"
    assert not (folder / "out.txt").exists() and not list(folder.glob(".out*")), sorted(folder.iterdir())


def test_a_step_started_after_the_build_was_told_to_stop_does_not_run(folder):
    process = start(folder, "steps.writes", {}, **{STOPPING: "1"})
    process.communicate(timeout=60)
    assert process.returncode == 128 + signal.SIGTERM and not (folder / "out.txt").exists()


# A one-rule workflow on a loaded machine: the job's process starts 2 s after Snakemake handed the job to its
# thread pool, so a signal to the build's process group sent meanwhile reaches no step process.
LATE_START = """
import time
import snakemake.executors.local as local
from gigpaper.entry import step, step_params, stop_late_steps_with_the_build


def slowly(*args, **kwargs):
    time.sleep(2)
    return run_wrapper(*args, **kwargs)


run_wrapper, local.run_wrapper = local.run_wrapper, slowly

onstart:
    {onstart}

rule one:
    output: out="out.txt"
    log: "logs/one.log"
    params: **step_params("one", seconds=40)
    shell: step("steps.sleeps")
"""


@pytest.mark.slow  # a Snakemake run each, left out of the edit loop's tier
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_a_step_snakemake_starts_after_the_build_was_stopped_stops_at_once(folder, sig):
    (folder / "Snakefile").write_text(LATE_START.format(onstart="stop_late_steps_with_the_build()"), encoding="utf-8")
    build = subprocess.Popen([str(BIN / "snakemake"), "--cores", "1"], cwd=folder, env=environment(folder),
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)  # fmt: skip
    deadline = time.monotonic() + 60
    while not (folder / "logs").exists() and time.monotonic() < deadline:  # Snakemake has taken the job
        time.sleep(0.05)
    os.killpg(build.pid, sig)
    began = time.monotonic()
    try:
        _, stderr = build.communicate(timeout=25)  # the step would sleep 40 s
    except subprocess.TimeoutExpired:
        os.killpg(build.pid, signal.SIGKILL)
        build.communicate()
        pytest.fail(f"the build still ran 25 s after {sig.name}: its late step was not stopped")
    assert build.returncode != 0 and time.monotonic() - began < 25
    assert not (folder / "started").exists() and not (folder / "out.txt").exists(), stderr[-2000:]


# A one-rule workflow whose scheduler takes 3 s to select its jobs (as the ILP solver may on a loaded machine),
# holding its lock meanwhile; it marks when it begins.
SLOW_SELECTION = """
import time
from pathlib import Path
from gigpaper.entry import step, step_params, stop_late_steps_with_the_build

onstart:
    stop_late_steps_with_the_build()
    select = workflow.scheduler._job_selector

    def slowly(*args, **kwargs):
        Path("selecting").touch()
        time.sleep(3)
        return select(*args, **kwargs)

    workflow.scheduler._job_selector = slowly

rule one:
    output: out="out.txt"
    log: "logs/one.log"
    params: **step_params("one", word="done")
    shell: step("steps.writes")
"""


@pytest.mark.slow  # a Snakemake run, left out of the edit loop's tier
def test_a_sigterm_while_snakemake_selects_jobs_stops_the_build(folder):
    (folder / "Snakefile").write_text(SLOW_SELECTION, encoding="utf-8")
    build = subprocess.Popen([str(BIN / "snakemake"), "--cores", "1"], cwd=folder, env=environment(folder),
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)  # fmt: skip
    deadline = time.monotonic() + 60
    while not (folder / "selecting").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    os.killpg(build.pid, signal.SIGTERM)
    try:
        build.communicate(timeout=25)
    except subprocess.TimeoutExpired:
        os.killpg(build.pid, signal.SIGKILL)
        build.communicate()
        pytest.fail("the build still ran 25 s after SIGTERM, which reached it while it selected jobs")
    assert build.returncode != 0 and not (folder / "out.txt").exists()


@pytest.mark.slow  # two Snakemake runs, left out of the edit loop's tier
def test_reading_the_workflow_compiles_the_modules_every_step_then_loads_compiled(project):
    # As on a machine told not to write bytecode: each step, a new process, would compile what it imports.
    env = {**os.environ, "PYTHONPATH": str(project / "workflow"), "PYTHONDONTWRITEBYTECODE": "1"}

    def list_rules() -> None:
        subprocess.run([BIN / "snakemake", "--list-rules"], cwd=project, env=env, check=True, capture_output=True)

    def loaded_from_source(module: str) -> list[str]:
        # `python -v` says "code object from" a module's .pyc when it loads the compiled code.
        verbose = subprocess.run(
            [sys.executable, "-v", "-c", f"import {module}"], cwd=project, env=env, capture_output=True, text=True,
            check=True,
        ).stderr  # fmt: skip
        imported = re.findall(r"^import 'gigpaper\.?(\w*)'", verbose, re.M)  # "" for the package itself
        compiled = set(re.findall(r"^# code object from '.*/gigpaper/__pycache__/(\w+)\.cpython", verbose, re.M))
        return sorted(name for name in imported if (name or "__init__") not in compiled)

    list_rules()
    assert loaded_from_source("gigpaper.ledger") == []
    ledger = project / "workflow/gigpaper/ledger.py"
    ledger.write_text(ledger.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    assert loaded_from_source("gigpaper.ledger") == ["ledger"]  # the edit is seen: not the old code
    list_rules()
    assert loaded_from_source("gigpaper.ledger") == []
