"""`./paper preview`: the served page follows the author's saves (prose in-process, anything else through
Snakemake), equals the page the build writes, shows a bad input's message as the build words it, stops cleanly."""

from __future__ import annotations

import contextlib
import html
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import snakemake
from gigpaper.datapackage import update_checksums
from gigpaper.preview import RELOAD_SCRIPT, error_message, prose_only

SENTENCE = "Алдын ала қарау сөйлемі қосылды."
SECOND = "Екінші алдын ала қарау сөйлемі."
SHARES = "data/raw/ppmi2024_gender_by_occupation.csv"


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - our own server on 127.0.0.1
        return response.read().decode("utf-8")


def wait_for(url: str, text: str, seconds: float) -> float:
    """Seconds until the page at `url` holds `text`; fails after `seconds`."""
    start = time.monotonic()
    while time.monotonic() - start < seconds:
        if text in fetch(url):
            return time.monotonic() - start
        time.sleep(0.05)
    raise AssertionError(f"{text!r} did not appear in {url} within {seconds} s:\n{fetch(url)[-2000:]}")


def logged(lines: list[str], after: int, text: str) -> str:
    """The first line the preview printed after its line `after` that holds `text` (it is printed just
    after the page is served)."""
    start = time.monotonic()
    while time.monotonic() - start < 30:
        for line in lines[after:]:
            if text in line:
                return line
        time.sleep(0.05)
    raise AssertionError(f"the preview printed no {text!r} after line {after}:\n" + "\n".join(lines))


def snakemake_runs(project: Path) -> list[Path]:
    """Snakemake writes one log per run, the preview's own runs included."""
    return sorted((project / ".snakemake/log").glob("*.snakemake.log"))


def build_records(project: Path) -> dict[str, int]:
    """What the build and Snakemake keep, by path: the outputs and Snakemake's records of them."""
    folders = ("data/processed", "figures", "manuscript/build", ".snakemake/metadata")
    return {str(p): p.stat().st_mtime_ns for folder in folders for p in (project / folder).rglob("*") if p.is_file()}


def session_processes(session: int) -> str:
    """What still runs of the preview's session after a few seconds (multiprocessing's resource tracker
    takes a moment to see its last worker go)."""
    start = time.monotonic()
    while (found := subprocess.run(["pgrep", "-s", str(session)], capture_output=True, text=True).stdout.strip()) and (
        time.monotonic() - start < 10
    ):
        time.sleep(0.2)
    return found


@contextlib.contextmanager
def serving(project: Path) -> Iterator[tuple[subprocess.Popen[str], str, list[str], list[str]]]:
    """`./paper preview` of the kk edition on a free port: the process, its address, what it printed up to
    the address, and what it prints from then on."""
    env = {**os.environ, "GIGPAPER_VENV": str(Path(sys.executable).parents[1])}
    process = subprocess.Popen(
        [str(project / "paper"), "preview", "--edition", "kk", "--port", "0"], cwd=project, env=env,
        text=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    before, url = [], None
    for line in process.stdout:
        before.append(line.rstrip("\n"))
        if found := re.search(r"(http://127\.0\.0\.1:\d+/)", line):
            url = found.group(1)
            break
    assert url, "the preview printed no address:\n" + "\n".join(before)
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(line.rstrip("\n") for line in process.stdout), daemon=True)
    reader.start()
    try:
        yield process, url, before, lines
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        reader.join(timeout=10)


@pytest.fixture
def preview(built_copy: Path):
    with serving(built_copy) as (process, url, _, lines):
        yield process, url, built_copy, lines


def test_a_broken_catalogue_is_the_previews_one_message_not_its_workers_tracebacks(built_copy):
    catalogue = built_copy / "workflow/catalogue.yaml"
    catalogue.write_text(catalogue.read_text(encoding="utf-8").replace("[svg, png, pdf]", "[svg, png, gif]"), "utf-8")
    said = "ERROR in the workflow catalogue: workflow/catalogue.yaml, line 42, key 'figure_formats[3]': found 'gif'"
    with serving(built_copy) as (process, url, before, lines):
        assert html.escape(said) in fetch(url)
        process.send_signal(signal.SIGINT)
        process.wait(timeout=30)
    assert said in "\n".join(before)
    assert "Traceback" not in "\n".join(before + lines), "\n".join(before + lines)


