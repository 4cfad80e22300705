"""A build ends when its last job ends: no timer of Snakemake's job rate limit keeps it alive."""

from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

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
