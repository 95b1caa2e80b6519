"""What each option accepts: an `Option` is a default and a rule, and each rule checks a value
from mkdocs.yml and says as JSON schema what it accepts (`accepts`), for the docs site's
reference and `docs/schema.json`."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from typing import Any, Generic, TypeVar

from ..escaping import is_relative_name
from ..language import SUPPORTED, check_strings
from ..playlist import (  # no numpy, pandas
    CONTINUOUS_FEATURES,
    DERIVED_COLUMNS,
    MAX_CLUSTERS,
    TRACK_COLUMNS,
)

# Canonical columns a `columns:` mapping may name: those read from one column of the file.
MAPPABLE_COLUMNS = tuple(name for name in TRACK_COLUMNS if name not in DERIVED_COLUMNS)
T = TypeVar("T")
R = TypeVar("R", bound=Callable[..., Any])
# Characters no page title can hold: control characters (a title's line breaks and tabs become
# spaces instead), surrogates (a file name's undecodable bytes) and U+FFFE/U+FFFF. YAML refuses
# them too, so one in a page's front matter would lose the page its title.
NOT_IN_TITLES = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


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
    if NOT_IN_TITLES.search(given):
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
