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
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from typing import Any, Generic, TypeVar

from ..language import N_, SUPPORTED, check_strings
from ..playlist import (  # no numpy, pandas
    CONTINUOUS_FEATURES,
    DEFAULT_MIX_SIZE,
    DERIVED_COLUMNS,
    TRACK_COLUMNS,
)
from ..presenting.escaping import is_relative_name

MAX_CLUSTERS = 30
DEFAULT_STATE_FILE = "playlist-clusters-state.json"
DEFAULT_SECTION = N_("Playlists")  # in the pages' language unless the user names the section
# Canonical columns a `columns:` mapping may name: those read from one column of the file.
MAPPABLE_COLUMNS = tuple(name for name in TRACK_COLUMNS if name not in DERIVED_COLUMNS)

T = TypeVar("T")
R = TypeVar("R", bound=Callable[..., Any])
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
    """An option's default (None: it may be left out, and is then None), its rule, which
    returns the value to use or raises `OptionError`, and its description: what it does, in
    plain words for site owners (the options reference and the editors' schema say it)."""

    default: object
    rule: Callable[[object, Context], T]
    doc: str

    def value(self, given: object, context: Context) -> T | None:
        """The option's value; left out or null, its default's."""
        if given is None:
            if self.default is REQUIRED:
                raise OptionError("required; add it")
            if self.default is None:
                return None
            given = self.default
        return self.rule(given, context)


def option(
    default: object, rule: Callable[[object, Context], Any], doc: str
) -> dict[str, Option[Any]]:
    """The metadata of a dataclass field that is an option (see `schema`)."""
    return {"option": Option(default, rule, doc)}


def schema(options: type[Any]) -> dict[str, Option[Any]]:
    """The options of `Options` or `PlaylistEntry`, by name, in their order."""
    return {item.name: item.metadata["option"] for item in fields(options)}


# What each rule accepts, as JSON schema (draft-07): the editors' schema and the options
# reference are made from it. `#/$defs/playlist` is `PlaylistEntry`'s (docs/hooks.py).
ACCEPTS: dict[Callable[..., Any], dict[str, Any]] = {}


def accepts(json_schema: dict[str, Any]) -> Callable[[R], R]:
    """Records what the rule it decorates accepts, as JSON schema."""

    def record(rule: R) -> R:
        ACCEPTS[rule] = json_schema
        return rule

    return record


# The rules. Each takes the value given in mkdocs.yml and returns the value to use.


@accepts({"type": "boolean"})
def flag(value: object, context: Context) -> bool:
    if not isinstance(value, bool):
        raise OptionError(f"expected true or false, got {value!r}")
    return value


@accepts({"type": "string"})
def text(value: object, context: Context) -> str:
    if not isinstance(value, str):
        raise OptionError(f"expected text, got {value!r}")
    return value


@accepts({"type": "string"})
def title_text(value: object, context: Context) -> str:
    """A page or section title: text without control characters."""
    given = text(value, context)
    if _NOT_IN_TITLES.search(given):
        raise OptionError(f"expected a title without control characters, got {given!r}")
    return given


@accepts({"type": "integer", "minimum": 1})
def positive_int(value: object, context: Context) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise OptionError(f"expected a whole number of 1 or more, got {value!r}")
    return value


@accepts({"anyOf": [{"const": "auto"}, {"type": "integer", "minimum": 2, "maximum": MAX_CLUSTERS}]})
def cluster_count(value: object, context: Context) -> int | None:
    """`auto` (None) or a whole number of clusters from 2 to `MAX_CLUSTERS`."""
    if value == "auto":
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise OptionError(f"expected 'auto' or a whole number, got {value!r}")
    if not 2 <= value <= MAX_CLUSTERS:
        raise OptionError(f"expected 2 to {MAX_CLUSTERS} clusters, got {value}")
    return value


@accepts({"type": "integer", "minimum": 10, "maximum": 1000})
def track_count(value: object, context: Context) -> int:
    """How many tracks a mix aims for: 10 to 1,000."""
    if isinstance(value, bool) or not isinstance(value, int) or not 10 <= value <= 1000:
        raise OptionError(f"expected a number of tracks from 10 to 1000, got {value!r}")
    return value


@accepts({"type": "array", "items": {"enum": list(CONTINUOUS_FEATURES)}, "uniqueItems": True})
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


@accepts({"type": "string"})
def site_folder(value: object, context: Context) -> str:
    """A folder of the site, relative to its root: never out of it (`..`) or absolute."""
    prefix = text(value, context)
    if prefix and not is_relative_name(prefix.removesuffix("/")):
        raise OptionError(
            "expected a folder of the site relative to its root, such as 'playlists' or "
            f"'music/clusters' (no '..', '.', '//' or leading '/'), got {prefix!r}"
        )
    return prefix


@accepts(
    {
        "type": "object",
        "propertyNames": {"enum": list(MAPPABLE_COLUMNS)},
        "additionalProperties": {"type": "string"},
    }
)
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


@accepts({"type": ["string", "boolean"]})
def file_or_false(value: object, context: Context) -> str | bool:
    if not isinstance(value, str | bool):
        raise OptionError(f"expected a file name, or false for none, got {value!r}")
    return value


@accepts({"type": "string"})
def folder_text(value: object, context: Context) -> str:
    """A folder that exists, relative to mkdocs.yml."""
    given = text(value, context)
    folder = os.path.join(context.config_dir or ".", given)
    if not os.path.isdir(folder):
        raise OptionError(f"expected a folder relative to mkdocs.yml, and {given!r} is none")
    return given


@accepts({"anyOf": [{"enum": list(SUPPORTED)}, {"type": "string", "minLength": 1}]})
def language_code(value: object, context: Context) -> str:
    """A language's code, such as `de` or `pt-BR` (one without a catalogue falls back to
    English, with a notice, when the site is built)."""
    code = text(value, context).strip()
    if not code:
        raise OptionError("expected a language code such as de, fr or ja, got ''")
    return code


@accepts({"type": "object", "additionalProperties": {"type": "string"}})
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


@accepts({"type": "string", "minLength": 1})
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
    words = re.split(r"[-_\s]+", _NOT_IN_TITLES.sub(" ", file_stem(path)))
    return " ".join(w[:1].upper() + w[1:] if w.islower() else w for w in words if w) or "Playlist"


def slugify(text: str) -> str:
    """URL-safe file stem for a playlist page; keeps letters of any script."""
    slug = re.sub(r"[^\w]+", "-", text.casefold()).strip("-_")
    return slug or "playlist"
