"""What one playlist's page depends on and what it produces: plain data, cheap to import."""

from __future__ import annotations

import dataclasses
import json
import re
from dataclasses import dataclass, field
from typing import Any

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
AUDIO_FEATURES: tuple[str, ...] = CONTINUOUS_FEATURES + CATEGORICAL_FEATURES

# The number of tracks a mix aims for, unless `mix_size:` says otherwise: about three to four
# hours of music, the size of Spotify's own mixes (50) and well under AudioMuse-AI's 200.
DEFAULT_MIX_SIZE = 60
MAX_CLUSTERS = 30  # families a playlist may be asked for (`clusters:`)

# A cell a spreadsheet would run as a formula: OWASP's list of first characters (= + - @ TAB
# CR), also after spaces, which some importers trim. Such a cell gets a leading apostrophe,
# and `reading.exports` removes one again where the rest matches, so a cell that already starts with
# apostrophes before one of them gets one more and every text reads back as it was. A plain
# number ("-7.5" loudness) is exempt: a spreadsheet reads it as the number it is, and an
# apostrophe would make it text.
FORMULA = re.compile(r"'*[ \t\r]*(?![+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\Z)[=+\-@\t\r]")

# The canonical track table `reading.exports.read_playlist` makes of any export, in column order.
TRACK_COLUMNS: tuple[str, ...] = (
    "line",  # line of the file the row starts on, for messages
    "kind",  # track, local, episode or unavailable
    "track_id",
    "uri",
    "name",
    "album",
    "artists",
    "artist_ids",
    "release_date",
    "year",
    "duration_ms",
    "popularity",
    "explicit",
    "added_at",
    "genres",
    "label",
    "image_url",
    "rank",
    "liked",
    *AUDIO_FEATURES,
)
# Columns the reader works out rather than reads from one header.
DERIVED_COLUMNS: tuple[str, ...] = ("line", "kind", "track_id", "year")


@dataclass(frozen=True)
class PlaylistOptions:
    """What a page depends on besides the file's bytes (and so what the cache is keyed on)."""

    title: str
    slug: str  # file stem of the page and its image
    clusters: int | None = None  # families; None: choose k automatically
    mix_size: int = DEFAULT_MIX_SIZE  # the number of tracks a mix aims for
    features: tuple[str, ...] | None = None  # None: every continuous feature the file has
    representatives: int = 10
    columns: tuple[tuple[str, str], ...] = ()  # the user's `columns:` mapping, sorted
    # The words: a supported language's code (see `language`), and the user's `strings:`
    # (message -> text), sorted. The grouping does not depend on them (see `grouping_options`).
    language: str = "en"
    strings: tuple[tuple[str, str], ...] = ()
    # The user's template folders (see `templating`) and what their templates hold: the
    # pages depend on both, the groups on neither.
    templates: tuple[str, ...] = ()
    templates_digest: str = ""
    spotify_player: bool = False  # a click-to-load player for each mix's first track

    @property
    def grouping_options(self) -> PlaylistOptions:
        """These options without the wording, templates and player: what the groups depend
        on."""
        return dataclasses.replace(
            self,
            language="en",
            strings=(),
            templates=(),
            templates_digest="",
            spotify_player=False,
        )

    @property
    def settings(self) -> str:
        """The options the groups are made with, as a version of them records them (see
        `versions`): a version made with other ones is not kept as it is."""
        chosen = {
            "clusters": self.clusters,
            "columns": dict(self.columns),
            "features": list(self.features) if self.features is not None else None,
            "mix_size": self.mix_size,
        }
        return settings_text(chosen)

    @property
    def page_name(self) -> str:
        return f"{self.slug}.md"

    @property
    def image_name(self) -> str:
        return f"{self.slug}-clusters.png"

    @property
    def downloads_folder(self) -> str:
        return self.slug

    @property
    def svg_name(self) -> str:
        return f"{self.slug}-clusters.svg"

    @property
    def profile_name(self) -> str:
        return f"{self.slug}-profile.svg"

    @property
    def thumbnail_name(self) -> str:
        return f"{self.slug}-thumbnail.png"


@dataclass(frozen=True)
class MixSummary:
    number: int
    name: str
    size: int
    page: str = ""  # its family's page (in the section folder), "" for the playlist's page


@dataclass(frozen=True)
class FamilySummary:
    number: int
    name: str
    size: int
    mixes: tuple[MixSummary, ...]


@dataclass(frozen=True)
class PlaylistSummary:
    """What the overview page says of a playlist."""

    title: str
    tracks: int  # distinct tracks
    families: tuple[FamilySummary, ...] = ()
    thumbnail: str | None = None  # file name, beside the page
    problem: str | None = None  # why it was not grouped

    @property
    def one_level(self) -> bool:
        return all(len(family.mixes) == 1 for family in self.families)

    def to_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PlaylistSummary:
        families = tuple(
            FamilySummary(**{**family, "mixes": tuple(MixSummary(**m) for m in family["mixes"])})
            for family in data["families"]
        )
        return cls(**{**data, "families": families})


@dataclass
class GeneratedPlaylist:
    """The files generated for one playlist, named relative to the section folder, and the
    HTML that replaces the placeholders of its page (see `presenting.page_model.RenderedPage`)."""

    files: dict[str, bytes]
    warnings: list[str] = field(default_factory=list)
    indexed: dict[str, str] = field(default_factory=dict)
    unindexed: dict[str, str] = field(default_factory=dict)
    # The groups as a version of the playlist (`versions.Version.data`; b"" when not
    # grouped), and the digest of the version they started from ("" for none).
    assignment: bytes = b""
    based_on: str = ""
    summary: PlaylistSummary | None = None
    # The grouping behind the pages (see `stored_grouping`), and the cache key of the data
    # and options it depends on (`PlaylistOptions.grouping_options`): a page in another
    # language with the same key is rendered from it, without grouping again.
    grouping: bytes = b""
    grouping_key: str = ""
    # Lines for the build log that are not warnings (a previous state that did not fit); not
    # cached: they concern the build that made the result (see `generate_playlist`).
    notices: list[str] = field(default_factory=list)
    # False for the page of a bug: never cached, so that the next build tries again (a
    # MemoryError on a busy machine would otherwise be served for as long as the cache lives).
    cacheable: bool = True


def settings_text(settings: dict[str, Any]) -> str:
    """Grouping options as versions compare them: JSON with sorted keys."""
    return json.dumps(settings, ensure_ascii=False, sort_keys=True)


# In a fragment, stands for the relative URL of the folder of the page's Markdown file, as
# seen from the page's URL ("../" with directory URLs); escaped data text never contains it.
PAGE_FOLDER = "{page_folder}"
# In a fragment, ends the URL of a page beside it: "/" with directory URLs
# ("family-1/"), ".html" without ("family-1.html").
PAGE_END = "{page_end}"


def page_end(directory_urls: bool) -> str:
    """What `PAGE_END` stands for."""
    return "/" if directory_urls else ".html"


def placeholder(name: str) -> str:
    """The Markdown line a page's table `name` is inserted at: an HTML comment, which Markdown
    keeps as it is and themes do not show."""
    return f"<!-- playlist-clusters {name} -->"


PLACEHOLDER = re.compile(r"<!-- playlist-clusters ([\w-]+) -->")


def download_name(folder: str, name: str) -> str:
    """A download's path beside the page: in the playlist's folder and named after it too
    ("disco/disco-mix-7.csv"), so that a browser's Downloads folder, which keeps only the
    last name, keeps every playlist's files apart (a site's folders, and so these names,
    are unique)."""
    return f"{folder}/{folder}-{name}"
