"""Time the build as an author lives in it, beside a base commit measured in the same run.

Scenarios: a clean build, a no-op rebuild, one label, one sentence and one Figure 2 share changed,
the Kazakh edition alone from clean, the OLI aggregation of a generated daily file of 1.4 million
rows (a whole process: imports, reading, checking, aggregating), the preview's round trip (a saved
Kazakh sentence until the served page shows it), and the test tiers (`pytest --quick`, the full
suite). The reference for the no-op is a trivial one-rule Snakemake workflow's no-op, run with the
same Snakemake in the same run.

Each pair runs a step on a copy of the base commit (`git archive`) and on a copy of this working
tree one after the other, the order alternating from pair to pair, so both see the same machine
load. The report gives, per scenario, the median wall and CPU seconds (user + system of every
process the step started) of each side, their ratios current / base, and the median one-minute load
average while it ran. This machine is shared and noisy: CPU seconds vary less than wall seconds.
Speed is measured here, never asserted in tests.

Usage: ./paper benchmark [--base REV] [--pairs N] [--no-tests] [--only SCENARIO ...]
Results: benchmark/results.json (not committed), and printed.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "workflow"))

from gigpaper import oli  # noqa: E402
from gigpaper.verify import copy_sources  # noqa: E402

BIN = Path(sys.executable).parent
TRIVIAL = 'rule one:\n    output: "out.txt"\n    shell: "echo done > {output}"\n'
SENTENCE = "Өлшеу сөйлемі қосылды."


class Unsupported(Exception):
    """The base commit cannot run this scenario (e.g. it has no preview)."""


def env_for(tree: Path) -> dict[str, str]:
    """Run `tree`'s own code: its workflow/ comes before the editable install of this one."""
    return {**os.environ, "PYTHONPATH": str(tree / "workflow"), "PYTHONHASHSEED": "0"}


def run(tree: Path, *command: str) -> None:
    result = subprocess.run(command, cwd=tree, env=env_for(tree), capture_output=True)
    if result.returncode != 0:
        raise Unsupported(result.stderr.decode(errors="replace")[-500:])


def snakemake(tree: Path, *args: str) -> None:
    run(tree, str(BIN / "snakemake"), "--cores", "all", "--quiet", *args)


def edit(path: Path, pattern: str, replacement: str) -> None:
    text = path.read_text(encoding="utf-8")
    changed = re.sub(pattern, replacement, text, count=1)
    assert changed != text, f"{pattern!r} not found in {path}"
    path.write_text(changed, encoding="utf-8")


def change_label(tree: Path) -> None:
    edit(tree / "manuscript/labels/en.yaml", r"(\n  figure2:\n    caption: )(.*)", r"\1\2 (edited)")


def change_sentence(tree: Path) -> None:
    edit(tree / "manuscript/text/kk/01.introduction.md", r"\n\n", f"\n\n{SENTENCE}\n\n")


def change_share(tree: Path) -> None:
    shares = tree / "data/raw/ppmi2024_gender_by_occupation.csv"
    edit(shares, r"2024,sales_marketing,women,33,", "2024,sales_marketing,women,37,")
    edit(shares, r"2024,sales_marketing,men,67,", "2024,sales_marketing,men,63,")
    run(tree, sys.executable, "-m", "gigpaper.datapackage", "--update-checksums")


def clear_outputs(tree: Path) -> None:
    for folder in ("data/processed", "figures", "manuscript/build", ".snakemake"):
        shutil.rmtree(tree / folder, ignore_errors=True)
        if folder != ".snakemake":
            (tree / folder).mkdir(parents=True)


def process_tree_cpu(pid: int) -> float:
    """CPU seconds (user + system) of a running process, its live descendants and the children they waited for."""
    tick = os.sysconf("SC_CLK_TCK")
    total, pids = 0.0, [pid]
    while pids:
        current = pids.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += sum(int(v) for v in fields[11:15]) / tick  # utime, stime, cutime, cstime
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except (OSError, IndexError):
            continue  # it ended meanwhile
        pids += [int(child) for child in children]
    return total


