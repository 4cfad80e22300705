"""Time the build: a clean build from a copy of the sources, then a no-op rebuild, then one edited figure;
and the source check's reading of a daily OLI worker-supply file of 1.4 million rows.

Speed is measured here, never asserted in tests. Results go to benchmark/results.json (not committed)
and are printed. Usage: ./paper benchmark [--repeat N]
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "workflow"))

from gigpaper import oli  # noqa: E402
from gigpaper.review import copy_sources  # noqa: E402

SNAKEMAKE = str(Path(sys.executable).parent / "snakemake")


def timed(project: Path, *args: str) -> float:
    start = time.perf_counter()
    subprocess.run([SNAKEMAKE, "--cores", "all", "--quiet", *args], cwd=project, check=True, capture_output=True)
    return time.perf_counter() - start


def write_daily_oli_file(path: Path, rows: int = 1_400_000) -> int:
    """A file in the OLI deposit's daily format (timestamp,country,occupation,num_workers) of about `rows` rows.

    Every day from mid-June 2017 to early September 2024 (the deposit's span) has one row per country and
    occupation; the country names are the OLI's own (those of the shipped gender estimates).
    """
    import numpy as np
    import pandas as pd

    names = sorted(pd.read_csv(ROOT / "data/raw/oli2020_worker_gender.csv", keep_default_na=False)["country"].unique())
    dates = pd.date_range("2017-06-15", "2024-09-02", freq="D").strftime("%Y-%m-%d")
    occupations = [names_[0] for names_ in oli.OCCUPATIONS.values()]
    pairs = -(-rows // (len(dates) * len(occupations)))  # countries needed, rounded up
    countries = (names * (pairs // len(names) + 1))[:pairs]
    grid = pd.MultiIndex.from_product([dates, countries[: len(set(countries))], occupations]).to_frame(index=False)
    grid.columns = oli.DAILY_COLUMNS[:3]
    grid["num_workers"] = np.random.default_rng(0).gamma(2.0, 20.0, len(grid)).round(2)
    grid.to_csv(path, index=False)
    return len(grid)


def time_daily_oli_aggregation() -> tuple[float, int]:
    """Seconds to read, validate and aggregate a daily OLI file of about 1.4 million rows to yearly shares."""
    with tempfile.TemporaryDirectory(prefix="gigpaper-oli-") as tmp:
        path = Path(tmp) / "worker_countrydata.txt"
        rows = write_daily_oli_file(path)
        start = time.perf_counter()
        oli.shares(oli.read_worker_supply(path))
        return time.perf_counter() - start, rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    runs: dict[str, list[float]] = {
        "clean build": [],
        "no-op rebuild": [],
        "one figure label changed": [],
        "OLI daily file to shares": [],
    }
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory(prefix="gigpaper-bench-") as tmp:
            project = Path(tmp) / "project"
            copy_sources(ROOT, project)
            runs["clean build"].append(timed(project))
            runs["no-op rebuild"].append(timed(project))
            labels = project / "manuscript/labels/en.yaml"
            labels.write_text(labels.read_text(encoding="utf-8").replace("x_title: Share, %", "x_title: Share (%)"))
            runs["one figure label changed"].append(timed(project))
            shutil.rmtree(project / ".snakemake", ignore_errors=True)
        runs["OLI daily file to shares"].append(time_daily_oli_aggregation()[0])
    results = {
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": __import__("os").cpu_count(),
        },
        "seconds": {
            name: {"median": round(statistics.median(v), 2), "runs": [round(x, 2) for x in v]}
            for name, v in runs.items()
        },
    }
    (ROOT / "benchmark/results.json").write_text(json.dumps(results, indent=2) + "\n")
    for name, value in results["seconds"].items():
        print(f"{name:>26}: {value['median']:7.2f} s (median of {len(value['runs'])})")


if __name__ == "__main__":
    main()
