"""Grouping a playlist's tracks: families, mixes inside them, numbers that stay put, the
state file that remembers them, and the order to play each mix in."""
