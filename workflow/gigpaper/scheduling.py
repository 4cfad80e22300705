"""How this workflow's processes run on one machine: Snakemake's job scheduling and params, and every process's exit."""

from __future__ import annotations

import atexit
import functools
import gc
import sys
from typing import Any


def without_job_rate_limit(workflow: Any) -> None:
    """Drop the command line's job rate limit for a local build (call from `onstart`).

    `snakemake` on the command line always limits job starts (--max-jobs-per-timespan, default
    100/1s), a guard for cluster schedulers. After each scheduling round the limiter re-arms a
    `threading.Timer` of the whole timespan to look again; the timer is not a daemon thread, so
    Python waits for the last one before the process exits: every build that ran a job ended
    about a second after its last job. A local build needs no rate limit (Snakemake's Python API
    runs without one by default). A profile cannot say "no limit": the option takes whole units
    only, and "10ms" is read as 10 minutes (its pattern tries "m" before "ms"), which is why
    `1000/10ms` hung for 13 minutes. So the limiter is dropped here, before the first round.
    """
    scheduler = workflow.scheduler
    if workflow.local_exec and scheduler.job_rate_limiter is not None:
        scheduler.job_rate_limiter = None


def without_collection_at_exit() -> None:
    """Freeze the heap when the process exits (called as the Snakefile is read, and by gigpaper.entry in each step's process).

    Python's finalization runs full garbage collections over all that a process holds: in Snakemake's
    process (the DAG, Snakemake's modules and ours, some 140,000 objects) 0.4 CPU-seconds after its last
    line, in every build, a no-op too; 0.03-0.08 in a step's. Frozen objects are left out of those
    collections. Nothing is lost: the memory goes back with the process, and every file a process
    writes is closed before (Snakemake's log by logging's own exit hook). Registered once, however
    many times a process reads the workflow.
    """
    atexit.unregister(gc.freeze)
    atexit.register(gc.freeze)


def params_compared_without_pandas() -> None:
    """Let Snakemake compare rule params with the last run's without importing pandas (call at parse).

    To see whether a job's params changed, Snakemake serialises each one, and where pandas is
    installed it first imports pandas only to ask whether the value is a DataFrame
    (`PersistenceBase._serialize_param`): 0.4-0.5 s of every run, a no-op included, in a workflow
    whose rules have params. A value can be a pandas object only if pandas is already loaded, so
    the question goes to `sys.modules` instead: the serialised text, and so every rerun decision,
    stay the same.
    """
    from snakemake.persistence import PersistenceBase

    if not hasattr(PersistenceBase, "_serialize_param_pandas"):  # another Snakemake: leave it be
        return

    def serialize(persistence: Any, value: Any) -> Any:
        if "pandas" in sys.modules:
            return persistence._serialize_param_pandas(value)
        return persistence._serialize_param_builtin(value)

    PersistenceBase._serialize_param = property(lambda persistence: functools.partial(serialize, persistence))
