"""The marks on the scatter: each mix's centre as a ring, and the numbers and badges placed
where they overlap nothing, with a line back to where they belong once moved."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.text import Annotation, Text

from .colours import cluster_colour
from .figure_style import LINE_COLOUR, SMALLEST_FONT_PT, UNDER_RINGS_GID

# A mix's centre: a ring of MIX_RING_SIZE pt² (a diameter of 6.3 pt) in its family's colour.
# Its number is written beside it up to MAX_MIX_NUMBERS mixes; beyond, numbers would crowd.
MIX_RING_SIZE = 40.0
MIX_RING_WIDTH = 1.4
MIX_RING_UNDER_WIDTH = MIX_RING_WIDTH + 1.6
# What a ring covers, in points from its centre: its radius and half its white line.
MIX_RING_REACH = MIX_RING_SIZE**0.5 / 2 + MIX_RING_UNDER_WIDTH / 2
MAX_MIX_NUMBERS = 30
SPREAD_ROUNDS = 400  # enough to part 30 badges and 30 numbers on one spot


def cluster_count(labels: np.ndarray) -> int:
    return int(labels.max()) + 1 if len(labels) else 0


def mix_centres(
    projection: np.ndarray, labels: np.ndarray, mixes: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(number, centre, family) of every mix that has tracks: the mean of its tracks'
    positions, and the family most of its tracks are in (all of them, when mixes nest)."""
    mixes = np.asarray(mixes, dtype=int)
    count = int(mixes.max()) + 1 if len(mixes) else 0
    members = np.bincount(mixes, minlength=count)
    kept = np.flatnonzero(members)
    centres = (
        np.column_stack(
            [np.bincount(mixes, weights=projection[:, axis], minlength=count) for axis in (0, 1)]
        )[kept]
        / members[kept, None]
    )
    pairs = np.zeros((count, cluster_count(labels)), dtype=int)
    np.add.at(pairs, (mixes, labels), 1)
    families = pairs[kept].argmax(axis=1) if len(kept) else np.zeros(0, dtype=int)
    return kept, centres, families


def draw_mix_rings(axes: Axes, centres: np.ndarray, families: np.ndarray) -> list[Any]:
    """A small ring in its family's colour on each mix's centre, over a white one that keeps it
    visible on points of the same colour: the two collections."""
    colours = [cluster_colour(family) for family in families.tolist()]
    return [
        axes.scatter(
            centres[:, 0],
            centres[:, 1],
            s=MIX_RING_SIZE,
            facecolors="none",
            edgecolors=colour,
            linewidths=width,
            zorder=2.5,  # over the points, under the badges
            gid=gid,
        )
        for colour, width, gid in (
            ("white", MIX_RING_UNDER_WIDTH, UNDER_RINGS_GID),
            (colours, MIX_RING_WIDTH, "mix-centres"),
        )
    ]


@dataclass(frozen=True)
class Mark:
    """A number drawn at a data position: a cluster's badge (`cluster` set: white in a disc
    of its colour) or a mix's number beside its ring (`cluster` None: dark text)."""

    position: tuple[float, float]
    text: str
    cluster: int | None


def place_marks(
    axes: Axes, marks: Sequence[Mark], obstacles: Sequence[Text] = (), rings: Sequence[Any] = ()
) -> None:
    """Draw the marks where none hides another, a ring or an obstacle (a text in the plot).

    `rings`: the collections of the mixes' rings, whose marks (numbers) are the last of
    `marks`, one a ring; rings that touch are first parted, by the least that does it. Each
    mark then starts on its position (a mix's number just right of its ring) and is pushed
    away from what it overlaps; a badge moved off its cluster's centre gets a line to it. Where
    they go is decided while the figure is drawn, once the layout has fixed where the axes
    are (see `MarkPlacer`)."""
    if marks:
        texts = [_draw_mark(axes, mark) for mark in marks]
        badges = [mark.cluster is not None for mark in marks]
        axes.add_artist(MarkPlacer(texts, badges, obstacles, rings))


