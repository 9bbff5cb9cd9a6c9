"""`svodka search QUERY …` (issue 4)."""

from __future__ import annotations

import argparse
from collections.abc import Callable


def register(add: Callable[..., argparse.ArgumentParser]) -> None:
    """Add the `search` subcommand; ``add(name, fn, help)`` is cli.build_parser's helper."""
    del add  # filled in by the search work