def test_the_preview_renders_prose_in_process_data_through_snakemake_as_the_build_and_stops_on_ctrl_c(preview):
    process, url, project, lines = preview
    page = fetch(url)
    assert 'lang="kk"' in page and "/__preview/version" in page and SENTENCE not in page
    runs, records = snakemake_runs(project), build_records(project)
    section = project / "manuscript/text/kk/01.introduction.md"
    text = section.read_text(encoding="utf-8")

    # The author saves a sentence: the page shows it, re-rendered in-process (no Snakemake run, no output
    # of the build or record of Snakemake touched).
    section.write_text(text.replace("\n\n", f"\n\n{SENTENCE}\n\n", 1), encoding="utf-8")
    print(f"preview round trip: {wait_for(url, SENTENCE, 120):.2f} s")
    assert "page rebuilt in-process" in logged(lines, 0, "manuscript/text/kk/01.introduction.md")
    assert snakemake_runs(project) == runs and build_records(project) == records

    # A typed number is a bad input: the page shows the input check's one message, not the last good page.
    section.write_text(text.replace("\n\n", "\n\nБұл 12 сан.\n\n", 1), encoding="utf-8")
    wait_for(url, "preview-error", 120)
    page = fetch(url)
    assert SENTENCE not in page
    shown = html.unescape(re.search(r'<pre id="preview-error">(.*?)</pre>', page, re.S).group(1))
    assert shown.startswith("ERROR in the inputs: manuscript/text/kk/01.introduction.md, line 3: the number 12")
    assert "build stopped in-process" in logged(lines, 0, "build stopped")
    assert snakemake_runs(project) == runs and build_records(project) == records

    # A data edit (a share of Figure 2 and its checksum) goes through Snakemake: the page shows the new value.
    before = len(lines)
    section.write_text(text, encoding="utf-8")
    shares = project / SHARES
    data = shares.read_text(encoding="utf-8").replace(
        "2024,sales_marketing,women,33,", "2024,sales_marketing,women,37,"
    )
    shares.write_text(data.replace("2024,sales_marketing,men,67,", "2024,sales_marketing,men,63,"), encoding="utf-8")
    update_checksums(project / "data/raw/datapackage.yaml")
    wait_for(url, "ал әйелдер тек 37% алады", 300)
    logged(lines, before, "page rebuilt by Snakemake")
    assert len(snakemake_runs(project)) > len(runs)

    # Then a sentence again, in-process, on what that build made; the page is the build's, byte for byte.
    runs, before = snakemake_runs(project), len(lines)
    section.write_text(text.replace("\n\n", f"\n\n{SECOND}\n\n", 1), encoding="utf-8")
    wait_for(url, SECOND, 120)
    assert "page rebuilt in-process" in logged(lines, before, "page rebuilt")
    assert snakemake_runs(project) == runs
    served = fetch(url)
    assert RELOAD_SCRIPT in served and "ал әйелдер тек 37% алады" in served

    # Ctrl-C stops it: exit 0, its goodbye, no Snakemake lock and no worker left behind.
    process.send_signal(signal.SIGINT)
    process.wait(timeout=60)
    time.sleep(0.5)  # the reader thread takes the last lines
    assert process.returncode == 0, "\n".join(lines)
    assert lines[-1] == "Preview stopped."
    assert not list((project / ".snakemake/locks").glob("*"))
    assert not session_processes(process.pid), f"processes of the preview still run: {session_processes(process.pid)}"

    # The same sources built by the build: its page is the served one without the reload script, and its
    # message for the typed number is the one the page showed.
    snakemake(project, "manuscript/build/paper.kk.html")
    assert served.replace(RELOAD_SCRIPT, "") == (project / "manuscript/build/paper.kk.html").read_text(encoding="utf-8")
    section.write_text(text.replace("\n\n", "\n\nБұл 12 сан.\n\n", 1), encoding="utf-8")
    stopped = snakemake(project, check=False)
    assert stopped.returncode == 1 and error_message(stopped.stderr) == shown


def test_a_save_of_prose_alone_is_re_rendered_in_process_and_any_other_goes_through_snakemake():
    section = "manuscript/text/kk/01.introduction.md"
    assert prose_only([section])
    assert prose_only(["manuscript/text/ru/01.introduction.md", "manuscript/text/abstracts/en.md"])
    assert prose_only(["manuscript/labels/kk.yaml", "manuscript/labels/languages.yaml"])
    assert not prose_only([])
    for other in (
        "data/raw/ppmi2024_gender_by_occupation.csv", "config/config.yaml", "workflow/gigpaper/manuscript.py",
        "workflow/catalogue.yaml", "manuscript/pandoc/html.yaml", "manuscript/templates/paper.md.j2",
        "manuscript/bibliography.yaml", "manuscript/metadata.yaml", "manuscript/errata.yaml",
        "manuscript/translations.yaml", f"{section}~", "manuscript/text/kk/notes/draft.md",
    ):  # fmt: skip
        assert not prose_only([section, other]), other
