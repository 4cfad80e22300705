"""Time the build as an author lives in it, beside the previous commit measured in the same run.

Scenarios: a clean build, a no-op rebuild, one label, one sentence and one Figure 2 share changed,
the Kazakh edition alone from clean, and the test suite. Each runs on a copy of this working tree
and on a copy of the base commit (default HEAD~1, from `git archive`), alternately, so that both
see the same machine load; the report gives medians and the ratio current / base. This machine is
shared and noisy: read ratios, not seconds. Speed is measured here, never asserted in tests.
On this tree only: the source check's reading of a generated daily OLI file of 1.4 million rows.

Usage: ./paper benchmark [--base REV] [--repeat N] [--no-tests]
Results: benchmark/results.json (not committed), and printed.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "workflow"))

from gigpaper import oli  # noqa: E402
from gigpaper.verify import copy_sources  # noqa: E402

BIN = Path(sys.executable).parent


def env_for(tree: Path) -> dict[str, str]:
    """Run `tree`'s own code: its workflow/ comes before the editable install of this one."""
    return {**os.environ, "PYTHONPATH": str(tree / "workflow"), "PYTHONHASHSEED": "0"}


def snakemake(tree: Path, *args: str) -> None:
    subprocess.run([str(BIN / "snakemake"), "--cores", "all", "--quiet", *args], cwd=tree, env=env_for(tree),
                   check=True, capture_output=True)  # fmt: skip


def edit(path: Path, pattern: str, replacement: str) -> None:
    text = path.read_text(encoding="utf-8")
    changed = re.sub(pattern, replacement, text, count=1)
    assert changed != text, f"{pattern!r} not found in {path}"
    path.write_text(changed, encoding="utf-8")


def change_label(tree: Path) -> None:
    edit(tree / "manuscript/labels/en.yaml", r"(\n  figure2:\n    caption: )(.*)", r"\1\2 (edited)")


def change_sentence(tree: Path) -> None:
    edit(tree / "manuscript/text/en/01.introduction.md", r"\n\n", "\n\nAn added sentence.\n\n")


def change_share(tree: Path) -> None:
    shares = tree / "data/raw/ppmi2024_gender_by_occupation.csv"
    edit(shares, r"2024,sales_marketing,women,33,", "2024,sales_marketing,women,37,")
    edit(shares, r"2024,sales_marketing,men,67,", "2024,sales_marketing,men,63,")
    subprocess.run([sys.executable, "-m", "gigpaper.datapackage", "--update-checksums"], cwd=tree, env=env_for(tree),
                   check=True, capture_output=True)  # fmt: skip


def timed(action: Callable[[], None]) -> float | None:
    start = time.perf_counter()
    try:
        action()
    except subprocess.CalledProcessError:
        return None  # the base may not support a scenario (e.g. one edition alone)
    return time.perf_counter() - start


def scenarios(tree: Path, pristine: Path | None) -> dict[str, float | None]:
    """Every scenario on `tree`; the test suite on `pristine`, an unedited copy (the tests read the sources)."""
    times: dict[str, float | None] = {}
    times["clean build"] = timed(lambda: snakemake(tree))
    times["no-op rebuild"] = timed(lambda: snakemake(tree))
    for name, change in (("one label", change_label), ("one sentence", change_sentence), ("one share", change_share)):
        change(tree)
        times[name] = timed(lambda: snakemake(tree))
    for folder in ("data/processed", "figures", "manuscript/build", ".snakemake"):
        shutil.rmtree(tree / folder, ignore_errors=True)
        if folder != ".snakemake":
            (tree / folder).mkdir(parents=True)
    times["Kazakh edition alone, clean"] = timed(lambda: snakemake(tree, "--config", "languages=[kk]", "editions=[kk]"))
    if pristine:
        command = [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider"]
        times["test suite"] = timed(
            lambda: subprocess.run(command, cwd=pristine, env=env_for(pristine), check=True, capture_output=True)
        )
    return times


def checkout(rev: str, target: Path) -> Path:
    archive = subprocess.run(["git", "archive", "--format=tar", rev], cwd=ROOT, check=True, capture_output=True).stdout
    target.mkdir(parents=True)
    archive_path = target.parent / f"{target.name}.tar"
    archive_path.write_bytes(archive)
    with tarfile.open(archive_path) as tar:
        tar.extractall(target, filter="data")
    return target


def median(values: list[float | None]) -> float | None:
    measured = [v for v in values if v is not None]
    return round(statistics.median(measured), 2) if measured else None


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
    grid = pd.MultiIndex.from_product([dates, names[:pairs], occupations]).to_frame(index=False)
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
    parser.add_argument("--base", default="HEAD~1", help="the commit to compare with (default: the previous one)")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--no-tests", action="store_true", help="leave out the test suite (the longest scenario)")
    args = parser.parse_args()
    base_commit = subprocess.run(["git", "rev-parse", "--short", args.base], cwd=ROOT, check=True,
                                 capture_output=True, text=True).stdout.strip()  # fmt: skip
    runs: dict[str, dict[str, list[float | None]]] = {"current": {}, "base": {}}
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory(prefix="gigpaper-bench-") as tmp:

            def tree(side: str, name: str) -> Path:
                target = Path(tmp) / side / name
                return checkout(args.base, target) if side == "base" else copy_sources(ROOT, target)

            for side in ("base", "current"):
                pristine = None if args.no_tests else tree(side, "pristine")
                for name, seconds in scenarios(tree(side, "project"), pristine).items():
                    runs[side].setdefault(name, []).append(seconds)
    oli_seconds, oli_rows = time_daily_oli_aggregation()
    names = list(runs["current"])
    results = {
        "machine": {"python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count()},
        "base": base_commit,
        "seconds": {
            name: {
                "current": median(runs["current"][name]),
                "base": median(runs["base"].get(name, [])),
                "runs": {side: [None if v is None else round(v, 2) for v in runs[side].get(name, [])] for side in runs},
            }
            for name in names
        },
    }
    results["OLI daily file to shares"] = {"rows": oli_rows, "seconds": round(oli_seconds, 2)}
    for value in results["seconds"].values():
        value["ratio"] = round(value["current"] / value["base"], 2) if value["current"] and value["base"] else None
    (ROOT / "benchmark/results.json").write_text(json.dumps(results, indent=2) + "\n")
    print(f"{'scenario':>30}  {'current':>8}  {'base ' + base_commit:>14}  ratio")
    for name, value in results["seconds"].items():
        current = f"{value['current']:.2f} s" if value["current"] is not None else "failed"
        base = f"{value['base']:.2f} s" if value["base"] is not None else "failed"
        ratio = f"{value['ratio']:.2f}" if value["ratio"] is not None else "-"
        print(f"{name:>30}  {current:>8}  {base:>14}  {ratio}")
    print(f"{'OLI daily file to shares':>30}  {oli_seconds:6.2f} s  ({oli_rows:,} rows read, checked and aggregated)")


if __name__ == "__main__":
    main()
