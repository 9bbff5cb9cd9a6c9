"""svodka's benchmarks: ``svodka bench ingest`` (see benchmarks/README.md) and parse_speed.py."""
