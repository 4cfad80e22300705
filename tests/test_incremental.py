"""Rebuild only what changed, and everything that did: code, bibliography, labels, build settings.

Each case edits a copy of the built project and reads from a dry run which rules would run and why.
"""

from __future__ import annotations

import itertools
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, snakemake
from gigpaper import catalogue
from gigpaper.checks import check_project
from gigpaper.errors import BuildError
from gigpaper.imports import imported_modules

MODULES = sorted(p.name for p in (ROOT / "workflow/gigpaper").glob("*.py"))


def rule_steps() -> dict[str, str]:
    """The step function each rule runs, as its `shell:` names it in workflow/rules/*.smk."""
    steps = {}
    for path in sorted((ROOT / "workflow/rules").glob("*.smk")):
        for block in re.split(r"(?m)^(?=rule )", path.read_text(encoding="utf-8")):
            if found := re.match(r'rule (\w+):(?s:.*)\n    shell:\n        step\("([\w.]+)"\)', block):
                steps[found.group(1)] = found.group(2)
    return steps


STEPS = rule_steps()


def planned(project: Path, *args: str) -> list[tuple[str, str]]:
    """(rule, reason) of every job a dry run plans."""
    output = snakemake(project, "--dry-run", *args).stdout
    jobs = re.findall(r"^(?:local)?rule (\w+):\n((?: {4}.*\n?)*)", output, re.M)
    return [(rule, re.search(r"reason: (.*)", body).group(1) if "reason:" in body else "") for rule, body in jobs]


