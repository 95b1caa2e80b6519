"""Building the site: the MkDocs plugin, the `playlist-clusters generate` command, the
options, the cache, the navigation and mkdocs-static-i18n."""
