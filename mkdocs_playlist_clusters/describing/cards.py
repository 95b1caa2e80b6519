"""What a mix's card says before anyone opens it: a cover, how many tracks, how long it
plays (`views.MixView.duration_ms`), its span of release years and when most of it was
added.

Facts only, from the mix's tracks (each recording once: the page's rows); `presenting` says
them in the page's language.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..escaping import safe_url

COVERS = 4  # album covers on a card, in a 2 x 2 grid
ADDED_SHARE = 0.5  # a year "most of a mix was added" in holds at least this share of it


@dataclass(frozen=True)
class CardFacts:
    """A mix's facts for its card."""

    tracks: int
    years: tuple[int, int] | None  # first and last release year
    added: tuple[int, int] | None  # the year most tracks were added in (twice), or the span
    covers: tuple[tuple[str, str], ...]  # (URL, album) of its most typical tracks' covers


def card_facts(tracks: pd.DataFrame) -> CardFacts:
    """The facts of a mix whose rows are `tracks`, most typical first (how long it plays is
    `views.MixView.duration_ms`)."""
    years = tracks["year"].to_numpy(dtype=float, na_value=np.nan)
    years = years[~np.isnan(years)]
    span = (int(years.min()), int(years.max())) if len(years) else None
    return CardFacts(len(tracks), span, added_years(tracks["added_at"]), covers(tracks))


def added_years(added: pd.Series) -> tuple[int, int] | None:
    """The year at least ADDED_SHARE of the tracks were added in, as (year, year); else the
    years of the middle 80% of them; None when the export does not say."""
    years = [int(text[:4]) for text in added.dropna() if str(text)[:4].isdigit()]
    if not years:
        return None
    year, count = min(Counter(years).items(), key=lambda item: (-item[1], item[0]))
    if count >= ADDED_SHARE * len(added):
        return year, year
    low, high = np.quantile(years, (0.1, 0.9), method="nearest")
    return int(low), int(high)


def covers(tracks: pd.DataFrame) -> tuple[tuple[str, str], ...]:
    """Up to COVERS distinct album covers (URL, album name), of the most typical tracks
    first."""
    found: dict[str, str] = {}
    for url, album in zip(tracks["image_url"], tracks["album"], strict=True):
        safe = safe_url(url)
        if safe and safe not in found:
            found[safe] = album if isinstance(album, str) else ""
            if len(found) == COVERS:
                break
    return tuple(found.items())
