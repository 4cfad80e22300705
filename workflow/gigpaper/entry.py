"""Run one build step as its own process: `python -m gigpaper.entry RULE STEP JOB [LOG]`.

Each rule's `shell:` (`step`) starts this module with the rule's name, the step's dotted function name,
and the job's named inputs, outputs and params as one JSON object (`step_params`). A plain process
instead of Snakemake's `script:`, whose generated preamble imports Snakemake and unpickles the job
before any step code runs: about 0.25 CPU-seconds of every job.
"""

from __future__ import annotations

import inspect
import json
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from gigpaper.dotted import dotted_function
from gigpaper.errors import BuildError
from gigpaper.scheduling import without_collection_at_exit

# Named inputs there for Snakemake's graph only, which a rule does not pass to its step: the step's code (and
# what it imports), files a tool reads for it; and a param of what a step's module reads itself (gigpaper.oli,
# the data package's schemas), to rerun it.
GRAPH_ONLY = {"code", "depends"}
# The interpreter Snakemake runs in starts every step, named in the environment Snakemake hands its jobs: the
# command's text (which Snakemake compares to rerun a rule whose command changed) is the same whatever its path.
PYTHON_VARIABLE = "GIGPAPER_PYTHON"
os.environ[PYTHON_VARIABLE] = sys.executable
# Set in Snakemake's environment by collect_step_errors: the file each failed step adds its message to.
ERRORS_VARIABLE = "GIGPAPER_STEP_ERRORS"
# Set in Snakemake's environment once it was told to stop (see stop_late_steps_with_the_build): a step it starts
# afterwards, which no signal reached, stops at once instead of running to its end.
STOPPING = "GIGPAPER_BUILD_STOPPING"


def step(function: str) -> str:
    """The shell command of a rule that runs `function` (dotted) on its job's files and params. `exec`: the
    step is the job's process itself, which a signal to the build's process group reaches."""
    # Only the job's own names are formatted into the command (Snakemake's lint asks so): the interpreter
    # comes through the environment Snakemake's process hands its jobs, the rule's name through its params.
    return f'exec "${PYTHON_VARIABLE}" -P -m gigpaper.entry {{params.rule}} {function} {{params.job:q}} {{log:q}}'


def step_params(rule: str, **params: Any) -> dict[str, Any]:
    """A rule's params, its name (`rule`, for the step's messages), and `job`: its named files and params, the
    one JSON argument of its step."""
    # The params stay params of their own: Snakemake reruns a job whose params changed, comparing only the
    # params that are not computed from the job's files, as `job` is. Their values are made as Snakemake makes
    # them: a function called with the wildcards, the wildcards put into a string or a list of strings.
    from snakemake.io import apply_wildcards  # in Snakemake's process only

    def concrete(value: Any, wildcards: Any) -> Any:
        if callable(value):
            return value(wildcards)
        if isinstance(value, list):
            return [apply_wildcards(item, wildcards) if isinstance(item, str) else item for item in value]
        return apply_wildcards(value, wildcards) if isinstance(value, str) else value

    def job(wildcards: Any, input: Any, output: Any) -> str:  # Snakemake passes these by name
        values = {name: concrete(value, wildcards) for name, value in params.items()}
        named = {**dict(input.items()), **dict(output.items()), **values}
        # What is there for Snakemake's graph only is left out: a shorter command to print, on a failure too.
        return json.dumps({name: value for name, value in named.items() if name not in GRAPH_ONLY})

    return {**params, "rule": rule, "job": job}


def _stop(signum: int, _frame: Any) -> None:
    # A build stopped with SIGTERM unwinds like Ctrl-C, so no temporary file is left behind.
    raise SystemExit(128 + signum)


