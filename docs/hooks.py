"""The docs site's MkDocs hooks (`hooks:` in docs/mkdocs.yml), and what they make from the
package's one definition of its options (`mkdocs_playlist_clusters/options.py`) and languages
(`language.SUPPORTED`):

- the options reference: `<!-- options-reference -->` in a page becomes a section per option,
  with what it accepts, its default and its description;
- the languages: `<!-- languages -->` becomes the table of the languages the package ships;
- the file list: `<!-- package-files -->` becomes the package's modules, each with its lines
  and the first line of its docstring;
- docs/schema.json, the JSON schema that editors check a `playlist-clusters` entry of
  `mkdocs.yml` with, shaped as Material for MkDocs' plugin schemas are. `python docs/hooks.py`
  writes it again (`--check`: only says whether it is up to date); the site publishes it at
  its root, and `tests/test_options_reference.py` fails when the committed file differs from
  what the definition gives;
- docs/assets/ (the README's picture) and docs/schema.json join the site's files, so that the
  pages link them where they are.

Nothing here is a dependency of the package: MkDocs runs it when it builds the docs site.
"""

from __future__ import annotations

import argparse
import ast
import json
import sys
from pathlib import Path
from typing import Any

from babel import Locale

import mkdocs_playlist_clusters
from mkdocs_playlist_clusters.building.option_rules import ACCEPTS, REQUIRED, Option, schema
from mkdocs_playlist_clusters.building.options import Options, PlaylistEntry
from mkdocs_playlist_clusters.language import SUPPORTED

DOCS = Path(__file__).resolve().parent
SCHEMA_FILE = DOCS / "schema.json"
ASSETS = DOCS / "assets"
PLUGIN = "playlist-clusters"
OPTIONS_MARKER = "<!-- options-reference -->"
LANGUAGES_MARKER = "<!-- languages -->"
FILES_MARKER = "<!-- package-files -->"
PACKAGE = Path(mkdocs_playlist_clusters.__file__).parent  # the one imported: also a wheel's


# What an option accepts and its default, in words for the reference page.


def yaml_value(value: object) -> str:
    """A value as it is written in mkdocs.yml."""
    return json.dumps(value, ensure_ascii=False).strip('"') if not isinstance(value, str) else value


def words(accepted: dict[str, Any]) -> str:
    """What a JSON schema accepts, in words ("a whole number from 10 to 1000")."""
    if "$ref" in accepted:
        return "a mapping with `path` and the per-playlist options"
    if "anyOf" in accepted:
        return ", or ".join(words(part) for part in accepted["anyOf"])
    if "const" in accepted:
        return f"`{yaml_value(accepted['const'])}`"
    if "enum" in accepted:
        return "one of " + ", ".join(f"`{yaml_value(value)}`" for value in accepted["enum"])
    kind = accepted.get("type")
    if isinstance(kind, list):
        return ", or ".join(words({"type": one}) for one in kind)
    if kind == "boolean":
        return "`true` or `false`"
    if kind == "string":
        return "text"
    if kind == "integer":
        low, high = accepted.get("minimum"), accepted.get("maximum")
        if low is not None and high is not None:
            return f"a whole number from {low} to {high}"
        return f"a whole number, {low} or more" if low is not None else "a whole number"
    if kind == "array":
        items = accepted["items"]
        each = "names, each once" if "enum" in items else f"entries, each {words(items)}"
        return f"a list of {each}"
    if kind == "object":
        keys = "a column's name" if "propertyNames" in accepted else "text"
        return f"a mapping of {keys} to {words(accepted['additionalProperties'])}"
    raise ValueError(f"no words for {accepted}")


def accepted(option: Option[Any]) -> dict[str, Any]:
    """What an option's rule accepts, as JSON schema."""
    try:
        return ACCEPTS[option.rule]
    except KeyError:
        raise ValueError(f"rule {option.rule.__name__} says nothing of what it accepts") from None


def option_section(name: str, option: Option[Any], anchor: str) -> str:
    """One option's part of the reference: heading, what it accepts, default, description."""
    facts = [f"**Accepts:** {words(accepted(option))}"]
    if option.default is REQUIRED:
        facts.append("**Required**")
    elif option.default is not None:  # a None default is said by the description
        facts.append(f"**Default:** `{yaml_value(option.default)}`")
    return f"### `{name}` {{#{anchor}}}\n\n{' · '.join(facts)}\n\n{option.doc}\n"


