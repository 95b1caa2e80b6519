"""What every figure shares: its size, fonts and colours, chosen to stay readable on a
white page and on a dark one, and the contrast maths that checks them."""

from __future__ import annotations

import io
from collections.abc import Sequence

import numpy as np
from matplotlib import patheffects
from matplotlib.figure import Figure

# Every figure must be readable on white (Material's default scheme, the built-in `mkdocs`
# theme) and on Material's slate, whose colour the SVGs' dark styles take (see `dark_scheme`).
DARK_BACKGROUND = "#1E2129"
# The image is shown at its natural size or shrunk to the text column: about 690 CSS px on a
# desktop, 358 px on a 390 px phone. Its text must stay readable at the narrower one, so the
# figure is narrow, its legend sits below the plot and no text is smaller than
# SMALLEST_FONT_PT: at 358 px that is 10.5 / 72 * 358 / 5.2 = 10.0 CSS px.
WIDTH_INCHES = 5.2
PLOT_HEIGHT_INCHES = 4.3  # everything but the legend
LEGEND_ROW_INCHES = 0.27
DPI = 160  # 832 px wide: sharp at the width a desktop shows it
SMALLEST_FONT_PT = 10.5
LABEL_FONT_PT = 11.0
# One colour of text cannot reach 4.5:1 on both white and slate (mid-grey tops out near 4:1),
# so text is dark on a white halo: the glyphs read on white, the halo carries them on slate.
TEXT_COLOUR = "#222222"
CELL_INK = "#1A1A1A"  # dark text on a profile cell: no halo, so not TEXT_COLOUR (see svg_tree)
HALO_PT = 3.0  # stroke width: 1.5 pt of white around each glyph
HALO = (patheffects.withStroke(linewidth=HALO_PT, foreground="white"),)
HALO_GID = "text-halo"  # the SVG's halo filter, and the prefix of the texts it applies to
# On a dark page: light text (13:1 on slate) on a halo of the page's own colour, and the rings'
# and badges' white edges in that colour too, so that nothing looks like a white sticker.
DARK_TEXT_COLOUR = "#E3E5EA"
UNDER_RINGS_GID = "mix-centres-under"
LINE_COLOUR = "#8A8A8A"  # 3.5:1 on white and on slate
POINT_ALPHA = 0.8  # overlaps stay visible, and a point still contrasts with either page


def png_bytes(figure: Figure, dpi: float | None = None) -> bytes:
    buffer = io.BytesIO()
    # No "Software" entry: the PNG must not change when only matplotlib's version does.
    figure.savefig(
        buffer, format="png", metadata={"Software": None}, transparent=True, dpi=dpi or "figure"
    )
    return buffer.getvalue()


def relative_luminance(rgb: Sequence[float]) -> float:
    """WCAG 2 relative luminance of an sRGB colour with channels in 0..1."""
    channel = np.asarray(rgb, dtype=float)
    linear = np.where(channel <= 0.04045, channel / 12.92, ((channel + 0.055) / 1.055) ** 2.4)
    return float(linear @ np.array([0.2126, 0.7152, 0.0722]))


def contrast_ratio(first: float, second: float) -> float:
    light, dark = max(first, second), min(first, second)
    return (light + 0.05) / (dark + 0.05)
