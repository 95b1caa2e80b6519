"""A playlist's figures: the scatter (PNG, and SVG with a tooltip and a link per track),
the overview's thumbnail and the families' profile, their words in the page's language."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..describing.differences import feature_name
from ..describing.views import FamilyView
from ..grouping.features import (
    FEATURE_WORDS,
    METADATA_NUMBERS,
    FeatureMatrix,
)
from ..grouping.mixes import Grouping
from ..language import ENGLISH, Language
from ..playlist import (
    PlaylistOptions,
)
from .figure_text import drawn_language
from .figures import AxisTitle, scatter_png, scatter_svg, thumbnail_png
from .profile import profile_svg
from .svg import MAX_SVG_POINTS, svg_fits
from .track_tables import records, track_name_and_url


def translated_words(matrix: FeatureMatrix, words: Language) -> dict[str, tuple[str, str]]:
    """The matrix's words for each column's ends in `words`' language: those of the plugin's
    tables; words that are data (a label, a genre) stay as they are."""
    tables = {**FEATURE_WORDS, **METADATA_NUMBERS}
    return {
        name: (words.tr(high), words.tr(low) if low else low) if name in tables else (high, low)
        for name, (high, low) in matrix.words.items()
    }


def playlist_figures(
    options: PlaylistOptions,
    members: pd.DataFrame,
    grouping: Grouping,
    matrix: FeatureMatrix,
    views: list[FamilyView],
    words: Language = ENGLISH,
) -> dict[str, bytes]:
    """The scatter (PNG, and SVG within MAX_SVG_POINTS and MAX_SVG_BYTES) coloured by family
    with the mixes marked, the overview's thumbnail and the profile of the families (when they
    have numeric traits), by file name, their text in `words`' language."""
    families = grouping.families
    # One level (every family one mix): no rings, the families are the mixes.
    # Each track's mix number - 1: the figure numbers the rings as the page does.
    mixes = (
        None if grouping.mix_count == families.count else grouping.mix_numbers[grouping.mixes] - 1
    )
    drawn = drawn_language(words)  # the SVGs' text is drawn by the browser: any language
    images = {
        options.image_name: scatter_png(
            families.projection,
            families.labels,
            axis_titles(matrix, grouping, drawn),
            **marks(mixes),
            language=drawn,
        ),
        options.thumbnail_name: thumbnail_png(families.projection, families.labels),
    }
    if len(members) <= MAX_SVG_POINTS:  # beyond, the SVG is too heavy: the page shows the PNG
        rows = records(members[["name", "artists", "track_id"]])  # what a point shows
        names = {int(mix.number): mix.description.name for family in views for mix in family.mixes}
        tooltips = [
            point_tooltip(row, int(number), names[int(number)], words)
            for row, number in zip(rows, grouping.mix_numbers[grouping.mixes], strict=True)
        ]
        links = [track_name_and_url(row)[1] for row in rows]
        if svg_fits(tooltips, links):  # long names make it too heavy too
            images[options.svg_name] = scatter_svg(
                families.projection,
                families.labels,
                axis_titles(matrix, grouping, words),
                tooltips,
                links,
                **marks(mixes),
                language=words,
            )
    if matrix.trait_columns:
        images[options.profile_name] = profile_svg(
            np.array([family.description.shifts for family in views]),
            [feature_name(column, words) for column in matrix.trait_columns],
            [family.size for family in views],
            language=words,
            mixes=mixes is None,  # one level: the families are the page's mixes
        )
    return images


def axis_titles(matrix: FeatureMatrix, grouping: Grouping, language: Language) -> list[AxisTitle]:
    """The map's axes: each principal component's share of the variance and its ends' words,
    in `language`."""
    families = grouping.families
    ends = [
        axis_words(dict(zip(matrix.names, axis, strict=True)), translated_words(matrix, language))
        for axis in families.components
    ]
    return [
        AxisTitle(
            language.tr(
                "Principal component {number}: {share} of the variance",
                number=i + 1,
                share=language.percent(share),
            ),
            low,
            high,
        )
        for i, ((low, high), share) in enumerate(
            zip(ends, families.explained_variance, strict=True)
        )
    ]


def marks(mixes: np.ndarray | None) -> dict[str, np.ndarray]:
    """The scatter's keyword for the mixes it marks (none for a one-level page)."""
    return {} if mixes is None else {"mixes": mixes}


def point_tooltip(track: dict[str, Any], mix: int, mix_name: str, words: Language = ENGLISH) -> str:
    """A scatter point's tooltip: the track, its artists and its mix, as plain text (the SVG
    escapes it)."""
    name = track["name"] if isinstance(track["name"], str) else words.tr("Unknown track")
    artists = ", ".join(track["artists"])
    text = f"{name} — {artists}" if artists else name
    named = words.tr("Mix {number}: {name}", number=mix, name=mix_name)
    return f"{text} ({named})"


def axis_words(
    weights: dict[str, float], words: dict[str, tuple[str, str]], comma: str = ", "
) -> tuple[str, str]:
    """(words for the low end, words for the high end) of a principal axis, joined with
    `comma` (the figures take them ", "-joined and join them in the language themselves)."""
    opposite = {name: -weight for name, weight in weights.items()}
    low = describe_direction(opposite, words=words, separator=comma)
    return low, describe_direction(weights, words=words, separator=comma)


def describe_direction(
    weights: dict[str, float],
    count: int = 3,
    threshold: float = 0.0,
    words: dict[str, tuple[str, str]] | None = None,
    separator: str = ", ",
) -> str:
    """Words for a direction in feature space: its `count` strongest features, signed, joined
    with `separator` (the language's comma).

    {"energy": 0.6, "acousticness": -0.5} -> "More energetic, More electric".
    """
    vocabulary = FEATURE_WORDS if words is None else words
    strongest = sorted(
        (item for item in weights.items() if abs(item[1]) > threshold),
        key=lambda item: (-abs(item[1]), item[0]),
    )
    chosen: list[str] = []
    for name, weight in strongest:
        high, low = vocabulary.get(name, (f"high {name}", f"low {name}"))
        word = high if weight > 0 else low
        if word and word not in chosen:
            chosen.append(word)
        if len(chosen) == count:
            break
    return separator.join(chosen)