def reference_markdown() -> str:
    """The options reference: the plugin's options, then those of each playlist entry."""
    parts = ["## Plugin options\n"]
    parts += [option_section(name, opt, name) for name, opt in schema(Options).items()]
    parts.append(
        "## Per playlist\n\nAn entry of `playlists` is a path, or a mapping of these options "
        "with its `path`.\n"
    )
    parts += [
        option_section(name, opt, f"entry-{name}") for name, opt in schema(PlaylistEntry).items()
    ]
    return "\n".join(parts)


def languages_markdown() -> str:
    """The table of the shipped languages, from `language.SUPPORTED`."""
    rows = ["| `language` | language | in its own words |", "|---|---|---|"]
    for code in SUPPORTED:
        locale = Locale.parse(code)
        rows.append(f"| `{code}` | {locale.english_name} | {locale.get_display_name(code)} |")
    return "\n".join(rows) + "\n"


def package_files_markdown() -> str:
    """The package's modules (in any folder), each with its lines and its docstring's first
    line."""
    rows = ["| module | lines | what it is |", "|---|---:|---|"]
    for path in sorted(PACKAGE.rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        docstring = ast.get_docstring(ast.parse(source)) or ""
        first = " ".join(docstring.split("\n\n")[0].split()).replace("|", "\\|")
        name = path.relative_to(PACKAGE).as_posix()
        rows.append(f"| `{name}` | {source.count(chr(10)):,} | {first} |")
    return "\n".join(rows) + "\n"


# The JSON schema for editors.


def properties(options: dict[str, Option[Any]]) -> dict[str, Any]:
    """Each option's JSON schema: what its rule accepts, its description and default."""
    result = {}
    for name, option in options.items():
        described: dict[str, Any] = {"description": option.doc}
        described["markdownDescription"] = option.doc
        described.update(accepted(option))
        if option.default is not None and option.default is not REQUIRED:
            described["default"] = option.default
        result[name] = described
    return result


def json_schema() -> dict[str, Any]:
    """The schema of a `playlist-clusters` entry of `plugins:` in mkdocs.yml (draft-07, as
    Material's and other plugins' `schema.json`): the bare name, or the name with options."""
    entry = schema(PlaylistEntry)
    return {
        "$schema": "https://json-schema.org/draft-07/schema",
        "title": "Playlist clusters: a page of families and mixes for each playlist export",
        "oneOf": [
            {"title": "Playlist clusters, with the default options", "enum": [PLUGIN]},
            {
                "type": "object",
                "properties": {
                    PLUGIN: {
                        "title": "Playlist clusters",
                        "type": "object",
                        "properties": properties(schema(Options)),
                        "additionalProperties": False,
                    }
                },
                "additionalProperties": False,
            },
        ],
        "$defs": {
            "playlist": {
                "title": "A playlist export and its options",
                "type": "object",
                "properties": properties(entry),
                "required": [name for name, opt in entry.items() if opt.default is REQUIRED],
                "additionalProperties": False,
            }
        },
    }


def schema_text() -> str:
    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"


# The hooks.


def on_files(files: Any, config: Any) -> Any:
    """docs/assets/ and docs/schema.json join the site, at assets/ and its root."""
    from mkdocs.structure.files import File

    paths = [f"assets/{path.name}" for path in sorted(ASSETS.glob("*.png"))] + ["schema.json"]
    for path in paths:
        files.append(File(path, str(DOCS), config["site_dir"], config["use_directory_urls"]))
    return files


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    """The generated parts of the pages, in place of their markers."""
    markdown = markdown.replace(OPTIONS_MARKER, reference_markdown())
    markdown = markdown.replace(LANGUAGES_MARKER, languages_markdown())
    return markdown.replace(FILES_MARKER, package_files_markdown())


def main() -> int:
    parser = argparse.ArgumentParser(description="Write docs/schema.json from options.py.")
    parser.add_argument("--check", action="store_true", help="only say if it is up to date")
    arguments = parser.parse_args()
    current = SCHEMA_FILE.read_text(encoding="utf-8") if SCHEMA_FILE.exists() else ""
    if current == schema_text():
        print(f"{SCHEMA_FILE.name} is up to date")
        return 0
    if arguments.check:
        print(f"{SCHEMA_FILE.name} is out of date: run python docs/hooks.py", file=sys.stderr)
        return 1
    SCHEMA_FILE.write_text(schema_text(), encoding="utf-8")
    print(f"wrote {SCHEMA_FILE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
