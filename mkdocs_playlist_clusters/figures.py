"""The scatter image of a playlist's clusters."""

from __future__ import annotations

import io
from collections.abc import Sequence

import numpy as np
from matplotlib.figure import Figure

# Colour-blind-safe qualitative palette (Okabe-Ito), extended with tab20 hues for k > 8.
PALETTE: tuple[str, ...] = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#D55E00",
    "#CC79A7",
    "#56B4E9",
    "#F0E442",
    "#000000",
    "#8C564B",
    "#7F7F7F",
    "#BCBD22",
    "#17BECF",
    "#9467BD",
    "#AEC7E8",
    "#FFBB78",
    "#98DF8A",
)
WIDTH_INCHES = 9.0
HEIGHT_INCHES = 6.0
DPI = 120


def cluster_colour(number: int) -> str:
    return PALETTE[number % len(PALETTE)]


def scatter_png(
    projection: np.ndarray,
    labels: np.ndarray,
    axis_titles: Sequence[str],
) -> bytes:
    """PNG of the tracks' 2-D projection coloured by cluster, with numbered cluster centres.

    Byte-identical for identical input: no timestamp or software version is written.
    """
    figure = Figure(figsize=(WIDTH_INCHES, HEIGHT_INCHES), dpi=DPI, layout="constrained")
    axes = figure.add_subplot()
    count = int(labels.max()) + 1 if len(labels) else 0
    sizes = np.bincount(labels, minlength=count)
    point_size = float(np.clip(4000 / max(len(labels), 1), 6, 40))
    for number in range(count):
        members = projection[labels == number]
        colour = cluster_colour(number)
        axes.scatter(
            members[:, 0],
            members[:, 1],
            s=point_size,
            color=colour,
            alpha=0.65,
            linewidths=0,
            label=f"#{number + 1}  ({sizes[number]} tracks)",
            rasterized=True,
        )
    for number in range(count):
        centre = projection[labels == number].mean(axis=0)
        axes.annotate(
            str(number + 1),
            centre,
            ha="center",
            va="center",
            fontsize=10,
            fontweight="bold",
            color="white",
            bbox={"boxstyle": "circle,pad=0.3", "fc": cluster_colour(number), "ec": "white"},
        )
    axes.set_xlabel(axis_titles[0], fontsize=10)
    axes.set_ylabel(axis_titles[1], fontsize=10)
    axes.tick_params(labelsize=8)
    axes.grid(True, color="#dddddd", linewidth=0.6)
    axes.set_axisbelow(True)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    legend = axes.legend(
        title="Cluster",
        fontsize=9,
        title_fontsize=9,
        loc="upper left",
        bbox_to_anchor=(1.01, 1.0),
        frameon=False,
        markerscale=max(1.0, 40 / point_size) ** 0.5,
    )
    for handle in legend.legend_handles:
        handle.set_alpha(1.0)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()
