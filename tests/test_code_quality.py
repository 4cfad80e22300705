"""The code and the workflow pass their linters: ruff, snakefmt and Snakemake's own lint."""

from __future__ import annotations

import re
import subprocess

from conftest import BIN, ROOT


def run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True)


def test_python_code_passes_ruff():
    for check in (["check"], ["format", "--check"]):
        result = run(str(BIN / "ruff"), *check, "workflow", "tests", "benchmark")
        assert result.returncode == 0, result.stdout + result.stderr


def test_rules_files_are_formatted():
    result = run(str(BIN / "snakefmt"), "--check", "Snakefile", "workflow/rules")
    assert result.returncode == 0, result.stdout + result.stderr


def test_snakemake_lint_has_no_complaints_but_the_conda_advice():
    """pip is the one way to install (README): the lint's advice to give each rule a conda environment is declined."""
    result = run(str(BIN / "snakemake"), "--lint")
    output = result.stdout + result.stderr
    titles = re.findall(r"^\s+\* (.+?):?$", output, re.M)
    complaints = [t for t in titles if not t.startswith("Specify a conda environment or container")]
    assert titles or "Congratulations" in output, output
    assert not complaints, output
