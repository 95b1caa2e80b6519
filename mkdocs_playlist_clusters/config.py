"""The plugin's options in mkdocs.yml."""

from __future__ import annotations

import re

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.base import BaseConfigOption, ValidationError

from .escaping import is_relative_name
from .language import check_strings
from .playlist import (  # no numpy, pandas
    CONTINUOUS_FEATURES,
    DEFAULT_MIX_SIZE,
    DERIVED_COLUMNS,
    TRACK_COLUMNS,
)

MAX_CLUSTERS = 30


DEFAULT_STATE_FILE = "playlist-clusters-state.json"


class PositiveInt(c.Type[int]):
    """A whole number of 1 or more."""

    def __init__(self, default: int | None = None) -> None:
        super().__init__(int, default=default)

    def run_validation(self, value: object) -> int:
        number = super().run_validation(value)
        if isinstance(number, bool) or number < 1:
            raise ValidationError(f"expected a whole number of 1 or more, got {value!r}")
        return number


class ClusterCount(BaseConfigOption[int | None]):
    """`auto` (None) or a whole number of clusters from 2 to `MAX_CLUSTERS`."""

    def __init__(self) -> None:
        super().__init__()
        self.default = "auto"

    def run_validation(self, value: object) -> int | None:
        if value is None or value == "auto":
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValidationError(f"expected 'auto' or a whole number, got {value!r}")
        if not 2 <= value <= MAX_CLUSTERS:
            raise ValidationError(f"expected 2 to {MAX_CLUSTERS} clusters, got {value}")
        return value


class FeatureList(c.ListOfItems[str]):
    """Continuous audio features, each listed once."""

    def __init__(self) -> None:
        super().__init__(c.Choice(CONTINUOUS_FEATURES))

    def run_validation(self, value: object) -> list[str]:
        features = super().run_validation(value)
        twice = sorted({name for name in features if features.count(name) > 1})
        if twice:
            raise ValidationError(
                f"{', '.join(map(repr, twice))} listed more than once; list each feature once"
            )
        return features


class UrlPrefix(c.Type[str]):
    """A folder of the site, relative to its root: never out of it (`..`) or absolute."""

    def __init__(self, default: str) -> None:
        super().__init__(str, default=default)

    def run_validation(self, value: object) -> str:
        prefix = super().run_validation(value)
        if prefix and not is_relative_name(prefix.removesuffix("/")):
            raise ValidationError(
                "expected a folder of the site relative to its root, such as 'playlists' or "
                f"'music/clusters' (no '..', '.', '//' or leading '/'), got {prefix!r}"
            )
        return prefix


# Canonical columns a `columns:` mapping may name: those read from one column of the file.
MAPPABLE_COLUMNS = tuple(name for name in TRACK_COLUMNS if name not in DERIVED_COLUMNS)


class ColumnMapping(c.DictOfItems[str]):
    """`{canonical column: header in the file}`; unknown canonical names are mistakes."""

    def __init__(self) -> None:
        super().__init__(c.Type(str))

    def run_validation(self, value: object) -> dict[str, str]:
        mapping = super().run_validation(value)
        unknown = sorted(set(mapping) - set(MAPPABLE_COLUMNS))
        if unknown:
            raise ValidationError(
                f"unknown column {', '.join(map(repr, unknown))}; "
                f"expected some of: {', '.join(MAPPABLE_COLUMNS)}"
            )
        return mapping


class MixSize(c.Type[int]):
    """How many tracks a mix aims for: 10 to 1,000."""

    def __init__(self, default: int | None = None) -> None:
        super().__init__(int, default=default)

    def run_validation(self, value: object) -> int:
        number = super().run_validation(value)
        if isinstance(number, bool) or not 10 <= number <= 1000:
            raise ValidationError(f"expected a number of tracks from 10 to 1000, got {value!r}")
        return number