def preview_round_trip(tree: Path) -> None:
    """Start the preview, save a Kazakh sentence, wait until the page shows it, stop the preview.

    Timed from the save: the step's measure is this round trip alone, wall and the CPU of the preview's
    processes (see `measure`)."""
    if not (tree / "workflow/gigpaper/preview.py").exists():
        raise Unsupported("no preview")
    process = subprocess.Popen([sys.executable, "-m", "gigpaper.preview", "--port", "0"], cwd=tree,
                               env=env_for(tree), stdout=subprocess.PIPE, text=True)  # fmt: skip
    try:
        found = (m.group(0) for line in process.stdout if (m := re.search(r"http://127\.0\.0\.1:\d+/", line)))
        url = next(found, None)
        if url is None:
            raise Unsupported("the preview did not start")
        cpu, start = process_tree_cpu(process.pid), time.perf_counter()
        edit(tree / "manuscript/text/kk/01.introduction.md", r"\n\n", "\n\nҚосымша сөйлем.\n\n")
        while "Қосымша сөйлем." not in urllib.request.urlopen(url).read().decode():  # noqa: S310 - localhost
            if time.perf_counter() - start > 300:
                raise Unsupported("the page never showed the sentence")
            time.sleep(0.05)
        preview_round_trip.seconds = time.perf_counter() - start  # type: ignore[attr-defined]
        preview_round_trip.cpu = process_tree_cpu(process.pid) - cpu  # type: ignore[attr-defined]
    finally:
        process.terminate()
        process.wait(timeout=60)


def oli_aggregation(daily: Path) -> Callable[[Path], None]:
    code = "import sys; from gigpaper import oli; oli.shares(oli.read_worker_supply(sys.argv[1]))"
    return lambda tree: run(tree, sys.executable, "-c", code, str(daily))


def pytest_tier(*args: str) -> Callable[[Path], None]:
    """The tree's own `./paper test` (which picks how pytest spreads the tests), in this environment."""
    return lambda tree: run(
        tree, "env", f"GIGPAPER_VENV={BIN.parent}", "bash", "paper", "test", "-q", "-x", "-p", "no:cacheprovider", *args
    )


def trivial(tree: Path) -> None:
    """The reference for a no-op: a one-rule Snakemake workflow, run in its own folder of the tree."""
    run(tree / "trivial", str(BIN / "snakemake"), "-c1", "-q")


# (scenario, what to do untimed before it, the timed step)
Plan = list[tuple[str, Callable[[Path], None] | None, Callable[[Path], None]]]


def steps(daily: Path, tests: bool) -> Plan:
    """(scenario, what to do untimed before it, the timed step), in the order they run on one tree."""
    plan = [
        ("trivial one-rule workflow, one job", None, trivial),
        # Run once untimed first: picked alone (--only no-op) it timed the one job, not the no-op.
        ("trivial one-rule workflow, no-op", trivial, trivial),
        ("clean build", None, snakemake),
        ("no-op rebuild", None, snakemake),
        ("one en label", change_label, snakemake),
        ("one kk sentence", change_sentence, snakemake),
        ("one share + checksum", change_share, snakemake),
        ("preview round trip", None, preview_round_trip),
        ("Kazakh edition alone, clean", clear_outputs,
         lambda t: snakemake(t, "--config", "languages=[kk]", "editions=[kk]")),
        ("OLI daily file to shares (process)", None, oli_aggregation(daily)),
    ]  # fmt: skip
    if tests:
        plan += [("tests --quick", None, pytest_tier("--quick")), ("tests, full suite", None, pytest_tier())]
    return plan


# Scenarios that time a change to a built tree. Picked without the clean build before them (--only "one kk
# sentence"), they would time a clean build: the tree is built first, untimed.
ON_A_BUILT_TREE = {"no-op rebuild", "one en label", "one kk sentence", "one share + checksum"}


def run_pair(plan: Plan, trees: dict[str, Path], order: tuple[str, str], samples: dict[str, dict[str, list]]) -> None:
    """Each scenario of `plan` on the base and the current tree in turn, in `order`; its samples into `samples`."""
    built: set[str] = set()
    for name, prepare, step in plan:
        for side in order:
            if name in ON_A_BUILT_TREE and side not in built:
                snakemake(trees[side])
            if prepare:
                prepare(trees[side])
            samples.setdefault(name, {"base": [], "current": []})[side].append(measure(step, trees[side]))
            print(f"{side:>7}: {name}: {samples[name][side][-1]}", file=sys.stderr, flush=True)
            if name == "clean build" or name in ON_A_BUILT_TREE:
                built.add(side)
            elif prepare is clear_outputs:
                built.discard(side)


