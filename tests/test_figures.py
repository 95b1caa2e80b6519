"""The scatter's layout rules, checked on the figure itself (the browser tests check how it
shows on a page)."""

import io

import numpy as np
import pytest
from matplotlib.text import Text
from PIL import Image

from mkdocs_playlist_clusters.figures import (
    DPI,
    SMALLEST_FONT_PT,
    WIDTH_INCHES,
    AxisTitle,
    scatter_figure,
    scatter_png,
)

TITLES = (
    AxisTitle("Principal component 1: 41% of the variance", "Mellow, Quiet", "Energetic, Loud"),
    AxisTitle("Principal component 2: 17% of the variance", "Slow, Wordy", "Fast, Melodic"),
)
LONG_TITLES = (
    AxisTitle(
        "Principal component 1: 27% of the variance",
        "Universal Music Group International, Republic Records",
        "SM Entertainment Company Limited, Red Velvet",
    ),
    TITLES[1],
)


def clusters(count: int, per_cluster: int = 20) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(count)
    labels = np.repeat(np.arange(count), per_cluster)
    centres = rng.normal(0, 4, (count, 2))
    return centres[labels] + rng.normal(0, 0.5, (len(labels), 2)), labels


def drawn_texts(figure):
    figure.canvas.draw()
    return [t for t in figure.findobj(Text) if t.get_visible() and t.get_text().strip()]


@pytest.mark.parametrize("count", [2, 5, 16, 30])
def test_no_text_is_smaller_than_the_smallest_font(count):
    figure = scatter_figure(*clusters(count), TITLES)
    sizes = [text.get_fontsize() for text in drawn_texts(figure)]
    assert min(sizes) == SMALLEST_FONT_PT


@pytest.mark.parametrize("count", [2, 5, 16, 30])
def test_legend_sits_below_the_plot_inside_the_figure(count):
    figure = scatter_figure(*clusters(count), TITLES)
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    legend = figure.legends[0].get_window_extent(renderer)
    plot = figure.axes[0].get_window_extent(renderer)
    assert legend.y1 < plot.y0
    assert legend.x0 >= 0 and legend.x1 <= figure.bbox.width
    assert figure.get_figwidth() == WIDTH_INCHES


@pytest.mark.parametrize("titles", [TITLES, LONG_TITLES], ids=["short", "long"])
def test_horizontal_axis_ends_do_not_collide(titles):
    figure = scatter_figure(*clusters(3), titles)
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    texts = drawn_texts(figure)
    left = next(t for t in texts if t.get_text().startswith("←"))
    right = next(t for t in texts if t.get_text().endswith("→"))
    assert left.get_window_extent(renderer).x1 < right.get_window_extent(renderer).x0
    for text in (left, right):
        box = text.get_window_extent(renderer)
        assert box.x0 >= 0 and box.x1 <= figure.bbox.width


def test_png_is_opaque_deterministic_and_as_wide_as_declared():
    data = scatter_png(*clusters(4), TITLES)
    assert data == scatter_png(*clusters(4), TITLES)
    image = Image.open(io.BytesIO(data))
    assert image.width == round(WIDTH_INCHES * DPI)
    alpha = np.asarray(image.convert("RGBA"))[..., 3]
    assert alpha.min() == 255  # readable on a dark page: the card is opaque
