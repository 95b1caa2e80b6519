"""The benchmarks in their quick mode, so that they cannot rot: each runs and prints its table.

Their numbers are not checked here (timing on a shared machine is noisy); the docs site's
Quality and Performance pages (docs/pages/) give the full runs and the commands.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from site_building import requires_shared

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


def run(*args: str) -> str:
    result = subprocess.run(
        [sys.executable, *args], cwd=BENCHMARKS, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_build_cost_quick():
    out = run("build_cost.py", "--quick")
    (row,) = [line for line in out.splitlines() if line.startswith("| example site |")]
    cells = [cell.strip() for cell in row.strip("|").split("|")]
    assert cells[1] == "350" and cells[2].endswith(" s") and "KiB" in cells[6]


@requires_shared
def test_scale_quick():
    out = run("scale.py", "--sizes", "300", "--quick")
    (row,) = [line for line in out.splitlines() if line.startswith("| 300 |")]
    assert "MiB |" in row


@requires_shared
def test_quality_quick():
    out = run("quality.py", "--quick")
    table, blocks = out.split("| playlist | clustered on |")
    rows = [line for line in table.splitlines() if line.startswith("| exportify-")]
    assert [row.split("|")[4].strip() for row in rows] == [
        "mixes",
        "families",
        "k-means",
        "seed",
    ] * 2
    assert "AMI against the first genre, median over 2 Exportify playlists, mixes:" in out
    blocks, running = blocks.split("| playlist | tracks | mixes | step vs shuffle:")
    rows = [line for line in blocks.splitlines() if line.startswith("| exportify-")]
    assert len(rows) == 2 * 4 and "audio + year × 0.5" in blocks
    rows = [line for line in running.splitlines() if line.startswith("| exportify-")]
    assert len(rows) == 2 and all(row.endswith(" ms |") for row in rows)
    assert "running order, mean step over a shuffle's in the median mix:" in running


@requires_shared
def test_numbering_quick():
    out = run("numbering.py", "--quick")
    (row,) = [line for line in out.splitlines() if line.startswith("| exportify-")]
    assert row.endswith("% |") and "kept their mix: lowest" in out