class MarkPlacer(Artist):
    """Draws nothing: drawn just before the rings and marks (by its zorder), it moves them
    apart in the axes' final position. Each draw starts again from their positions, so drawing
    twice gives the same figure; laying out costs no extra pass over the figure."""

    def __init__(
        self,
        texts: Sequence[Annotation],
        badges: Sequence[bool],
        obstacles: Sequence[Text],
        rings: Sequence[Any] = (),
    ) -> None:
        super().__init__()
        self.texts, self.badges = list(texts), np.array(badges, dtype=bool)
        self.obstacles = list(obstacles)
        self.rings = list(rings)
        self.centres = np.asarray(rings[0].get_offsets(), dtype=float) if rings else None
        self.set_zorder(2.4)  # after the points, before the rings (2.5), badges (3) and numbers
        self.set_in_layout(False)

    def draw(self, renderer: Any) -> None:
        axes = self.axes
        assert axes is not None
        to_points = 1 / renderer.points_to_pixels(1.0)
        box = axes.get_window_extent(renderer)
        bounds = np.array([box.x0, box.y0, box.x1, box.y1]) * to_points
        fixed = (
            np.array(
                [
                    [*box.p0, *box.p1]
                    for box in (t.get_window_extent(renderer) for t in self.obstacles)
                ]
            ).reshape(-1, 4)
            * to_points
        )
        fixed_centres, fixed_half = (
            (fixed[:, :2] + fixed[:, 2:]) / 2,
            (fixed[:, 2:] - fixed[:, :2]) / 2,
        )
        half = np.array([_extent(text, renderer).size for text in self.texts]) / 2 * to_points
        anchors = axes.transData.transform([text.xy for text in self.texts]) * to_points
        starts = anchors.copy()
        if self.centres is not None:
            rings = self.part_rings(bounds, to_points)
            starts[len(self.texts) - len(rings) :] = rings
            fixed_centres = np.concatenate([fixed_centres, rings])
            fixed_half = np.concatenate([fixed_half, np.full((len(rings), 2), MIX_RING_REACH)])
        starts[~self.badges, 0] += MIX_RING_SIZE**0.5 / 2 + 1 + half[~self.badges, 0]
        # Badges first (they come first), each mark on the free spot nearest its start.
        taken_centres, taken_half = list(fixed_centres), list(fixed_half)
        for text, anchor, start, size, badge in zip(
            self.texts, anchors, starts, half, self.badges, strict=True
        ):
            position = free_spot(start, size, bounds, np.array(taken_centres), np.array(taken_half))
            taken_centres.append(position)
            taken_half.append(size)
            text.xyann = (float(position[0] - anchor[0]), float(position[1] - anchor[1]))
            # A line back to what it marks, once it no longer sits on it (a badge) or beside
            # its ring (a number).
            away = np.hypot(*(position - start)) > size.min() * (1 if badge else 2)
            if text.arrow_patch is not None:  # every mark has one (see `_draw_mark`)
                text.arrow_patch.set_visible(bool(away))

    def part_rings(self, bounds: np.ndarray, to_points: float) -> np.ndarray:
        """Move the rings (both collections) apart where they touch; their centres in points."""
        axes = self.axes
        assert axes is not None and self.centres is not None
        starts = axes.transData.transform(self.centres) * to_points
        reach = np.full_like(starts, MIX_RING_REACH)
        positions = spread_boxes(starts, reach, bounds, gap=0.5)
        offsets = axes.transData.inverted().transform(positions / to_points)
        for collection in self.rings:
            collection.set_offsets(offsets)
        return positions


def _draw_mark(axes: Axes, mark: Mark) -> Annotation:
    options: dict[str, Any] = {
        "xytext": (0.0, 0.0),
        "textcoords": "offset points",
        "annotation_clip": False,
        "arrowprops": {
            "arrowstyle": "-",
            "color": LINE_COLOUR,
            "linewidth": 1.0,
            "shrinkA": 0,
            "shrinkB": 0,
        },
    }
    if mark.cluster is not None:
        return number_badge(
            axes, mark.cluster, mark.position, gid=f"cluster-{mark.cluster + 1}-badge", **options
        )
    options["arrowprops"] = {**options["arrowprops"], "shrinkB": MIX_RING_REACH}
    return axes.annotate(
        mark.text,
        mark.position,
        ha="center",
        va="center",
        fontsize=SMALLEST_FONT_PT,
        zorder=4,
        **options,
    )


def _extent(text: Text, renderer: Any) -> Any:
    """The box a mark covers, wherever it is: a badge's disc, or a mix number's text."""
    patch = text.get_bbox_patch()
    if patch is None:
        return Text.get_window_extent(text, renderer)  # without an arrow
    text.update_bbox_position_size(renderer)
    return patch.get_window_extent(renderer)


