"""`python -m mkdocs_playlist_clusters generate ...`: the `playlist-clusters` command."""

import sys

from .building.command import main

sys.exit(main())
