"""The groups' colours, shared by the figures and the pages' cards. Light to import: the
overview uses them on every build."""

from __future__ import annotations

# Okabe-Ito's colour-blind-safe hues (then a few tab20 ones), each moved to a lightness between
# 0.146 and 0.30 relative luminance: the band in which a colour keeps 3:1 contrast (WCAG's
# minimum for graphics) against white and against Material's slate. Okabe-Ito's black and yellow
# cannot: black became mid-grey and yellow a dark mustard. The first ten are kept from before;
# the other twenty were picked one at a time from the sRGB colours in that band (chroma <= 80,
# no neon) as the one farthest from all picked so far, so `clusters: 30` gets 30 colours at
# least 12.9 CIEDE2000 apart (the first ten 14.8).
PALETTE: tuple[str, ...] = (
    "#0071B1",
    "#C28600",
    "#009C72",
    "#D25D00",
    "#CA75A4",
    "#209CE2",
    "#9A900C",
    "#808080",
    "#9C6053",
    "#9568BE",
    "#3F7B00",
    "#007B81",
    "#FF5763",
    "#D50066",
    "#81693C",
    "#5A725A",
    "#7B8AFC",
    "#816378",
    "#AE8D72",
    "#8A996F",
    "#9390B1",
    "#729996",
    "#27A824",
    "#D5182A",
    "#636C8A",
    "#515DE4",
    "#C321A8",
    "#BA8484",
    "#DE60E1",
    "#009FBA",
)


def cluster_colour(number: int) -> str:
    """The colour of group `number` (0-based: a family's label)."""
    return PALETTE[number % len(PALETTE)]
