"""Time the build: a clean build from a copy of the sources, then a no-op rebuild, then one edited figure.

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

from gigpaper.review import copy_sources  # noqa: E402

SNAKEMAKE = str(Path(sys.executable).parent / "snakemake")


def timed(project: Path, *args: str) -> float:
    start = time.perf_counter()
    subprocess.run([SNAKEMAKE, "--cores", "all", "--quiet", *args], cwd=project, check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    runs: dict[str, list[float]] = {"clean build": [], "no-op rebuild": [], "one figure label changed": []}
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
