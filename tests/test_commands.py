"""Every `./paper` command, run as a user runs it, in a built copy of the project.

The README's first command is `./paper build`; every other command must work after it alone, so each
runs here through the `paper` script itself (with the test environment as its .venv). `verify` and
`benchmark` rebuild the project several times over; their command lines are run up to the point
where that work starts (`--help`, and verify's refusal without a build), the rebuild itself is
tested in tests/test_review.py.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

VENV = str(Path(sys.executable).parents[1])


def paper(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "GIGPAPER_VENV": VENV, "PYTHONHASHSEED": "0"}
    return subprocess.run(
        [str(project / "paper"), *args], cwd=project, env=env, capture_output=True, text=True, timeout=600
    )


def test_build_has_nothing_to_do_after_a_build(built_copy):
    result = paper(built_copy, "build", "--dry-run")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Nothing to be done" in result.stdout + result.stderr


def test_a_build_with_nothing_to_rerun_still_says_the_stale_translations(built_copy):
    """The author reworded a kk sentence and built: two stale translations were named. The next day's ./paper build,
    with nothing to rerun, said only 'Nothing to be done', as if they were up to date (Snakemake runs no hook then)."""
    kk = built_copy / "manuscript/text/kk/04.results.md"
    kk.write_text(kk.read_text(encoding="utf-8").replace("түйінді нәтижелер", "негізгі нәтижелер"), encoding="utf-8")
    stale = [paper(built_copy, "build").stderr]
    stale.append(paper(built_copy, "build").stderr)
    assert "Nothing to be done" in stale[1]
    assert [[line for line in said.splitlines() if line.startswith(("stale", "published line"))] for said in stale] == [
        [
            f"stale translation: manuscript/text/{lang}/04.results.md:3 translates manuscript/text/kk/04.results.md:3, "
            "which changed since"
            for lang in ("ru", "en")
        ]
        + [line for line in stale[0].splitlines() if line.startswith("published line 260 ")]
    ] * 2, stale[1][-2000:]


def test_build_takes_no_snakemake_profile_of_the_users(built_copy, tmp_path):
    """A Snakemake user's own profile (SNAKEMAKE_PROFILE: a cluster's executor, a dry run, other rerun triggers, other
    settings) is no part of this build: `./paper build` builds what the project's files say, as on any machine."""
    profile = tmp_path / "profile"
    profile.mkdir()
    (profile / "config.yaml").write_text("dry-run: true\n", encoding="utf-8")
    section = built_copy / "manuscript/text/kk/04.results.md"
    section.write_text(section.read_text(encoding="utf-8").replace("түйінді", "негізгі", 1), encoding="utf-8")
    result = subprocess.run(
        [str(built_copy / "paper"), "build"], cwd=built_copy, capture_output=True, text=True, timeout=600,
        env={**os.environ, "GIGPAPER_VENV": VENV, "PYTHONHASHSEED": "0", "SNAKEMAKE_PROFILE": str(profile)},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    assert "мынадай негізгі нәтижелер" in (built_copy / "manuscript/build/paper.kk.md").read_text(encoding="utf-8")


def test_report_writes_snakemakes_provenance_report(built_copy):
    result = paper(built_copy, "report")
    assert result.returncode == 0, result.stderr[-3000:]
    report = built_copy / "manuscript/build/snakemake-report.html"
    assert report.stat().st_size > 10_000
    assert "render_edition" in report.read_text(encoding="utf-8", errors="replace")


def test_report_refuses_before_a_build_and_explains_itself(project):
    """It was Snakemake's traceback (FileNotFoundError: manuscript/build/snakemake-report.html)."""
    result = paper(project, "report")
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr[-3000:]
    assert result.stderr.strip().splitlines()[-1] == (
        "manuscript/build/SHA256SUMS does not exist yet: run ./paper build first."
    )


def test_where_answers_a_printed_number(built_copy):
    result = paper(built_copy, "where", "40%")
    assert result.returncode == 0, result.stderr
    assert "registry_id: ppmi_clerical_data_entry_women" in result.stdout


def test_verify_refuses_before_a_build_and_explains_itself(project):
    result = paper(project, "verify")
    assert result.returncode == 1
    assert "does not exist yet: run ./paper build first." in result.stderr
    helped = paper(project, "verify", "--help")
    assert helped.returncode == 0 and "--manifest" in helped.stdout


def test_benchmark_explains_itself(project):
    result = paper(project, "benchmark", "--help")
    assert result.returncode == 0, result.stderr
    assert "--base" in result.stdout


def test_test_sets_up_and_collects_the_suite(project):
    # Collecting (not running) the suite shows that `./paper test` sets up and reaches pytest.
    result = paper(project, "test", "--collect-only", "-q", "tests/test_code_quality.py")
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert "test_code_quality.py::" in result.stdout


def test_the_quick_tier_runs_on_every_core(project, tmp_path):
    # Its own --basetemp: else the inner run, as any pytest run does, deletes the oldest of the user's pytest-<N>
    # folders, seconds of each run on a machine that has run the suite before.
    args = ["--quick", "--basetemp", str(tmp_path / "inner"), "tests/test_code_quality.py", "-k", "one_way"]
    result = paper(project, "test", *args)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert re.search(r"^\d+ workers? \[1 item\]", result.stdout, re.M), result.stdout[-2000:]
    assert "1 passed" in result.stdout


@pytest.mark.parametrize("args", [[], ["frobnicate"]])
def test_an_unknown_command_prints_the_usage(project, args):
    result = paper(project, *args)
    assert result.returncode == 2
    assert result.stderr.startswith(
        "usage: ./paper build|test|preview|verify|where|bundle|translations|diff|report|benchmark"
    )


@pytest.mark.parametrize(
    ("command", "usage"),
    [(["where"], "usage: ./paper where [-h]"), (["bundle", "--nonsense"], "usage: ./paper bundle [-h]"),
     (["verify", "--nonsense"], "usage: ./paper verify [-h]"), (["translations", "--nonsense"], "usage: ./paper translations"),
     (["diff"], "usage: ./paper diff [-h]"), (["preview", "--port", "x"], "usage: ./paper preview [-h]")],
)  # fmt: skip
def test_a_command_given_wrong_arguments_prints_its_usage_as_the_user_typed_it(project, command, usage):
    result = paper(project, *command)
    assert result.returncode == 2 and result.stderr.startswith(usage), result.stderr  # not "usage: where.py"


def test_a_mistake_in_the_catalogue_is_one_line_from_the_build_and_every_command(project):
    """The catalogue is read as the workflow and each command's code is imported: its error, like any
    input's, is one line naming the file, line and key, not a traceback."""
    catalogue = project / "workflow/catalogue.yaml"
    text = catalogue.read_text(encoding="utf-8")
    assert text.splitlines()[41] == "figure_formats: [svg, png, pdf]"  # line 42, which the message names
    catalogue.write_text(text.replace("figure_formats: [svg, png, pdf]", "figure_formats: [svg, png, gif]"), "utf-8")
    said = "workflow/catalogue.yaml, line 42, key 'figure_formats[3]': found 'gif'; expected one of svg, png, pdf."
    for command in (["build"], ["build", "--list-rules"], ["where", "40%"], ["translations"], ["diff", "published"]):
        result = paper(project, *command)
        assert result.returncode == 1, (command, result.stderr[-2000:])
        assert "Traceback" not in result.stderr and 'File "' not in result.stderr, (command, result.stderr[-2000:])
        last = result.stderr.strip().splitlines()[-1]
        assert last == ("ERROR in the workflow catalogue: " if command[0] == "build" else "ERROR: ") + said, command
    assert not (project / "manuscript/build").exists()


@pytest.mark.parametrize(
    ("args", "code", "said"),
    [(["preview", "--port", "99999"], 2, "argument --port: found '99999'; expected a port number from 0 to 65535"),
     (["verify", "--manifest", "data/raw/datapackage.yaml"], 1,
      "ERROR: data/raw/datapackage.yaml, line 1: found '# The data package: every raw source"),
     (["benchmark", "--base", "nosuchrev", "--only", "x"], 2, "--base nosuchrev: not a commit of this repository")],
    ids=["port-out-of-range", "not-a-manifest", "unknown-base"],
)  # fmt: skip
def test_a_mistyped_command_line_is_one_message_not_a_traceback(project, args, code, said):
    result = paper(project, *args)
    assert result.returncode == code and "Traceback" not in result.stderr, result.stderr[-2000:]
    assert said in result.stderr.strip().splitlines()[-1], result.stderr[-2000:]


def test_verify_says_a_file_is_no_manifest_before_it_rebuilds(project):
    """The manifest is read first: a mistyped --manifest is said at once, not after a clean rebuild of minutes.
    Here that rebuild would stop first, on a share typed as a word."""
    shares = project / "data/raw/ppmi2024_gender_by_occupation.csv"
    shares.write_text(shares.read_text(encoding="utf-8").replace(",women,40,", ",women,ten,", 1), encoding="utf-8")
    result = paper(project, "verify", "--manifest", "data/raw/datapackage.yaml")
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr[-2000:]
    said = result.stderr.strip().splitlines()[-1]
    assert said.startswith("ERROR: data/raw/datapackage.yaml, line 1: found "), result.stderr[-2000:]


def test_a_preview_port_in_use_is_named_and_leaves_no_temporary_folder(project):
    import socket
    import tempfile

    before = set(Path(tempfile.gettempdir()).glob("gigpaper-preview-*"))
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = paper(project, "preview", "--port", str(port))
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr[-2000:]
    assert result.stderr.strip().splitlines()[-1] == (
        f"./paper preview: port {port} on 127.0.0.1: Address already in use; choose another with --port (0: any free one)"
    )
    assert set(Path(tempfile.gettempdir()).glob("gigpaper-preview-*")) == before
