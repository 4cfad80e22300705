"""Call a step function from a Snakemake `script:` with the rule's named inputs, outputs and params."""

from __future__ import annotations

import inspect
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any


def run(step: Callable[..., None], smk: Any) -> None:
    """Run `step(**inputs, **outputs, **params)`; an author's error becomes one message and exit 1.

    Named files the step does not take (its own code, say) are there for Snakemake's graph only.
    """
    from gigpaper.errors import BuildError

    named = {**dict(smk.input.items()), **dict(smk.output.items()), **dict(smk.params.items())}
    accepted = inspect.signature(step).parameters
    kwargs = {name: value for name, value in named.items() if name in accepted}
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
