"""benchmarks/baselines.py: a figure that misses its target or falls behind its stored baseline
by more than the tolerance is reported as REGRESSED; a met one is not."""

from __future__ import annotations

import argparse
import io
import json
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

import baselines  # noqa: E402

STORED = {
    "bench": {
        "command": "python benchmarks/bench.py",
        "baseline_from": "a test",
        "figures": {
            "warm": {"unit": "s", "better": "lower", "target": 0.5, "baseline": 0.3,
                     "tolerance": 0.1},
            "share": {"unit": "%", "better": "higher", "target": 0.6, "baseline": 0.8,
                      "tolerance": 0.03},
            "memory": {"unit": "MiB", "better": "lower", "target": None, "baseline": 300,
                       "tolerance": 50},
        },
    }
}  # fmt: skip


@pytest.fixture
def stored(tmp_path: Path) -> Path:
    path = tmp_path / "baselines.json"
    path.write_text(json.dumps(STORED))
    return path


def report(path: Path, measured: dict[str, float], *flags: str, partial: bool = False):
    parser = argparse.ArgumentParser()
    baselines.add_arguments(parser)
    out = io.StringIO()
    status = baselines.report(
        "bench", measured, parser.parse_args(flags), partial=partial, path=path, out=out
    )
    lines = {line.split(":")[0].split()[-1]: line for line in out.getvalue().splitlines() if line}
    return status, lines, out.getvalue()


def test_met_figures_are_not_reported_as_regressed(stored):
    status, lines, out = report(stored, {"warm": 0.35, "share": 0.79, "memory": 320})
    assert "REGRESSED" not in out and status == 0
    assert lines["warm"].startswith("ok ") and "0.35 s" in lines["warm"]
    assert lines["share"].startswith("ok ") and "79.0%" in lines["share"]
    assert "no figure regressed (3 compared)" in out


def test_a_missed_target_is_reported_as_regressed(stored):
    status, lines, out = report(stored, {"warm": 0.55, "share": 0.8})
    assert lines["warm"].startswith("REGRESSED") and "target at most 0.50 s: missed" in out
    assert lines["share"].startswith("ok ")
    assert "1 of 2 figures REGRESSED" in out
    assert "not measured in this run: memory" in out
    assert status == 0  # only --fail-on-regression changes the exit status


def test_a_figure_worse_than_its_baseline_beyond_the_tolerance_regressed(stored):
    # Within their targets, but behind the baselines by more than the tolerance.
    status, lines, out = report(stored, {"warm": 0.45, "share": 0.7, "memory": 351})
    assert all(lines[name].startswith("REGRESSED") for name in ("warm", "share", "memory"))
    assert "missed" not in out and out.count(": worse") == 3
    assert status == 0


def test_the_exit_status_behind_the_flag(stored):
    assert report(stored, {"warm": 0.9}, "--fail-on-regression")[0] == 1
    assert report(stored, {"warm": 0.2}, "--fail-on-regression")[0] == 0


def test_a_partial_run_is_shown_but_not_judged(stored):
    status, lines, out = report(stored, {"warm": 0.9}, "--fail-on-regression", partial=True)
    assert "REGRESSED" not in out and lines["warm"].startswith("not judged") and status == 0


def test_figures_without_stored_entries_and_nan_ones(stored):
    _, lines, out = report(stored, {"new figure": 1.5, "share": float("nan")})
    assert lines["figure"].startswith("new ") and "REGRESSED" not in out
    assert "share" not in lines  # nothing measured: listed as not measured
    assert "not measured in this run: memory; share; warm" in out


def test_recording_a_full_run_updates_the_baselines(stored):
    report(stored, {"warm": 0.25, "unknown": 3.0}, "--record-baselines")
    figures = json.loads(stored.read_text())["bench"]["figures"]
    assert figures["warm"]["baseline"] == 0.25 and "unknown" not in figures
    assert figures["share"]["baseline"] == 0.8
    report(stored, {"warm": 0.1}, "--record-baselines", partial=True)
    assert json.loads(stored.read_text())["bench"]["figures"]["warm"]["baseline"] == 0.25


def test_the_stored_baselines_are_complete():
    data = json.loads(baselines.BASELINES.read_text(encoding="utf-8"))
    assert {"build_cost", "scale", "quality", "recognizable", "numbering"} <= set(data)
    for name, section in data.items():
        if name.startswith("_"):
            continue
        assert section["command"].startswith("python benchmarks/")
        for figure, entry in section["figures"].items():
            assert entry["unit"] in ("s", "MiB", "%", "x", ""), figure
            assert entry["better"] in (baselines.HIGHER, baselines.LOWER), figure
            assert entry["target"] is not None or entry["baseline"] is not None, figure
            assert entry["source"], figure
        assert baselines.load(name)  # parses
