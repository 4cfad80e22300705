"""Snakemake started by the project's own commands (`./paper verify`, `diff`, `preview`) on a project folder."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def start(project: Path, *args: str, cores: str = "all", **env: str) -> subprocess.Popen[str]:
    """This environment's Snakemake on `project` with `args`, its stdout and stderr in one pipe; `env` is added
    to the environment (the hash seed fixed, as every build has it)."""
    command = [str(Path(sys.executable).parent / "snakemake"), "--cores", cores, *args]
    return subprocess.Popen(
        command, cwd=project, env={**os.environ, "PYTHONHASHSEED": "0", **env}, text=True,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip


def failure(project: Path, *args: str, cores: str = "all", **env: str) -> str | None:
    """Run Snakemake on `project` (see start); None when it succeeds, else the end of what it said."""
    process = start(project, *args, cores=cores, **env)
    output, _ = process.communicate()
    if process.returncode == 0:
        return None
    said = [line for line in output.splitlines() if not line.startswith("Using workflow specific profile")]
    return "\n".join(said)[-3000:]
