"""MkDocs plugin that turns playlist exports into pages of track clusters.

The package's stages, in the order data flows through them: `reading` (exports into the
canonical track table), `grouping` (families, mixes, numbers that stay put), `describing`
(facts about the groups), `presenting` (pages, figures and downloads, in the site's
language) and `building` (the MkDocs plugin and the `playlist-clusters generate` command).
"""


def __getattr__(name: str) -> str:
    """`__version__`: the installed distribution's, written once, in pyproject.toml. Looked up
    when asked for (importlib.metadata takes tens of milliseconds)."""
    if name != "__version__":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import metadata

    try:
        return metadata.version("mkdocs-playlist-clusters")
    except metadata.PackageNotFoundError:  # a checkout on sys.path, not installed
        return "0+unknown"
