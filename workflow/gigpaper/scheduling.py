"""How Snakemake schedules this workflow's jobs on one machine."""

from __future__ import annotations

import functools
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
