"""The benchmark times what each scenario says, whichever scenarios --only picks (benchmark/run.py)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from conftest import ROOT


@pytest.fixture
def bench(monkeypatch):
    """benchmark/run.py with its builds and timings recorded instead of run."""
    spec = importlib.util.spec_from_file_location("benchmark_run", ROOT / "benchmark/run.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.calls = []
    monkeypatch.setattr(module, "snakemake", lambda tree, *args: module.calls.append(("untimed build", tree.name)))
    monkeypatch.setattr(module, "measure", lambda step, tree: step(tree) or {"wall": 1.0, "cpu": 1.0, "load": 0.0})
    return module


def scenario(bench, name: str, prepare=None):
    return (name, prepare, lambda tree: bench.calls.append((f"timed: {name}", tree.name)))


@pytest.mark.parametrize("name", ["no-op rebuild", "one en label", "one kk sentence", "one share + checksum"])
def test_an_edit_scenario_picked_alone_times_the_edit_of_a_built_tree(bench, name):
    trees = {"base": Path("base"), "current": Path("current")}
    bench.run_pair([scenario(bench, name)], trees, ("current", "base"), {})
    assert bench.calls == [("untimed build", "current"), (f"timed: {name}", "current"),
                           ("untimed build", "base"), (f"timed: {name}", "base")]  # fmt: skip


def test_after_the_clean_build_an_edit_scenario_builds_nothing_more_and_after_clearing_it_does(bench, monkeypatch):
    monkeypatch.setattr(bench, "clear_outputs", lambda tree: bench.calls.append(("cleared", tree.name)))
    trees = {"base": Path("base"), "current": Path("current")}
    plan = [scenario(bench, "clean build"), scenario(bench, "one kk sentence"),
            scenario(bench, "Kazakh edition alone, clean", bench.clear_outputs), scenario(bench, "no-op rebuild")]  # fmt: skip
    bench.run_pair(plan, trees, ("base", "current"), {})
    assert [call for call, tree in bench.calls if tree == "base"] == [
        "timed: clean build", "timed: one kk sentence", "cleared", "timed: Kazakh edition alone, clean",
        "untimed build", "timed: no-op rebuild",
    ]  # fmt: skip


def test_the_trivial_workflows_no_op_picked_alone_times_a_no_op(bench, monkeypatch):
    """Picked alone (--only no-op), the reference no-op timed the trivial workflow's one job: 2.1 s, not 0.9 s."""
    monkeypatch.setattr(bench, "run", lambda folder, *command: bench.calls.append(("ran", folder.parent.name)))
    plan = [step for step in bench.steps(Path("daily"), tests=False) if step[0] == "trivial one-rule workflow, no-op"]
    bench.run_pair(plan, {"base": Path("base"), "current": Path("current")}, ("base", "current"), {})
    assert bench.calls == [("ran", "base")] * 2 + [("ran", "current")] * 2  # its one job untimed, then the no-op
