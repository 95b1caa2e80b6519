#!/usr/bin/env bash
# Build the sdist and wheel, install the wheel into a fresh venv and build the example site with
# it, so a file missing from the wheel or an undeclared dependency fails here and not for users.
# Needs PyPI (build dependencies and the wheel's dependencies). Run from the repository root:
#   bash .ci/check_wheel.sh
set -euo pipefail

if [[ ! -f pyproject.toml || ! -d mkdocs_playlist_clusters || ! -f example_site/mkdocs.yml ]]; then
    echo "check_wheel.sh: run me from the repository root" >&2
    exit 2
fi
root=$PWD
python=${PYTHON:-python3}

work=$(mktemp -d "${TMPDIR:-/tmp}/check-wheel.XXXXXX")
trap 'rm -rf "$work"' EXIT
# The checkout must not be importable from the venv.
unset PYTHONPATH PYTHONHOME PYTHONSTARTUP
export NO_MKDOCS_2_WARNING=1 PIP_DISABLE_PIP_VERSION_CHECK=1

step() { printf '\n== %s (%ss)\n' "$1" "$SECONDS"; }

step "build the sdist, and the wheel from the sdist"
"$python" -m build --outdir "$work/dist" "$root" >"$work/build.log" 2>&1 || {
    cat "$work/build.log" >&2
    exit 1
}
wheels=("$work"/dist/*.whl)
sdists=("$work"/dist/*.tar.gz)
[[ ${#wheels[@]} -eq 1 && -f ${wheels[0]} ]] || { echo "expected one wheel: ${wheels[*]}" >&2; exit 1; }
[[ ${#sdists[@]} -eq 1 && -f ${sdists[0]} ]] || { echo "expected one sdist: ${sdists[*]}" >&2; exit 1; }
wheel=${wheels[0]}
echo "built $(basename "$wheel") and $(basename "${sdists[0]}")"

step "check what the wheel holds"
"$python" - "$wheel" "$root" <<'PY'
import sys
import zipfile
from pathlib import Path

names = zipfile.ZipFile(sys.argv[1]).namelist()
package = {n for n in names if n.startswith("mkdocs_playlist_clusters/")}
for module in ("__init__.py", "building/plugin.py", "building/config.py", "building/pipeline.py", "locale/messages.pot"):
    assert f"mkdocs_playlist_clusters/{module}" in package, f"{module} missing from the wheel"
# The languages are the checkout's catalogues (language.SUPPORTED reads the same folder): each
# must be compiled in the wheel.
languages = {p.parts[-3] for p in Path(sys.argv[2], "mkdocs_playlist_clusters").rglob("LC_MESSAGES/messages.po")}
catalogues = {n.split("/")[-3] for n in package if n.endswith("/LC_MESSAGES/messages.mo")}
assert languages and languages <= catalogues, f"catalogues {sorted(languages)}, compiled in the wheel {sorted(catalogues)}"
stray = [n for n in names if n.split("/")[0] in {"tests", "example_site", ".ci", ".github"}]
assert not stray, f"the wheel holds files that are not the package: {stray}"
entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
text = zipfile.ZipFile(sys.argv[1]).read(entry_points).decode()
assert "playlist-clusters = mkdocs_playlist_clusters.building.plugin:PlaylistClustersPlugin" in text, text
assert "playlist-clusters = mkdocs_playlist_clusters.building.command:main" in text, text
print(f"{len(package)} package files, plugin entry point and console script declared")
PY

step "install the wheel and Material into a fresh venv"
"$python" -m venv "$work/venv"
venv_python=$work/venv/bin/python
"$venv_python" -m pip install --quiet "${wheel}[material]"

step "check the plugin is imported from the venv, not the checkout"
(cd "$work" && "$venv_python" - "$root" <<'PY'
import importlib.metadata
import sys
import sysconfig
from pathlib import Path

import mkdocs_playlist_clusters

root = Path(sys.argv[1]).resolve()
where = Path(mkdocs_playlist_clusters.__file__).resolve()
site_packages = Path(sysconfig.get_paths()["purelib"]).resolve()
assert where.is_relative_to(site_packages), f"imported from {where}, not {site_packages}"
assert not where.is_relative_to(root), f"imported from the checkout: {where}"
(plugin,) = importlib.metadata.entry_points(group="mkdocs.plugins", name="playlist-clusters")
assert plugin.load().__module__ == "mkdocs_playlist_clusters.building.plugin"
print(f"mkdocs_playlist_clusters {importlib.metadata.version('mkdocs-playlist-clusters')} from {where.parent}")
PY
)

step "build a copy of the example site with the venv's mkdocs"
cp -R "$root/example_site" "$work/example_site"
rm -rf "$work/example_site/.cache" "$work/example_site/site"
(cd "$work/example_site" && "$work/venv/bin/mkdocs" build --strict)
page=$work/example_site/site/playlists/demo-mixtape/index.html
image=$work/example_site/site/playlists/demo-mixtape-clusters.png
[[ -f $page ]] || { echo "no page at ${page#"$work"/}" >&2; exit 1; }
[[ -f $image ]] || { echo "no image at ${image#"$work"/}" >&2; exit 1; }
grep -q "<bdi>Demo Mixtape</bdi></h1>" "$page" || { echo "the page is not titled 'Demo Mixtape'" >&2; exit 1; }
# The packaged templates (the cards) and the genre table (a genre in a mix's name).
grep -q 'class="playlist-clusters-card"' "$page" || { echo "the page has no mix cards" >&2; exit 1; }
grep -q "Mix 1: <bdi>Deep house · " "$page" || { echo "mix 1 is not named by its genre" >&2; exit 1; }

step "build a German copy of the example site: the wheel's compiled catalogues"
cp -R "$work/example_site" "$work/example_site_de"
rm -rf "$work/example_site_de/site"
sed -i.bak 's/^  name: material$/  name: material\n  language: de/' "$work/example_site_de/mkdocs.yml"
(cd "$work/example_site_de" && "$work/venv/bin/mkdocs" build --strict)
page_de=$work/example_site_de/site/playlists/demo-mixtape/index.html
grep -q "300 Titel" "$page_de" || { echo "the German page has no '300 Titel'" >&2; exit 1; }
grep -q "Familie 1: " "$page_de" || { echo "the German page has no 'Familie 1: '" >&2; exit 1; }

step "the console script writes the same pages for sites without the plugin"
(cd "$work/example_site" && "$work/venv/bin/playlist-clusters" generate -o "$work/generated")
[[ -f $work/generated/demo-mixtape.md && -f $work/generated/demo-mixtape-clusters.png ]] || {
    echo "playlist-clusters generate wrote no demo-mixtape page and image" >&2
    exit 1
}

step "wheel check passed"
