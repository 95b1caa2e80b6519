"""Reading playlist exports into the canonical track table: decoding, limits, the CSV, JSON
and Parquet readers, header aliases and value parsing."""
