"""Describing the groups: facts about what sets each family and mix apart, their names and
their cards. Facts, not sentences: the words are made when pages are written."""
