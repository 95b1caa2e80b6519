"""The benchmarks' targets and last measured figures, stored in baselines.json beside this
file, and the comparison each benchmark prints after its tables.

Each figure has a direction (lower or higher is better) and, where the README or an issue sets
one, a target; where a full run was published, a baseline and a tolerance (noise: timings on a
shared 2-core machine move by tenths of a second). A figure REGRESSED when it misses its
target, or is worse than its baseline by more than the tolerance:

    ok          example site: warm rebuild: 0.07 s (target at most 0.15 s; baseline 0.08 s ± 0.10 s)
    REGRESSED   14,000 tracks: warm rebuild: 0.61 s (target at most 0.50 s: missed; baseline
                0.54 s ± 0.10 s)

A partial run (`--quick` or `--only` where they measure other playlists than the full run) is
shown against the stored figures but not judged. `--fail-on-regression` makes a benchmark exit
with status 1 when a figure regressed; `--record-baselines` writes a full run's figures into
baselines.json as the new baselines (commit them with the command and the machine's state).
"""

from __future__ import annotations

import argparse
import datetime
import json
import math
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

BASELINES = Path(__file__).with_name("baselines.json")
HIGHER, LOWER = "higher", "lower"


@dataclass(frozen=True)
class Stored:
    """What baselines.json says of one figure."""

    unit: str  # "s", "MiB", "%" (a share from 0 to 1), "x" (a ratio) or "" (a score)
    better: str  # HIGHER or LOWER
    target: float | None
    baseline: float | None
    tolerance: float  # how much worse than the baseline is still noise, in the figure's unit

    def shown(self, value: float) -> str:
        if self.unit == "%":
            return f"{value:.1%}"
        if self.unit == "x":
            return f"{value:.2f}x"
        if self.unit == "MiB":
            return f"{value:,.0f} MiB"
        if self.unit == "s":
            return f"{value:.2f} s"
        return f"{value:.3f}"

    def missed(self, value: float) -> bool:
        if self.target is None:
            return False
        return value > self.target if self.better == LOWER else value < self.target

    def worse(self, value: float) -> bool:
        if self.baseline is None:
            return False
        if self.better == LOWER:
            return value > self.baseline + self.tolerance
        return value < self.baseline - self.tolerance


@dataclass(frozen=True)
class Verdict:
    name: str
    value: float
    stored: Stored | None
    judged: bool = True

    @property
    def missed(self) -> bool:
        return self.judged and self.stored is not None and self.stored.missed(self.value)

    @property
    def worse(self) -> bool:
        return self.judged and self.stored is not None and self.stored.worse(self.value)

    @property
    def regressed(self) -> bool:
        return self.missed or self.worse

    def line(self) -> str:
        stored = self.stored
        if stored is None:
            return f"{'new':<11} {self.name}: {self.value:g} (no target or baseline stored)"
        word = "REGRESSED" if self.regressed else "ok" if self.judged else "not judged"
        notes = []
        if stored.target is not None:
            bound = "at most" if stored.better == LOWER else "at least"
            missed = ": missed" if self.missed else ""
            notes.append(f"target {bound} {stored.shown(stored.target)}{missed}")
        if stored.baseline is not None:
            worse = ": worse" if self.worse else ""
            tolerance = stored.shown(stored.tolerance)
            notes.append(f"baseline {stored.shown(stored.baseline)} ± {tolerance}{worse}")
        return f"{word:<11} {self.name}: {stored.shown(self.value)} ({'; '.join(notes)})"


def load(benchmark: str, path: Path = BASELINES) -> dict[str, Stored]:
    """The stored figures of one benchmark, by name."""
    section = json.loads(path.read_text(encoding="utf-8"))[benchmark]
    return {
        name: Stored(
            entry["unit"],
            entry["better"],
            entry.get("target"),
            entry.get("baseline"),
            entry.get("tolerance", 0.0),
        )
        for name, entry in section["figures"].items()
    }


def compare(
    benchmark: str, measured: Mapping[str, float], *, partial: bool = False, path: Path = BASELINES
) -> list[Verdict]:
    """A verdict per measured figure (a NaN, which nothing measured, is left out)."""
    stored = load(benchmark, path)
    return [
        Verdict(name, float(value), stored.get(name), judged=not partial)
        for name, value in measured.items()
        if not math.isnan(value)
    ]


def record(benchmark: str, measured: Mapping[str, float], path: Path = BASELINES) -> list[str]:
    """Write the measured figures that baselines.json knows as their new baselines; returns
    their names."""
    data = json.loads(path.read_text(encoding="utf-8"))
    section = data[benchmark]
    written = []
    for name, value in measured.items():
        if name in section["figures"] and not math.isnan(value):
            section["figures"][name]["baseline"] = round(float(value), 4)
            written.append(name)
    section["baseline_from"] = (
        f"{section['command']}, recorded {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d}"
    )
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return written


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--fail-on-regression",
        action="store_true",
        help="exit with status 1 when a figure misses its target or its baseline (baselines.py)",
    )
    parser.add_argument(
        "--record-baselines",
        action="store_true",
        help="store this full run's figures as the baselines in benchmarks/baselines.json",
    )


def report(
    benchmark: str,
    measured: Mapping[str, float],
    args: argparse.Namespace | None = None,
    *,
    partial: bool = False,
    path: Path = BASELINES,
    out: TextIO | None = None,
) -> int:
    """Print a line per measured figure against baselines.json; returns the exit status: 1
    when a figure regressed and `--fail-on-regression` was given, else 0."""
    out = out or sys.stdout
    verdicts = compare(benchmark, measured, partial=partial, path=path)
    print(
        f"\nagainst {path.name} ({benchmark}{', partial run: not judged' if partial else ''}):",
        file=out,
    )
    for verdict in verdicts:
        print(verdict.line(), file=out)
    missing = sorted(set(load(benchmark, path)) - {v.name for v in verdicts})
    if missing:
        print(f"{'':<11} not measured in this run: {'; '.join(missing)}", file=out)
    regressed = [v for v in verdicts if v.regressed]
    if not partial:
        print(
            f"{len(regressed)} of {len(verdicts)} figures REGRESSED"
            if regressed
            else f"no figure regressed ({len(verdicts)} compared)",
            file=out,
        )
    if args is not None and getattr(args, "record_baselines", False):
        if partial:
            print("--record-baselines: a partial run is not recorded", file=out)
        else:
            written = record(benchmark, measured, path)
            print(f"recorded {len(written)} baselines in {path.name}", file=out)
    failing = args is not None and getattr(args, "fail_on_regression", False)
    return 1 if failing and regressed else 0
