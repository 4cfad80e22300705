"""Snakemake's own costs that this workflow removes: the rate limiter's exit timer, pandas imported to compare params."""

from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from conftest import ROOT

BIN = Path(sys.executable).parent

# A one-rule workflow that records, when it has succeeded, the timer threads still alive: each
# one is a thread the interpreter must wait for before the `snakemake` process can exit.
ONE_RULE = """
import threading
from gigpaper.scheduling import without_job_rate_limit

onstart:
    {onstart}

onsuccess:
    timers = [t for t in threading.enumerate() if isinstance(t, threading.Timer) and t.is_alive()]
    open("timers.txt", "w").write(" ".join(str(t.interval) for t in timers))

rule one:
    output: "out.txt"
    shell: "echo done > {{output}}"
"""


def timers_left(folder: Path, onstart: str) -> str:
    folder.mkdir()
    (folder / "Snakefile").write_text(ONE_RULE.format(onstart=onstart), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "workflow")}
    subprocess.run([str(BIN / "snakemake"), "--cores", "1", "--quiet"], cwd=folder, env=env, check=True,
                   capture_output=True, timeout=120)  # fmt: skip
    return (folder / "timers.txt").read_text(encoding="utf-8")


def test_a_build_leaves_no_timer_to_wait_for_at_exit(tmp_path: Path) -> None:
    with ThreadPoolExecutor(2) as pool:  # two independent Snakemake processes, side by side
        stock = pool.submit(timers_left, tmp_path / "stock", "pass")
        ours = pool.submit(timers_left, tmp_path / "ours", "without_job_rate_limit(workflow)")
    # Snakemake's command line as it comes: the rate limiter's one-second timer outlives the build.
    assert stock.result() == "1.0"
    # With this workflow's onstart hook, nothing is left to wait for.
    assert ours.result() == ""


def test_the_workflow_drops_the_rate_limit_before_its_first_job() -> None:
    common = (ROOT / "workflow/rules/common.smk").read_text(encoding="utf-8")
    onstart = common.split("onstart:", 1)[1].split("\n\n", 1)[0]
    assert "without_job_rate_limit(workflow)" in onstart


# Snakemake's command line in a new interpreter that writes, as it exits, which of two heavy
# libraries the run imported (argv: the record's path, then Snakemake's arguments).
RECORDING_RUN = """
import atexit, sys
record, sys.argv = sys.argv[1], ["snakemake", *sys.argv[2:]]
atexit.register(lambda: open(record, "w").write(" ".join(sorted({"pandas", "jsonschema"} & set(sys.modules)))))
from snakemake.cli import main
main()
"""

PARAM_RULE = """
from gigpaper.scheduling import params_compared_without_pandas
{patch}

rule one:
    output: "out.txt"
    params: word="{word}"
    shell: "echo {{params.word}} > {{output}}"
"""


def run_recording_imports(folder: Path, record: Path, *args: str) -> tuple[str, str]:
    """(the libraries imported, Snakemake's output) of `snakemake --cores 1 ARGS` in `folder`."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "workflow")}
    done = subprocess.run([sys.executable, "-c", RECORDING_RUN, str(record), "--cores", "1", *args], cwd=folder,
                          env=env, check=True, capture_output=True, text=True, timeout=300)  # fmt: skip
    return record.read_text(encoding="utf-8"), done.stdout + done.stderr


def param_rule_imports(folder: Path, patch: str) -> dict[str, str]:
    folder.mkdir()
    snakefile = folder / "Snakefile"
    snakefile.write_text(PARAM_RULE.format(patch=patch, word="one"), encoding="utf-8")
    record = folder.parent / f"{folder.name}.imports"
    run_recording_imports(folder, record)  # builds out.txt
    no_op, _ = run_recording_imports(folder, record, "--dry-run")
    snakefile.write_text(PARAM_RULE.format(patch=patch, word="two"), encoding="utf-8")
    _, changed = run_recording_imports(folder, record, "--dry-run")
    return {"no-op": no_op, "changed param": changed}


@pytest.mark.slow  # six Snakemake runs, left out of the edit loop's tier
def test_rule_params_are_compared_without_importing_pandas(tmp_path: Path) -> None:
    with ThreadPoolExecutor(2) as pool:
        stock = pool.submit(param_rule_imports, tmp_path / "stock", "pass")
        ours = pool.submit(param_rule_imports, tmp_path / "ours", "params_compared_without_pandas()")
    # As Snakemake comes, a no-op of a rule with params imports pandas (once Snakemake stops doing
    # so, this fails: drop params_compared_without_pandas).
    assert stock.result()["no-op"] == "pandas"
    assert ours.result()["no-op"] == ""
    # A changed param still reruns the job, as it does with Snakemake's own comparison.
    for result in (stock.result(), ours.result()):
        assert "Params have changed since last execution" in result["changed param"], result["changed param"]


def test_a_no_op_of_the_built_project_imports_neither_pandas_nor_jsonschema(built_copy: Path, tmp_path: Path) -> None:
    imported, output = run_recording_imports(built_copy, tmp_path / "imports")
    assert "Nothing to be done" in output
    assert imported == ""
