"""`./paper preview`: the served page follows the author's saves, shows a bad input's message, stops cleanly."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

SENTENCE = "Алдын ала қарау сөйлемі қосылды."


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


@pytest.fixture
def preview(built_copy: Path):
    env = {**os.environ, "GIGPAPER_VENV": str(Path(sys.executable).parents[1])}
    process = subprocess.Popen(
        [str(built_copy / "paper"), "preview", "--edition", "kk", "--port", "0"], cwd=built_copy, env=env,
        text=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    url = None
    for line in process.stdout:
        if found := re.search(r"(http://127\.0\.0\.1:\d+/)", line):
            url = found.group(1)
            break
    assert url, "the preview printed no address"
    yield process, url, built_copy
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def test_the_preview_shows_a_saved_sentence_then_a_bad_inputs_message_and_stops_on_ctrl_c(preview):
    process, url, project = preview
    page = fetch(url)
    assert 'lang="kk"' in page and "/__preview/version" in page and SENTENCE not in page
    # The author saves a sentence: the served page shows it (the time is the rebuild round trip).
    section = project / "manuscript/text/kk/01.introduction.md"
    text = section.read_text(encoding="utf-8")
    section.write_text(text.replace("\n\n", f"\n\n{SENTENCE}\n\n", 1), encoding="utf-8")
    seconds = wait_for(url, SENTENCE, 120)
    print(f"preview round trip: {seconds:.2f} s")
    assert not (project / "manuscript/build/paper.kk.pdf").stat().st_mtime_ns > section.stat().st_mtime_ns
    # A typed number is a bad input: the page shows the build's one message, not the last good page.
    section.write_text(text.replace("\n\n", "\n\nБұл 12 сан.\n\n", 1), encoding="utf-8")
    wait_for(url, "preview-error", 120)
    page = fetch(url)
    assert "manuscript/text/kk/01.introduction.md" in page and "the number 12 is typed into prose" in page
    assert SENTENCE not in page
    # Ctrl-C stops it: exit 0, its goodbye, and no Snakemake lock left behind.
    process.send_signal(signal.SIGINT)
    rest, _ = process.communicate(timeout=60)
    assert process.returncode == 0, rest
    assert rest.rstrip().endswith("Preview stopped.")
    assert not list((project / ".snakemake/locks").glob("*"))