def stop_late_steps_with_the_build() -> None:
    """Make Ctrl-C or a SIGTERM stop Snakemake, and the steps it starts afterwards (call from `onstart`)."""
    # Snakemake's own SIGTERM handler takes its scheduler's lock, which the scheduler holds while it selects
    # jobs (the ILP solver runs then): a SIGTERM at that moment blocks the build for ever, its solver left a
    # zombie. So SIGTERM unwinds like Ctrl-C, which Snakemake handles by cancelling its jobs.
    # A build stopped as a whole (`kill -TERM -PGID`, Ctrl-C in a terminal) signals every process of its
    # group, so the running steps stop; but a job that Snakemake had handed to its thread pool and not yet
    # started gets no signal, runs to its end (an edition: seconds, a minute on a loaded machine) while
    # Snakemake waits for it. Snakemake starts a job's process with a copy of its own environment, so a mark
    # set here stops every such step at once.
    signal.signal(signal.SIGINT, _interrupt)
    signal.signal(signal.SIGTERM, _interrupt)


def collect_step_errors(record: Path) -> None:
    """Have every step this build starts add its one-line error to `record` (call from `onstart`)."""
    record.parent.mkdir(parents=True, exist_ok=True)
    record.unlink(missing_ok=True)
    os.environ[ERRORS_VARIABLE] = str(record.resolve())  # Snakemake starts each job with its own environment


def print_step_errors(record: Path) -> None:
    """Say again, below Snakemake's account of the failed jobs and their commands, why the build stopped
    (call from `onerror`, once the last good build's outputs are back)."""
    said = list(dict.fromkeys(record.read_text(encoding="utf-8").splitlines())) if record.is_file() else []
    if said:  # the same cause stops every edition alike: said once
        ending = "The outputs of the last good build are unchanged."
        print("\nThe build stopped:", *said, ending, sep="\n", file=sys.stderr)


def _interrupt(_signum: int, _frame: Any) -> None:
    os.environ[STOPPING] = "1"
    raise KeyboardInterrupt


def run(step: Callable[..., None], rule: str, named: dict[str, Any], log: Path | None) -> None:
    """Run `step(**named)`; an author's error becomes one message and exit 1."""
    accepted = inspect.signature(step).parameters
    vetted = any(parameter.kind is parameter.VAR_KEYWORD for parameter in accepted.values())  # by the step
    # A misspelt param would otherwise be dropped in silence, or fail without naming the rule.
    if unknown := [] if vetted else sorted(set(named) - set(accepted)):
        raise TypeError(
            f"rule {rule} passes {', '.join(unknown)}, which {step.__module__}.{step.__name__} does not take "
            f"(it takes {', '.join(accepted)})"
        )
    try:
        step(**named)
    except BuildError as error:
        message = f"ERROR in rule {rule}: {error}"
        if log:
            log.write_text(message + "\n", encoding="utf-8")
        if record := os.environ.get(ERRORS_VARIABLE):
            with open(record, "a", encoding="utf-8") as handle:  # one short line: steps side by side do not mix
                handle.write(message + "\n")
        else:  # in a build, print_step_errors says it once, when the build has stopped, below Snakemake's report
            print(message, file=sys.stderr)
        sys.exit(1)
    if log:
        log.write_text(f"{step.__module__}.{step.__name__}: done\n", encoding="utf-8")


def stop_when_the_build_is_gone() -> None:
    """Stop the step (as SIGTERM does: it unwinds, no temporary file is left) once the process that started it is
    gone. A Snakemake killed outright (SIGKILL: the OOM killer, `kill -9`) signals no step; its steps ran on and
    wrote their outputs after the build had ended, beside the next build."""
    build = os.getppid()

    def watch() -> None:
        while os.getppid() == build:  # an orphan's parent becomes init (or a subreaper)
            time.sleep(0.2)
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=watch, name="stop-when-the-build-is-gone", daemon=True).start()


def main(argv: list[str]) -> None:
    signal.signal(signal.SIGTERM, _stop)
    stop_when_the_build_is_gone()
    if os.environ.get(STOPPING):
        raise SystemExit(128 + signal.SIGTERM)
    without_collection_at_exit()
    rule, dotted, job, *log = argv
    run(dotted_function(dotted), rule, json.loads(job), Path(log[0]) if log and log[0] else None)


if __name__ == "__main__":
    main(sys.argv[1:])
