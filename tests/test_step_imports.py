"""The steps after the editions (ledger, reviewer page, manifest) read their small tables without pandas,
whose import alone costs them half a second on every edit (issue 17); their CSV is pandas' to the byte."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest
from conftest import ROOT
from gigpaper import atomic, catalogue, rows


def test_the_tail_steps_do_not_import_pandas():
    code = (
        "import sys; import gigpaper.ledger, gigpaper.review, gigpaper.manifest, gigpaper.deposit; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('pandas', 'numpy')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True,
        env={"PYTHONPATH": str(ROOT / "workflow")},
    )  # fmt: skip
    assert result.stdout.strip() == "[]"


def test_rows_are_written_as_pandas_writes_them():
    table = [
        {"id": "a", "text": 'a "quoted", two-line\ncell', "line": 12, "share": 0.1 + 0.2, "whole": 5.0},
        {"id": "b", "text": None, "line": None, "share": 1e-7, "whole": None},
        {"id": "c", "text": "", "line": 7, "share": 2.25},
    ]
    columns = ["id", "text", "line", "share", "whole", "absent"]
    frame = pd.DataFrame(table).reindex(columns=columns)
    frame["line"] = frame["line"].astype("Int64")
    assert rows.csv_text(table, columns) == atomic.csv_text(frame)


@pytest.mark.parametrize("name", ["numbers", "online_labour_index", "gender_by_occupation", "oli_worker_shares"])
def test_rows_read_the_values_pandas_reads(built, name):
    path = built / "data/processed" / f"{name}.csv"
    text = ("raw_row", "cited_locator", "other_lines")
    frame = pd.read_csv(path, dtype=dict.fromkeys(text, str))
    expected = [{k: (None if pd.isna(v) else v) for k, v in row.items()} for row in frame.to_dict("records")]
    assert rows.read_rows(path, text=text) == expected


def test_a_job_checks_the_catalogue_only_when_its_bytes_are_new(project):
    """Snakemake's process checks the catalogue against its schema and hands its jobs the digest of what it
    checked: a job reading the same bytes skips jsonschema; other bytes, a broken catalogue, are checked."""
    code = "import sys, gigpaper.catalogue; print('jsonschema.validators' in sys.modules)"

    def job(checked: str) -> subprocess.CompletedProcess[str]:
        env = {"PYTHONPATH": str(ROOT / "workflow"), catalogue.CHECKED: checked}
        return subprocess.run([sys.executable, "-c", code], cwd=project, capture_output=True, text=True, env=env)

    digest = subprocess.run(
        [sys.executable, "-c", f"import os, gigpaper.catalogue; print(os.environ['{catalogue.CHECKED}'])"],
        cwd=project, capture_output=True, text=True, check=True, env={"PYTHONPATH": str(ROOT / "workflow")},
    ).stdout.strip()  # fmt: skip
    assert job(digest).stdout.strip() == "False"
    assert job("").stdout.strip() == "True"
    path = project / "workflow/catalogue.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("thousand: мың", "thousand: ''"), encoding="utf-8")
    broken = job(digest)
    assert broken.returncode != 0
    assert "workflow/catalogue.yaml, key 'languages.kk.thousand'" in broken.stderr
