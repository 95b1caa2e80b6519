"""The plugin's options: each one's default and rules, defined once and without MkDocs.

`Options` and `PlaylistEntry` list the options; each field carries its `Option` (default and
rule). `config.py` wraps the same rules in MkDocs' config classes for the plugin, and
`playlist-clusters generate` validates with `read_options`, so that the command runs where
MkDocs 1.x is not installed (beside MkDocs 2.0 or Zensical). Nothing here imports MkDocs.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from typing import Any, Generic, TypeVar

from ..presenting.escaping import is_relative_name
from ..language import N_, check_strings
from ..playlist import (  # no numpy, pandas
    CONTINUOUS_FEATURES,
    DEFAULT_MIX_SIZE,
    DERIVED_COLUMNS,
    TRACK_COLUMNS,
)

MAX_CLUSTERS = 30
DEFAULT_STATE_FILE = "playlist-clusters-state.json"
DEFAULT_SECTION = N_("Playlists")  # in the pages' language unless the user names the section
# Canonical columns a `columns:` mapping may name: those read from one column of the file.
MAPPABLE_COLUMNS = tuple(name for name in TRACK_COLUMNS if name not in DERIVED_COLUMNS)

T = TypeVar("T")
# Characters no page title can hold: control characters (a title's line breaks and tabs become
# spaces instead), surrogates (a file name's undecodable bytes) and U+FFFE/U+FFFF. YAML refuses
# them too, so one in a page's front matter would lose the page its title.
_NOT_IN_TITLES = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


class OptionError(ValueError):
    """A value an option does not accept: one line that says what the option expects."""


@dataclass
class Context:
    """What a rule may need besides the value."""

    config_dir: str | None  # the folder of mkdocs.yml, which paths are relative to
    warnings: list[str] = field(default_factory=list)


REQUIRED = object()  # the default of an option that must be given


@dataclass(frozen=True)
class Option(Generic[T]):
    """An option's default (None: it may be left out, and is then None) and its rule, which
    returns the value to use or raises `OptionError`."""

    default: object
    rule: Callable[[object, Context], T]

    def value(self, given: object, context: Context) -> T | None:
        """The option's value; left out or null, its default's."""
        if given is None:
            if self.default is REQUIRED:
                raise OptionError("required; add it")
            if self.default is None:
                return None
            given = self.default
        return self.rule(given, context)


def option(default: object, rule: Callable[[object, Context], Any]) -> dict[str, Option[Any]]:
    """The metadata of a dataclass field that is an option (see `schema`)."""
    return {"option": Option(default, rule)}


def schema(options: type[Any]) -> dict[str, Option[Any]]:
    """The options of `Options` or `PlaylistEntry`, by name, in their order."""
    return {item.name: item.metadata["option"] for item in fields(options)}


# The rules. Each takes the value given in mkdocs.yml and returns the value to use.


def flag(value: object, context: Context) -> bool:
    if not isinstance(value, bool):
        raise OptionError(f"expected true or false, got {value!r}")
    return value


def text(value: object, context: Context) -> str:
    if not isinstance(value, str):
        raise OptionError(f"expected text, got {value!r}")
    return value


def title_text(value: object, context: Context) -> str:
    """A page or section title: text without control characters."""
    given = text(value, context)
    if _NOT_IN_TITLES.search(given):
        raise OptionError(f"expected a title without control characters, got {given!r}")
    return given


def positive_int(value: object, context: Context) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise OptionError(f"expected a whole number of 1 or more, got {value!r}")
    return value


def cluster_count(value: object, context: Context) -> int | None:
    """`auto` (None) or a whole number of clusters from 2 to `MAX_CLUSTERS`."""
    if value == "auto":
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise OptionError(f"expected 'auto' or a whole number, got {value!r}")
    if not 2 <= value <= MAX_CLUSTERS:
        raise OptionError(f"expected 2 to {MAX_CLUSTERS} clusters, got {value}")
    return value


def track_count(value: object, context: Context) -> int:
    """How many tracks a mix aims for: 10 to 1,000."""
    if isinstance(value, bool) or not isinstance(value, int) or not 10 <= value <= 1000:
        raise OptionError(f"expected a number of tracks from 10 to 1000, got {value!r}")
    return value


def feature_list(value: object, context: Context) -> list[str]:
    """Continuous audio features, each listed once."""
    if not isinstance(value, list):
        raise OptionError(f"expected a list of features, got {value!r}")
    unknown = [name for name in value if name not in CONTINUOUS_FEATURES]
    if unknown:
        raise OptionError(
            f"{', '.join(map(repr, unknown))} is not a continuous audio feature; "
            f"expected some of: {', '.join(CONTINUOUS_FEATURES)}"
        )
    twice = sorted({name for name in value if value.count(name) > 1})
    if twice:
        raise OptionError(
            f"{', '.join(map(repr, twice))} listed more than once; list each feature once"
        )
    return list(value)


def site_folder(value: object, context: Context) -> str:
    """A folder of the site, relative to its root: never out of it (`..`) or absolute."""
    prefix = text(value, context)
    if prefix and not is_relative_name(prefix.removesuffix("/")):
        raise OptionError(
            "expected a folder of the site relative to its root, such as 'playlists' or "
            f"'music/clusters' (no '..', '.', '//' or leading '/'), got {prefix!r}"
        )
    return prefix


def column_mapping(value: object, context: Context) -> dict[str, str]:
    """`{canonical column: header in the file}`; unknown canonical names are mistakes."""
    if not isinstance(value, dict) or not all(
        isinstance(key, str) and isinstance(header, str) for key, header in value.items()
    ):
        raise OptionError(
            f"expected a mapping of canonical column to the file's header, got {value!r}"
        )
    unknown = sorted(set(value) - set(MAPPABLE_COLUMNS))
    if unknown:
        raise OptionError(
            f"unknown column {', '.join(map(repr, unknown))}; "
            f"expected some of: {', '.join(MAPPABLE_COLUMNS)}"
        )
    return dict(value)


def file_or_false(value: object, context: Context) -> str | bool:
    if not isinstance(value, str | bool):
        raise OptionError(f"expected a file name, or false for none, got {value!r}")
    return value


def folder_text(value: object, context: Context) -> str:
    """A folder that exists, relative to mkdocs.yml."""
    given = text(value, context)
    folder = os.path.join(context.config_dir or ".", given)
    if not os.path.isdir(folder):
        raise OptionError(f"expected a folder relative to mkdocs.yml, and {given!r} is none")
    return given


def language_code(value: object, context: Context) -> str:
    """A language's code, such as `de` or `pt-BR` (one without a catalogue falls back to
    English, with a notice, when the site is built)."""
    code = text(value, context).strip()
    if not code:
        raise OptionError("expected a language code such as de, fr or ja, got ''")
    return code


def phrase_mapping(value: object, context: Context) -> dict[str, str]:
    """`{English phrase: your text}`: the user's wording, over any language's catalogue."""
    if not isinstance(value, dict) or not all(
        isinstance(key, str) and isinstance(phrase, str) for key, phrase in value.items()
    ):
        raise OptionError(f"expected a mapping of English phrase to your text, got {value!r}")
    problems = check_strings(value)
    if problems:
        raise OptionError(problems[0])
    return dict(value)


def existing_file(value: object, context: Context) -> str:
    """An existing file, relative to mkdocs.yml; made absolute."""
    path = text(value, context)
    if context.config_dir and not os.path.isabs(path):
        path = os.path.join(context.config_dir, path)
    if os.path.isdir(path):
        raise OptionError(f"{path!r} isn't an existing file but a folder; name the export file")
    if not os.path.isfile(path):
        raise OptionError(f"the file {path!r} does not exist (paths are relative to mkdocs.yml)")
    return os.path.abspath(path)


@dataclass(frozen=True)
class PlaylistEntry:
    """One entry of `playlists:`."""

    path: str = field(metadata=option(REQUIRED, existing_file))
    """The export file, relative to mkdocs.yml (absolute once read)."""
    title: str | None = field(metadata=option(None, title_text))
    """The page's title; default: from the file name."""
    clusters: int | None = field(metadata=option("auto", cluster_count))
    """Families: `auto` picks their number by silhouette; a number is used as given."""
    mix_size: int | None = field(metadata=option(None, track_count))
    """Tracks a mix aims for; default: the plugin-wide `mix_size`."""
    features: list[str] | None = field(metadata=option(None, feature_list))
    """Features to cluster on; default: the plugin-wide `features`."""
    representatives: int | None = field(metadata=option(None, positive_int))
    """Rows in each cluster's table; default: the plugin-wide `representatives`."""
    columns: dict[str, str] | None = field(metadata=option(None, column_mapping))
    """Canonical column -> the file's header, for exports the reader does not recognise."""


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

    enabled: bool = field(metadata=option(True, flag))
    """Turn the plugin off without removing its configuration."""
    playlists: list[PlaylistEntry] = field(metadata=option([], playlist_list))
    """The playlist files; each gets a page."""
    section: str = field(metadata=option(DEFAULT_SECTION, title_text))
    """Title of the navigation section that holds the pages."""
    url_prefix: str = field(metadata=option("playlists", site_folder))
    """Folder of the site the pages and images go in."""
    overview: bool = field(metadata=option(True, flag))
    """An overview page of all playlists, `index.md` in that folder: the section's first page."""
    representatives: int = field(metadata=option(10, positive_int))
    """Tracks shown in each mix's table, nearest its centre first."""
    mix_size: int = field(metadata=option(DEFAULT_MIX_SIZE, track_count))
    """Tracks a mix aims for: a family of n tracks is split into round(n / mix_size) mixes."""
    state_file: str | bool = field(metadata=option(DEFAULT_STATE_FILE, file_or_false))
    """The file, relative to mkdocs.yml, that keeps each track's family and mix between
    builds, so that numbers stay put without the cache (commit it); `false`: none."""
    features: list[str] | None = field(metadata=option(None, feature_list))
    """Features to cluster on; default: every continuous audio feature the file has."""
    cache: bool = field(metadata=option(True, flag))
    """Keep results on disk so unchanged playlists are not clustered again."""
    cache_dir: str = field(metadata=option(".cache/plugin/playlist-clusters", text))
    """Where the cache lives, relative to mkdocs.yml."""
    language: str | None = field(metadata=option(None, language_code))
    """The pages' language (en, de, es, fr, it, ja, ko, pl, pt); default: the theme's."""
    strings: dict[str, str] = field(metadata=option({}, phrase_mapping))
    """English phrase -> your text, to reword any phrase the plugin writes."""
    templates: str | None = field(metadata=option(None, folder_text))
    """A folder, relative to mkdocs.yml, of your own copies of the page templates (see
    `templating`); `playlist-clusters/` in the theme's `custom_dir` works too."""


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
    words = re.split(r"[-_\s]+", _NOT_IN_TITLES.sub(" ", file_stem(path)))
    return " ".join(w[:1].upper() + w[1:] if w.islower() else w for w in words if w) or "Playlist"


def slugify(text: str) -> str:
    """URL-safe file stem for a playlist page; keeps letters of any script."""
    slug = re.sub(r"[^\w]+", "-", text.casefold()).strip("-_")
    return slug or "playlist"
