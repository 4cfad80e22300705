"""The steps after the editions (ledger, reviewer page, manifest) read their small tables without pandas,
whose import alone costs them half a second on every edit (issue 17); their CSV is pandas' to the byte."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest
from conftest import ROOT
from gigpaper import atomic, rows


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
