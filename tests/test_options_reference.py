"""The options are defined once (`options.py`: `Options` and `PlaylistEntry`), and the docs
site's reference and the editors' schema (`docs/schema.json`) are made from that definition
by `docs/hooks.py`. These tests fail when they drift apart: the committed schema is not what
the definition gives, an option has no description or no JSON schema, or a `mkdocs.yml`
example in the docs or the README uses an option that does not exist. The languages are one
list too: `language.SUPPORTED`, read from the locale folder."""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

import pytest
import yaml

from mkdocs_playlist_clusters.building.option_rules import ACCEPTS, REQUIRED, schema
from mkdocs_playlist_clusters.building.options import Options, PlaylistEntry
from mkdocs_playlist_clusters.language import CATALOGUES, SUPPORTED

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
PAGES = DOCS / "pages"
DEFINITIONS = {"Options": Options, "PlaylistEntry": PlaylistEntry}


def load_hooks():
    spec = importlib.util.spec_from_file_location("docs_hooks", DOCS / "hooks.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


hooks = load_hooks()


def every_option():
    return [
        pytest.param(kind, name, option, id=f"{kind}.{name}")
        for kind, definition in DEFINITIONS.items()
        for name, option in schema(definition).items()
    ]


@pytest.mark.parametrize(("kind", "name", "option"), every_option())
def test_every_option_is_described_and_says_what_it_accepts(kind, name, option):
    assert option.doc.strip(), f"{kind}.{name} has no description"
    assert option.doc.rstrip().endswith("."), f"{kind}.{name}: end its description with a full stop"
    if option.default is None:  # the reference shows no default: the description says it
        assert "Default:" in option.doc, f"{kind}.{name}: say its default in its description"
    assert option.rule in ACCEPTS, f"{kind}.{name}: decorate {option.rule.__name__} with @accepts"
    assert hooks.words(ACCEPTS[option.rule])  # the reference can say it in words


def test_the_committed_schema_is_the_one_the_definition_gives():
    committed = (DOCS / "schema.json").read_text(encoding="utf-8")
    assert committed == hooks.schema_text(), (
        "docs/schema.json differs from the options' definition: run `python docs/hooks.py` "
        "and commit docs/schema.json"
    )


def test_the_schema_has_every_option_with_its_description_and_default():
    document = json.loads((DOCS / "schema.json").read_text(encoding="utf-8"))
    assert document["$schema"].startswith("https://json-schema.org/draft-07/")
    bare, configured = document["oneOf"]
    assert bare["enum"] == ["playlist-clusters"]
    plugin = configured["properties"]["playlist-clusters"]
    entry = document["$defs"]["playlist"]
    for properties, definition in ((plugin, Options), (entry, PlaylistEntry)):
        assert properties["additionalProperties"] is False
        options = schema(definition)
        assert list(properties["properties"]) == list(options)
        for name, option in options.items():
            described = properties["properties"][name]
            assert described["description"] == option.doc
            if option.default is None or option.default is REQUIRED:
                assert "default" not in described
            else:
                assert described["default"] == option.default
    assert entry["required"] == ["path"]
    languages = plugin["properties"]["language"]["anyOf"][0]["enum"]
    assert languages == list(SUPPORTED)


def test_the_reference_has_a_section_for_every_option():
    reference = hooks.reference_markdown()
    for kind, definition in DEFINITIONS.items():
        prefix = "" if definition is Options else "entry-"
        for name, option in schema(definition).items():
            section = f"### `{name}` {{#{prefix}{name}}}\n\n"
            assert section in reference, f"{kind}.{name} has no section in the reference"
            assert option.doc in reference.split(section, 1)[1].split("\n### ", 1)[0]


def test_the_pages_have_the_markers_the_hooks_fill():
    assert hooks.OPTIONS_MARKER in (PAGES / "options.md").read_text(encoding="utf-8")
    assert hooks.LANGUAGES_MARKER in (PAGES / "languages.md").read_text(encoding="utf-8")
    assert hooks.FILES_MARKER in (PAGES / "development.md").read_text(encoding="utf-8")


def test_the_languages_are_the_locale_folders_catalogues():
    catalogues = sorted(p.parts[-3] for p in CATALOGUES.glob("*/LC_MESSAGES/messages.po"))
    assert tuple(SUPPORTED) == ("en", *catalogues)
    assert "ar" in SUPPORTED
    table = hooks.languages_markdown()
    assert all(f"| `{code}` |" in table for code in SUPPORTED)
    # The wheel check takes them from the locale folder too, not from a list of its own.
    check_wheel = (ROOT / ".ci" / "check_wheel.sh").read_text(encoding="utf-8")
    assert not re.search(r'"de",\s*"es"', check_wheel), "check_wheel.sh lists languages"


def plugin_entries(document):
    """The `playlist-clusters` options of a mkdocs.yml: its plugin entry, or
    `extra.playlist_clusters`, which `generate` reads."""
    if not isinstance(document, dict):
        return
    for item in document.get("plugins") or []:
        if isinstance(item, dict) and isinstance(item.get("playlist-clusters"), dict):
            yield item["playlist-clusters"]
    extra = document.get("extra")
    if isinstance(extra, dict) and isinstance(extra.get("playlist_clusters"), dict):
        yield extra["playlist_clusters"]


def yaml_examples():
    """Every `mkdocs.yml` the docs and the README show, and the sites' own."""
    files = [ROOT / "README.md", *sorted(PAGES.glob("*.md"))]
    for path in files:
        text = path.read_text(encoding="utf-8")
        for number, block in enumerate(re.findall(r"```yaml\n(.*?)```", text, re.S), start=1):
            try:
                document = yaml.safe_load(block)
            except yaml.YAMLError:
                continue  # a fragment (a workflow's steps), not a mkdocs.yml
            yield f"{path.relative_to(ROOT)} block {number}", document
    for config in (ROOT / "example_site" / "mkdocs.yml", DOCS / "mkdocs.yml"):
        yield str(config.relative_to(ROOT)), yaml.safe_load(config.read_text(encoding="utf-8"))


def test_every_mkdocs_yml_example_uses_only_options_that_exist():
    options, entry_options = set(schema(Options)), set(schema(PlaylistEntry))
    checked = []
    for where, document in yaml_examples():
        for given in plugin_entries(document):
            checked.append(where)
            assert set(given) <= options, f"{where}: no such option {set(given) - options}"
            for entry in given.get("playlists") or []:
                if isinstance(entry, dict):
                    unknown = set(entry) - entry_options
                    assert not unknown, f"{where}: no such playlist option {unknown}"
    readme_examples = [where for where in checked if where.startswith("README.md")]
    assert readme_examples and len(checked) >= 6, checked


def test_the_schema_accepts_the_examples_and_refuses_what_the_rules_refuse():
    """With jsonschema installed (it is no dependency of the project: this test skips
    without it), the schema checks entries as an editor would."""
    jsonschema = pytest.importorskip("jsonschema")
    validator = jsonschema.Draft7Validator(json.loads(hooks.schema_text()))
    for where, document in yaml_examples():
        for given in plugin_entries(document):
            errors = [
                error.message for error in validator.iter_errors({"playlist-clusters": given})
            ]
            assert not errors, f"{where}: {errors}"
    assert validator.is_valid("playlist-clusters")
    for refused in (
        {"mix_size": 5},
        {"clusters": 3},  # a playlist's option, not the plugin's
        {"features": ["energy", "energy"]},
        {"playlists": [{"title": "no path"}]},
        {"playlists": [{"path": "a.csv", "clusters": 31}]},
        {"playlists": [{"path": "a.csv", "columns": {"nme": "Titel"}}]},
    ):
        assert not validator.is_valid({"playlist-clusters": refused}), refused