def modules_loaded_by(step: str) -> set[str]:
    """The project modules a rule's job loads, found by loading its step as gigpaper.entry does (not by reading
    their source)."""
    code = (
        "import sys\n"
        "from gigpaper.entry import dotted_function\n"
        f"dotted_function({step!r})\n"
        "print(' '.join(m.partition('.')[2] + '.py' if '.' in m else '__init__.py' for m in sys.modules"
        " if m.split('.')[0] == 'gigpaper'))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    return set(result.stdout.split())


@pytest.fixture(scope="module")
def imports() -> dict[str, set[str]]:
    with ThreadPoolExecutor(2) as pool:
        return dict(zip(STEPS, pool.map(modules_loaded_by, STEPS.values()), strict=True))


def test_editing_a_module_reruns_exactly_the_rules_that_import_it(built_copy, imports):
    # The input check is a step too (rule check_inputs): editing a module it runs reruns it.
    checked_by = {Path(path).name for path in imported_modules(Path("workflow/gigpaper/checks.py"))}
    # render_edition loads the function that finishes a format by the name the catalogue gives it.
    finishers = {catalogue.module_file(fmt.finish).name for fmt in catalogue.formats().values() if fmt.finish}

    def importers(module: str) -> set[str]:
        expected = {rule for rule, modules in imports.items() if module in modules}
        expected |= {"check_inputs"} if module in checked_by else set()
        return expected | ({"render_edition"} if module in finishers else set())

    # Which rules a module's edit reruns: the jobs that have it among their inputs, all listed by one plan.
    plan = snakemake(built_copy, "--dry-run", "--forceall").stdout
    jobs = re.findall(r"^(?:local)?rule (\w+):\n {4}input: (.*)$", plan, re.M)
    for module in MODULES:
        having = {rule for rule, inputs in jobs if f"workflow/gigpaper/{module}" in inputs.split(", ")}
        assert having == importers(module), module
    assert "validate_source" in importers("datapackage.py") and "render_tables" in importers("templating.py")

    # And an edit reruns them: a module the figures, tables and text import; one the input check runs; the last step's.
    for module in ("numbers.py", "checks.py", "review.py"):
        # Snakemake 9 ignores a newer time stamp when the bytes are the same, so the edit is a real one.
        path = built_copy / "workflow/gigpaper" / module
        original = path.read_bytes()
        path.write_bytes(original + b"# edited\n")
        rerun = planned(built_copy)
        path.write_bytes(original)
        # A job downstream of another rerun job gives that as its reason, so the module's own mark is on the jobs
        # it reruns first; every job of an importing rule must be planned all the same.
        because_of_it = {rule for rule, reason in rerun if f"workflow/gigpaper/{module}" in reason}
        assert importers(module) <= {rule for rule, _ in rerun}, module
        assert because_of_it and because_of_it <= importers(module), module


def test_a_bibliography_edit_reruns_no_figure_and_no_data_step(built_copy):
    bibliography = built_copy / "manuscript/bibliography.yaml"
    bibliography.write_text(
        bibliography.read_text(encoding="utf-8").replace("publisher: Polity", "publisher: Polity Press"),
        encoding="utf-8",
    )
    jobs = planned(built_copy)
    rules = {rule for rule, _ in jobs}
    assert "make_bibliography" in rules and "render_edition" in rules
    assert not rules & {"plot_figure", "validate_source", "build_number_registry", "render_tables"}, rules
    # The published edition's Markdown alone: whether it still cites as the published article does.
    assert [rule for rule, _ in jobs].count("render_markdown") == 1, jobs


def test_a_clean_build_starts_the_figures_and_their_tables_checks_before_any_other_job(project):
    """The figures are the longest jobs of a clean build and every edition waits for them: they and the checks of
    their tables go before any other job that is ready, and the text and the checks are made beside them. (Snakemake
    otherwise starts the ready jobs with the largest inputs first: the text waited for the last figure, a core idle.)"""
    plan = snakemake(project, "--dry-run").stdout
    jobs = re.findall(r"^(?:local)?rule (\w+):\n((?: {4}.*\n?)*)", plan, re.M)
    priority = {
        (rule, *re.findall(r"wildcards: \w+=(\w+)", body)): int(*re.findall(r"priority: (\d+)", body) or [0])
        for rule, body in jobs
    }
    first = {job for job, value in priority.items() if value == max(priority.values())}
    figures = catalogue.FIGURES.values()
    assert first == {("plot_figure", figure.name) for figure in figures} | {
        ("validate_source", figure.source) for figure in figures
    }


def test_a_figure_drawn_again_renders_the_formats_again_not_the_markdown(built_copy):
    """The Markdown names the figures' files and reads none: it and the checks that read it do not wait for a
    figure, so in a build the text is written while the figures are drawn."""
    (built_copy / "figures/figure1.kk.svg").unlink()
    rules = {rule for rule, _ in planned(built_copy)}
    assert {"plot_figure", "render_edition"} <= rules, rules
    assert not rules & {"render_markdown", "check_as_published", "build_claims_ledger", "check_edition_parity"}, rules


def test_a_caption_edit_redraws_no_chart_and_a_drawn_label_edit_redraws_its_figure_and_the_reviewers_chart(built_copy):
    """The reviewer's chart of the OLI data draws Figure 1's labels in the review language: like the figures, it is
    drawn again when one of those changes, not when a caption the manuscript prints does."""
    labels = built_copy / f"manuscript/labels/{catalogue.REVIEW_LANG}.yaml"
    text = labels.read_text(encoding="utf-8")
    for key, redrawn in (("caption", set()), ("countries_title", {"plot_figure", "plot_oli_worker_shares"})):
        value = rf'(\n  {catalogue.OLI_FIGURE}:\n(?:    .*\n)*?    {key}: )("?)(.*?)\2\n'  # quoted or not
        edited = re.sub(value, r"\1\2\3 (edited)\2\n", text, count=1)
        assert edited != text, key
        labels.write_text(edited, encoding="utf-8")
        rules = {rule for rule, _ in planned(built_copy)}
        assert rules & {"plot_figure", "plot_oli_worker_shares"} == redrawn, (key, rules)
    labels.write_text(text, encoding="utf-8")


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_a_label_edit_reruns_only_its_edition(built_copy, lang):
    labels = built_copy / f"manuscript/labels/{lang}.yaml"
    text = labels.read_text(encoding="utf-8")
    labels.write_text(re.sub(r"(\n  figure2:\n    caption: )(.*)", r"\1\2 (edited)", text, count=1), encoding="utf-8")
    outputs = " ".join(re.findall(r"^ {4}output: (.*)", snakemake(built_copy, "--dry-run").stdout, re.M))
    rebuilt = set(re.findall(r"(?:figures|manuscript/build)/[\w/]+\.(kk|ru|en)\.\w+", outputs))
    assert rebuilt == {lang}, rebuilt


def valid_settings() -> list[dict[str, list[str]]]:
    languages = [list(c) for n in (1, 2, 3) for c in itertools.combinations(("kk", "ru", "en"), n)]
    return [{"languages": built, "editions": list(e)} for built in languages for n in range(1, len(built) + 1)
            for e in itertools.combinations(built, n)]  # fmt: skip


def test_every_edition_setting_the_schema_accepts_plans_a_build(built, tmp_path):
    """Every languages/editions pair with its editions among its languages: a dry run plans it without error."""
    project = Path(shutil.copytree(built, tmp_path / "settings", symlinks=True))
    (project / "config/config.yaml").unlink()  # settings come from each --config below, defaults from the schema

    def plan(setting: dict[str, list[str]]) -> tuple[str, int, str]:
        args = [f"languages=[{','.join(setting['languages'])}]", f"editions=[{','.join(setting['editions'])}]"]
        result = snakemake(project, "--dry-run", "--forceall", "--configfile", str(built / "config/config.yaml"),
                           "--config", *args, check=False)  # fmt: skip
        return str(setting), result.returncode, result.stdout + result.stderr

    settings = valid_settings()
    assert len(settings) == 19
    with ThreadPoolExecutor(2) as pool:
        for setting, code, output in pool.map(plan, settings):
            assert code == 0, f"{setting}: {output[-2000:]}"
            editions = eval(setting)["editions"]  # noqa: S307 - our own repr
            planned_editions = set(re.findall(r"manuscript/build/paper\.(\w\w)\.pdf", output))
            assert planned_editions == set(editions), (setting, planned_editions)


def test_a_setting_with_an_edition_outside_its_languages_is_refused_with_a_message():
    config = yaml.safe_load((ROOT / "config/config.yaml").read_text(encoding="utf-8"))
    for languages in (["kk"], ["ru", "en"], ["kk", "ru"]):
        for edition in {"kk", "ru", "en"} - set(languages):
            with pytest.raises(BuildError, match=rf"key 'editions': found {edition}, which 'languages' .* lacks"):
                check_project({**config, "languages": languages, "editions": [*languages, edition]})


def test_the_kazakh_edition_alone_builds(project):
    """An author proofreading the published text builds its edition only."""
    result = snakemake(project, "--config", "languages=[kk]", "editions=[kk]")
    assert result.returncode == 0
    built = {p.name for p in (project / "manuscript/build").glob("paper.*")}
    formats = yaml.safe_load((project / "config/config.yaml").read_text(encoding="utf-8"))["formats"]
    assert built == {"paper.kk.md", *(f"paper.kk.{fmt}" for fmt in formats)}
    assert not list((project / "figures").glob("*.en.*")) and not list((project / "figures").glob("*.ru.*"))
    assert (project / "manuscript/build/review.html").exists()


def test_a_format_dropped_from_the_settings_leaves_no_stale_file_of_it(built_copy):
    """The author stops making the DOCX (`formats` without docx in config/config.yaml). Before, the last build's
    DOCX files stayed in manuscript/build beside the current editions, stale after the next edit, and ./paper verify
    failed on them ('the clean rebuild does not make it ... delete it and run ./paper build (it is made again')."""
    from gigpaper.manifest import read_manifest, written_files

    project = built_copy
    assert (project / "manuscript/build/paper.kk.docx").exists()
    snakemake(project, "--config", "formats=[html]")  # a run of other settings given on the command line keeps them
    assert all((project / f"manuscript/build/paper.kk.{fmt}").exists() for fmt in ("docx", "pdf"))
    config = project / "config/config.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("[html, pdf, docx, xml]", "[html, pdf, xml]"), "utf-8")
    result = snakemake(project)
    gone = ["manuscript/build/paper.en.docx", "manuscript/build/paper.kk.docx", "manuscript/build/paper.ru.docx",
            "manuscript/build/reference.docx"]  # fmt: skip
    assert [line for line in result.stderr.splitlines() if line.startswith("removed ")] == [
        f"removed {path}: the build no longer makes it (config/config.yaml, workflow/catalogue.yaml)" for path in gone
    ], result.stderr[-3000:]
    assert not any((project / path).exists() for path in gone)
    listed = read_manifest(project / "manuscript/build/SHA256SUMS")
    assert sorted(written_files(project)) == sorted([*listed, "manuscript/build/SHA256SUMS"])
    assert "Nothing to be done" in snakemake(project).stderr