class Strings(c.DictOfItems[str]):
    """`{English phrase: your text}`: the user's wording, over any language's catalogue."""

    def __init__(self) -> None:
        super().__init__(c.Type(str), default={})

    def run_validation(self, value: object) -> dict[str, str]:
        strings = super().run_validation(value)
        problems = check_strings(strings)
        if problems:
            raise ValidationError(problems[0])
        return strings


class PlaylistConfig(base.Config):
    """One entry of `playlists:`."""

    path = c.File(exists=True)
    """The export file, relative to mkdocs.yml."""
    title = c.Optional(c.Type(str))
    """Shown as "Clusters in <title>"; default: from the file name."""
    clusters = ClusterCount()
    """Families: `auto` picks their number by silhouette; a number is used as given."""
    mix_size = c.Optional(MixSize())
    """Tracks a mix aims for; default: the plugin-wide `mix_size`."""
    features = c.Optional(FeatureList())
    """Features to cluster on; default: the plugin-wide `features`."""
    representatives = c.Optional(PositiveInt())
    """Rows in each cluster's table; default: the plugin-wide `representatives`."""
    columns = c.Optional(ColumnMapping())
    """Canonical column -> the file's header, for exports the reader does not recognise."""


class PlaylistEntry(c.SubConfig[PlaylistConfig]):
    """A playlist given as a bare path or as a mapping with options."""

    def run_validation(self, value: object) -> PlaylistConfig:
        if isinstance(value, str):
            value = {"path": value}
        return super().run_validation(value)


class PluginConfig(base.Config):
    """Options of the `playlist-clusters` plugin."""

    enabled = c.Type(bool, default=True)
    """Turn the plugin off without removing its configuration."""
    playlists = c.ListOfItems(PlaylistEntry(), default=[])
    """The playlist files; each gets a page."""
    section = c.Type(str, default="Playlists")
    """Title of the navigation section that holds the pages."""
    url_prefix = UrlPrefix(default="playlists")
    """Folder of the site the pages and images go in."""
    overview = c.Type(bool, default=True)
    """An overview page of all playlists, `index.md` in that folder: the section's first page."""
    representatives = PositiveInt(default=10)
    """Tracks shown in each mix's table, nearest its centre first."""
    mix_size = MixSize(default=DEFAULT_MIX_SIZE)
    """Tracks a mix aims for: a family of n tracks is split into round(n / mix_size) mixes."""
    state_file = c.Type((str, bool), default=DEFAULT_STATE_FILE)
    """The file, relative to mkdocs.yml, that keeps each track's family and mix between
    builds, so that numbers stay put without the cache (commit it); `false`: none."""
    features = c.Optional(FeatureList())
    """Features to cluster on; default: every continuous audio feature the file has."""
    cache = c.Type(bool, default=True)
    """Keep results on disk so unchanged playlists are not clustered again."""
    cache_dir = c.Type(str, default=".cache/plugin/playlist-clusters")
    """Where the cache lives, relative to mkdocs.yml."""
    language = c.Optional(c.Type(str))
    """The pages' language (en, de, es, fr, ja, ko, pl, pt); default: the theme's."""
    strings = Strings()
    """English phrase -> your text, to reword any phrase the plugin writes."""


def file_stem(path: str) -> str:
    """ "data/k-pop_favorites.csv.gz" -> "k-pop_favorites": the name without data extensions."""
    name = path.replace("\\", "/").rsplit("/", 1)[-1]
    return re.sub(r"\.(csv|tsv|txt|json|parquet)(\.gz)?$", "", name, flags=re.IGNORECASE)


def title_from_path(path: str) -> str:
    """ "k-pop_favorites.csv" -> "K Pop Favorites": a readable default title."""
    words = re.split(r"[-_\s]+", file_stem(path))
    return " ".join(w[:1].upper() + w[1:] if w.islower() else w for w in words if w) or "Playlist"


def slugify(text: str) -> str:
    """URL-safe file stem for a playlist page; keeps letters of any script."""
    slug = re.sub(r"[^\w]+", "-", text.casefold()).strip("-_")
    return slug or "playlist"
