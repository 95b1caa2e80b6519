"""The plugin's options: each one's default and rules, defined once and without MkDocs.

`Options` and `PlaylistEntry` list the options; each field carries its `Option` (default, rule
and description), and each rule says what it accepts as JSON schema (`accepts`): the one
definition the docs site's options reference and `docs/schema.json` are generated from
(`docs/hooks.py`; `tests/test_options_reference.py` fails when they drift). `config.py`
wraps the same rules in MkDocs' config classes for the plugin, and
`playlist-clusters generate` validates with `read_options`, so that the command runs where
MkDocs 1.x is not installed (beside MkDocs 2.0 or Zensical). Nothing here imports MkDocs.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..language import N_
from ..playlist import (  # no numpy, pandas
    CONTINUOUS_FEATURES,
    DEFAULT_MIX_SIZE,
    MAX_CLUSTERS,
)
from .option_rules import (
    MAPPABLE_COLUMNS,
    NOT_IN_TITLES,
    REQUIRED,
    Context,
    Option,
    OptionError,
    accepts,
    cluster_count,
    column_mapping,
    existing_file,
    feature_list,
    file_or_false,
    flag,
    folder_text,
    language_code,
    option,
    phrase_mapping,
    positive_int,
    schema,
    site_folder,
    text,
    title_text,
    track_count,
)

DEFAULT_STATE_FILE = "playlist-clusters-state.json"
DEFAULT_SECTION = N_("Playlists")  # in the pages' language unless the user names the section


@dataclass(frozen=True)
class PlaylistEntry:
    """One entry of `playlists:` (a bare path is an entry with only its `path`)."""

    path: str = field(
        metadata=option(
            REQUIRED,
            existing_file,
            "The export file, relative to `mkdocs.yml`. The page is named after this name, "
            "also when it is a link (git-annex, for one, links to a file named by its hash).",
        )
    )
    title: str | None = field(
        metadata=option(None, title_text, "The page's title. Default: from the file name.")
    )
    clusters: int | None = field(
        metadata=option(
            "auto",
            cluster_count,
            f"Families: `auto` (2 to 8, chosen by silhouette), or a number from 2 to "
            f"{MAX_CLUSTERS}, used as given.",
        )
    )
    mix_size: int | None = field(
        metadata=option(
            None, track_count, "`mix_size` for this playlist. Default: the plugin's `mix_size`."
        )
    )
    features: list[str] | None = field(
        metadata=option(
            None, feature_list, "`features` for this playlist. Default: the plugin's `features`."
        )
    )
    representatives: int | None = field(
        metadata=option(
            None,
            positive_int,
            "`representatives` for this playlist. Default: the plugin's `representatives`.",
        )
    )
    columns: dict[str, str] | None = field(
        metadata=option(
            None,
            column_mapping,
            "For a file whose headers the reader does not recognise: canonical column → the "
            "file's header, e.g. `{name: Titel, artists: Interpret, danceability: Tanz}`. "
            f"Canonical columns: {', '.join(f'`{name}`' for name in MAPPABLE_COLUMNS)}. "
            "A header the file lacks stops the build with the headers it has. "
            "Default: recognised automatically.",
        )
    )


@accepts(
    {
        "type": "array",
        "items": {"anyOf": [{"type": "string", "minLength": 1}, {"$ref": "#/$defs/playlist"}]},
    }
)
def playlist_list(value: object, context: Context) -> list[PlaylistEntry]:
    """The playlists: each a bare path or a mapping with `path` and options."""
    if not isinstance(value, list):
        raise OptionError(f"expected a list of playlist files, got {value!r}")
    entries = []
    for number, entry in enumerate(value, start=1):
        given = {"path": entry} if isinstance(entry, str) else entry
        if not isinstance(given, dict):
            raise OptionError(
                f"entry {number}: expected a file name or a mapping with a 'path', got {entry!r}"
            )
        try:
            values, warnings = validate(schema(PlaylistEntry), given, context.config_dir)
        except OptionError as error:
            raise OptionError(f"entry {number}: {error}") from None
        context.warnings += [f"entry {number}: {warning}" for warning in warnings]
        entries.append(PlaylistEntry(**values))
    return entries


@dataclass(frozen=True)
class Options:
    """Options of the `playlist-clusters` plugin."""

    enabled: bool = field(
        metadata=option(True, flag, "Turn the plugin off without removing its configuration.")
    )
    playlists: list[PlaylistEntry] = field(
        metadata=option(
            [],
            playlist_list,
            "The playlist files; each gets a page. Each entry is a path, or a mapping with "
            "`path` and the per-playlist options.",
        )
    )
    section: str = field(
        metadata=option(
            DEFAULT_SECTION,
            title_text,
            "Title of the navigation section that holds the pages; left out, `Playlists` in "
            "the pages' language.",
        )
    )
    url_prefix: str = field(
        metadata=option(
            "playlists",
            site_folder,
            "Folder of the site the pages and images go in, relative to its root (no `..` or "
            "leading `/`).",
        )
    )
    overview: bool = field(
        metadata=option(
            True,
            flag,
            "An overview page of all playlists, `index.md` in that folder: the section's first "
            "page. Turn it off if you have a page of your own there.",
        )
    )
    representatives: int = field(
        metadata=option(
            10, positive_int, "Tracks shown in each mix's table, nearest its centre first."
        )
    )
    mix_size: int = field(
        metadata=option(
            DEFAULT_MIX_SIZE,
            track_count,
            "Tracks a mix aims for (10 to 1,000): a family of n tracks is split into "
            "round(n / mix_size) mixes.",
        )
    )
    state_file: str | bool = field(
        metadata=option(
            DEFAULT_STATE_FILE,
            file_or_false,
            "The file, relative to `mkdocs.yml`, that keeps each track's family and mix "
            "between builds, so that numbers stay put without the cache: commit it. A file of "
            "the project folder: not a playlist file, `mkdocs.yml`, or anything in `docs_dir` "
            "or `site_dir`. `false`: none.",
        )
    )
    features: list[str] | None = field(
        metadata=option(
            None,
            feature_list,
            "Audio features to cluster on, each listed once: any of "
            f"{', '.join(f'`{name}`' for name in CONTINUOUS_FEATURES)}. Default: every one "
            "the file has values for.",
        )
    )
    cache: bool = field(
        metadata=option(
            True, flag, "Keep results on disk so unchanged playlists are not clustered again."
        )
    )
    cache_dir: str = field(
        metadata=option(
            ".cache/plugin/playlist-clusters",
            text,
            "Where the cache lives, relative to `mkdocs.yml`: a folder of its own, not `.`, "
            "`docs_dir` or `site_dir` (nor inside or around them).",
        )
    )
    language: str | None = field(
        metadata=option(
            None,
            language_code,
            "The pages' language, by its code (`de`, `pt-BR`): one of the shipped languages; "
            "another gives English pages. Default: the theme's.",
        )
    )
    strings: dict[str, str] = field(
        metadata=option(
            {},
            phrase_mapping,
            "Your own wording, in any language: English phrase → your text, to reword any "
            "phrase the plugin writes.",
        )
    )
    templates: str | None = field(
        metadata=option(
            None,
            folder_text,
            "A folder, relative to `mkdocs.yml`, of your own copies of the page templates "
            "(`playlist-clusters/` in the theme's `custom_dir` works too). Default: none, the "
            "shipped templates.",
        )
    )
    spotify_player: bool = field(
        metadata=option(
            False,
            flag,
            "Offer Spotify's player for each mix's first track, loaded only after a click: "
            "no request reaches Spotify before. Without the plugin's script (pages written by "
            "`playlist-clusters generate`), the link opens the track on Spotify.",
        )
    )


def validate(
    options: Mapping[str, Option[Any]], given: Mapping[Any, object], config_dir: str | None
) -> tuple[dict[str, Any], list[str]]:
    """Each option's value from `given`, and a warning for each name that is not an option.
    An `OptionError` names the option."""
    context = Context(config_dir)
    values: dict[str, Any] = {}
    for name, rule in options.items():
        try:
            values[name] = rule.value(given.get(name), context)
        except OptionError as error:
            raise OptionError(f"option '{name}': {error}") from None
    unknown = sorted(str(name) for name in given if name not in options)
    return values, context.warnings + [f"option '{name}': unknown, ignored" for name in unknown]


def read_options(given: Mapping[Any, object], config_file: str | None) -> tuple[Options, list[str]]:
    """The plugin's options from their mapping in mkdocs.yml, validated, and the warnings."""
    config_dir = os.path.dirname(config_file) if config_file else None
    values, warnings = validate(schema(Options), given, config_dir)
    return Options(**values), warnings


def options_from(values: Mapping[str, Any]) -> Options:
    """`Options` from values already validated by their rules (MkDocs' plugin config)."""
    return Options(**{name: values[name] for name in schema(Options)})


def file_stem(path: str) -> str:
    """ "data/k-pop_favorites.csv.gz" -> "k-pop_favorites": the name without data extensions."""
    name = path.replace("\\", "/").rsplit("/", 1)[-1]
    return re.sub(r"\.(csv|tsv|txt|json|parquet)(\.gz)?$", "", name, flags=re.IGNORECASE)


def title_from_path(path: str) -> str:
    """ "k-pop_favorites.csv" -> "K Pop Favorites": a readable default title."""
    words = re.split(r"[-_\s]+", NOT_IN_TITLES.sub(" ", file_stem(path)))
    return " ".join(w[:1].upper() + w[1:] if w.islower() else w for w in words if w) or "Playlist"


def slugify(text: str) -> str:
    """URL-safe file stem for a playlist page; keeps letters of any script."""
    slug = re.sub(r"[^\w]+", "-", text.casefold()).strip("-_")
    return slug or "playlist"