def measure(step: Callable[[Path], None], tree: Path) -> dict[str, float | None] | None:
    """Wall and CPU seconds of `step` (CPU of every child process it waited for), and the load average."""
    load = os.getloadavg()[0]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    try:
        step(tree)
    except Unsupported:
        return None
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    if step is preview_round_trip:  # the round trip alone, not the preview's start and first build
        wall, cpu = preview_round_trip.seconds, preview_round_trip.cpu  # type: ignore[attr-defined]
    return {"wall": wall, "cpu": cpu, "load": (load + os.getloadavg()[0]) / 2}


def checkout(rev: str, target: Path) -> Path:
    archive = subprocess.run(["git", "archive", "--format=tar", rev], cwd=ROOT, check=True, capture_output=True).stdout
    target.mkdir(parents=True)
    archive_path = target.parent / f"{target.name}.tar"
    archive_path.write_bytes(archive)
    with tarfile.open(archive_path) as tar:
        tar.extractall(target, filter="data")
    return target


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


def summary(samples: list[dict[str, float | None] | None]) -> dict[str, float | None]:
    def median(key: str) -> float | None:
        values = [s[key] for s in samples if s is not None and s[key] is not None]
        return round(statistics.median(values), 2) if values else None

    return {key: median(key) for key in ("wall", "cpu", "load")}


def ratio(current: float | None, base: float | None) -> float | None:
    return round(current / base, 2) if current is not None and base else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", default="HEAD~1", help="the commit to compare with (default: the previous one)")
    parser.add_argument("--pairs", type=int, default=3, help="base/current pairs per scenario (at least 3)")
    parser.add_argument("--no-tests", action="store_true", help="leave out the test tiers (the longest scenarios)")
    parser.add_argument("--only", nargs="*", help="run only the scenarios whose names contain one of these words")
    args = parser.parse_args()
    found = subprocess.run(["git", "rev-parse", "--short", "--verify", "--end-of-options", f"{args.base}^{{commit}}"],
                           cwd=ROOT, capture_output=True, text=True)  # fmt: skip
    if found.returncode != 0:
        parser.error(f"--base {args.base}: not a commit of this repository")
    base_commit = found.stdout.strip()
    samples: dict[str, dict[str, list]] = {}
    with tempfile.TemporaryDirectory(prefix="gigpaper-bench-") as tmp:
        daily = Path(tmp) / "worker_countrydata.txt"
        rows = write_daily_oli_file(daily)
        plan = [s for s in steps(daily, not args.no_tests) if not args.only or any(w in s[0] for w in args.only)]
        for pair in range(args.pairs):
            trees = {}
            for side in ("base", "current"):
                target = Path(tmp) / f"{pair}" / side
                trees[side] = checkout(args.base, target) if side == "base" else copy_sources(ROOT, target)
                (trees[side] / "trivial").mkdir()
                (trees[side] / "trivial/Snakefile").write_text(TRIVIAL, encoding="utf-8")
            print(f"pair {pair + 1}", file=sys.stderr, flush=True)
            run_pair(plan, trees, ("base", "current") if pair % 2 == 0 else ("current", "base"), samples)
            shutil.rmtree(Path(tmp) / f"{pair}")
    results = {
        "machine": {"python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count()},
        "base": base_commit,
        "pairs": args.pairs,
        "OLI daily file rows": rows,
        "scenarios": {},
    }
    for name, sides in samples.items():
        current, base = summary(sides["current"]), summary(sides["base"])
        results["scenarios"][name] = {
            "current": current, "base": base,
            "wall ratio": ratio(current["wall"], base["wall"]), "cpu ratio": ratio(current["cpu"], base["cpu"]),
            "runs": sides,
        }  # fmt: skip
    (ROOT / "benchmark/results.json").write_text(json.dumps(results, indent=2) + "\n")
    print(f"base {base_commit}, {args.pairs} pairs, medians; CPU = user + system seconds of every process started")
    print("| scenario | wall now | wall base | wall ratio | CPU now | CPU base | CPU ratio | load now / base |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")

    def cell(value: float | None, unit: str = "") -> str:
        return "-" if value is None else f"{value:.2f}{unit}"

    for name, value in results["scenarios"].items():
        now, base = value["current"], value["base"]
        print(f"| {name} | {cell(now['wall'], ' s')} | {cell(base['wall'], ' s')} | {cell(value['wall ratio'])} | "
              f"{cell(now['cpu'], ' s')} | {cell(base['cpu'], ' s')} | {cell(value['cpu ratio'])} | "
              f"{cell(now['load'])} / {cell(base['load'])} |")  # fmt: skip


if __name__ == "__main__":
    main()