def spread_boxes(
    starts: np.ndarray, half: np.ndarray, bounds: np.ndarray, gap: float = 1.0, fixed: int = 0
) -> np.ndarray:
    """Centres near `starts` for boxes of half-size `half` (all in points) that do not overlap
    (`gap` apart) and stay inside `bounds` (x0, y0, x1, y1) where they fit; the last `fixed`
    boxes stay where they are.

    Each round pushes every overlapping pair apart, half each (and a tenth of a point more, so
    that it ends; a box meeting a fixed one moves by all of it), along the axis on which they
    overlap least. Deterministic: boxes on the same spot part by their order.
    """
    positions = starts.astype(float).copy()
    low = np.minimum(bounds[:2] + half, (bounds[:2] + bounds[2:]) / 2)
    high = np.maximum(bounds[2:] - half, low)
    order = np.arange(len(positions))
    tie = np.where(order[:, None] < order[None, :], -1.0, 1.0)
    moves = order < len(positions) - fixed
    share = np.where(moves[:, None], np.where(moves[None, :], 1.0, 2.0), 0.0)  # of half a push
    for _ in range(SPREAD_ROUNDS):
        delta = positions[:, None, :] - positions[None, :, :]
        overlap = half[:, None, :] + half[None, :, :] + gap - np.abs(delta)
        hit = (overlap > 0).all(axis=2) & (share > 0)  # fixed boxes may overlap each other
        np.fill_diagonal(hit, False)
        if not hit.any():
            break
        axis = overlap.argmin(axis=2)
        direction = np.where(delta == 0, tie[..., None], np.sign(delta))
        push = np.zeros_like(delta)
        for dimension in (0, 1):
            chosen = hit & (axis == dimension)
            push[..., dimension] = np.where(
                chosen, direction[..., dimension] * (overlap[..., dimension] / 2 + 0.1), 0.0
            )
        positions = np.clip(positions + (push * share[..., None]).sum(axis=1), low, high)
        positions[~moves] = starts[~moves]
    return positions


# Where a mark may go, nearest first: its start, then rings of spots around it out to 150 pt
# (24 a ring, from the right and alternating up and down), offsets in points.
_SPOT_ANGLES = np.radians(
    [0, *[sign * step * 15 for step in range(1, 12) for sign in (1, -1)], 180]
)
FREE_SPOT_OFFSETS = np.concatenate(
    [
        np.zeros((1, 2)),
        *[
            radius * np.column_stack([np.cos(_SPOT_ANGLES), np.sin(_SPOT_ANGLES)])
            for radius in np.arange(3.0, 151.0, 3.0)
        ],
    ]
)


def free_spot(
    start: np.ndarray,
    half: np.ndarray,
    bounds: np.ndarray,
    taken_centres: np.ndarray,
    taken_half: np.ndarray,
    gap: float = 1.0,
) -> np.ndarray:
    """The spot nearest `start` (in `FREE_SPOT_OFFSETS`' order) for a box of half-size `half`
    that overlaps none of the taken boxes (`gap` apart) and stays inside `bounds`
    (x0, y0, x1, y1), all in points; the nearest spot inside when none is free."""
    low = np.minimum(bounds[:2] + half, (bounds[:2] + bounds[2:]) / 2)
    high = np.maximum(bounds[2:] - half, low)
    spots = np.clip(start + FREE_SPOT_OFFSETS, low, high)
    if not len(taken_centres):
        return spots[0]
    reach = half + taken_half + gap
    hits = (np.abs(spots[:, None, :] - taken_centres[None, :, :]) < reach[None]).all(axis=2)
    free = np.flatnonzero(~hits.any(axis=1))
    return spots[free[0]] if len(free) else spots[0]


def number_badge(axes: Axes, number: int, position: Any, **options: Any) -> Annotation:
    """Cluster `number` shown as n+1, white and bold in a disc of its colour: the scatter's
    centres and the profile's column heads."""
    return axes.annotate(
        str(number + 1),
        position,
        ha="center",
        va="center",
        fontsize=SMALLEST_FONT_PT,
        fontweight="bold",
        color="white",
        bbox={"boxstyle": "circle,pad=0.3", "fc": cluster_colour(number), "ec": "white"},
        **options,
    )
