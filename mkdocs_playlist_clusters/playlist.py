"""What one playlist's page depends on and what it produces: plain data, cheap to import."""

from __future__ import annotations

from dataclasses import dataclass, field

# Spotify's audio features that are measurements on a scale, and so what k-means clusters on;
# key, mode and time signature are categories, and distances between them mean nothing.
CONTINUOUS_FEATURES: tuple[str, ...] = (
    "danceability",
    "energy",
    "speechiness",
    "acousticness",
    "instrumentalness",
    "liveness",
    "valence",
    "tempo",
    "loudness",
)
CATEGORICAL_FEATURES: tuple[str, ...] = ("key", "mode", "time_signature")


@dataclass(frozen=True)
class PlaylistOptions:
    """What a page depends on besides the file's bytes (and so what the cache is keyed on)."""

    title: str
    slug: str  # file stem of the page and its image
    clusters: int | None = None  # None: choose k automatically
    features: tuple[str, ...] | None = None  # None: every continuous feature the file has
    representatives: int = 10
    columns: tuple[tuple[str, str], ...] = ()  # the user's `columns:` mapping, sorted

    @property
    def page_name(self) -> str:
        return f"{self.slug}.md"

    @property
    def image_name(self) -> str:
        return f"{self.slug}-clusters.png"


@dataclass
class GeneratedPlaylist:
    """The files generated for one playlist, named relative to the section folder."""

    files: dict[str, bytes]
    warnings: list[str] = field(default_factory=list)
