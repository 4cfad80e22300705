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


MODULES = sorted((ROOT / "workflow").rglob("*.py"))


def test_no_module_is_over_400_lines():
    """A module that long does several jobs (issue 16): split it by job."""
    long = {str(path.relative_to(ROOT)): n for path in MODULES if (n := len(path.read_text().splitlines())) > 400}
    assert not long, long


def test_the_project_modules_import_one_way():
    """No import cycle among gigpaper's modules, counting imports inside functions too."""
    from gigpaper.imports import PACKAGE_DIR, _direct_imports

    graph = {path.stem: _direct_imports(path) for path in (ROOT / PACKAGE_DIR).glob("*.py")}
    assert graph and any(graph.values())
    done: set[str] = set()

    def visit(module: str, path: tuple[str, ...]) -> None:
        assert module not in path, "import cycle: " + " -> ".join([*path[path.index(module) :], module])
        if module not in done:
            for imported in graph.get(module, ()):
                visit(imported, (*path, module))
            done.add(module)

    for module in graph:
        visit(module, ())


def test_each_rule_gives_its_step_its_own_name():
    """A step's messages name its rule ("ERROR in rule render_edition: ..."): the name a rule passes is its own."""
    for path in sorted((ROOT / "workflow/rules").glob("*.smk")):
        for name, body in re.findall(r"^rule (\w+):\n(.*?)(?=^\S|\Z)", path.read_text(encoding="utf-8"), re.M | re.S):
            passed = re.findall(r'step_params\(\s*"(\w+)"', body)
            assert passed in ([], [name]), f"{path.name}: rule {name} passes {passed}"
            assert ("step(" in body) == bool(passed), f"{path.name}: rule {name} runs a step without its name"
