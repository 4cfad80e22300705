"""Call a step function from a Snakemake `script:` with the rule's named inputs, outputs and params."""

from __future__ import annotations

import inspect
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from gigpaper.errors import BuildError
from gigpaper.scheduling import without_collection_at_exit

# Named inputs there for Snakemake's graph only: a step's code (and what it imports), files a tool reads for it;
# and a param of what a step's module reads itself (gigpaper.oli, the data package's schemas), to rerun it.
GRAPH_ONLY = {"code", "depends"}


def _stop(signum: int, _frame: Any) -> None:
    # A build stopped with SIGTERM unwinds like Ctrl-C, so no temporary file is left behind.
    raise SystemExit(128 + signum)


def step_arguments(step: Callable[..., None], named: dict[str, Any], rule: str) -> dict[str, Any]:
    """The rule's named files and params as keyword arguments; a name the step does not take is an error.

    A misspelt param would otherwise be dropped in silence and the step would use its default.
    """
    accepted = inspect.signature(step).parameters
    if any(parameter.kind is parameter.VAR_KEYWORD for parameter in accepted.values()):
        return {name: value for name, value in named.items() if name not in GRAPH_ONLY}  # the step vets them
    unknown = sorted(set(named) - set(accepted) - GRAPH_ONLY)
    if unknown:
        raise TypeError(
            f"rule {rule} passes {', '.join(unknown)}, which {step.__module__}.{step.__name__} does not take "
            f"(it takes {', '.join(accepted)})"
        )
    return {name: value for name, value in named.items() if name in accepted}


def run(step: Callable[..., None], smk: Any) -> None:
    """Run `step(**inputs, **outputs, **params)`; an author's error becomes one message and exit 1."""
    signal.signal(signal.SIGTERM, _stop)
    without_collection_at_exit()
    named = {**dict(smk.input.items()), **dict(smk.output.items()), **dict(smk.params.items())}
    kwargs = step_arguments(step, named, smk.rule)
    log = Path(smk.log[0]) if smk.log else None
    if log:
        log.parent.mkdir(parents=True, exist_ok=True)
    try:
        step(**kwargs)
    except BuildError as error:
        message = f"ERROR in rule {smk.rule}: {error}"
        if log:
            log.write_text(message + "\n", encoding="utf-8")
        print(message, file=sys.stderr)
        sys.exit(1)
    if log:
        log.write_text(f"{step.__module__}.{step.__name__}: done\n", encoding="utf-8")
