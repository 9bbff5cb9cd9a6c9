"""`svodka tg …`: the Telegram Data Clustering Contest's batch modes and its server."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path

from rich.console import Console

console = Console(stderr=True)


def cmd_tg(args: argparse.Namespace) -> int:
    """The contest's batch modes over a directory of its HTML files."""
    from svodka.batch import tg

    root = Path(args.dir)
    if not root.is_dir():
        console.print(f"[red]{root} is not a directory[/]")
        return 2
    sys.stdout.write(json.dumps(tg(args.mode, root), ensure_ascii=False, indent=2) + "\n")
    return 0


def register(add: Callable[..., argparse.ArgumentParser]) -> None:
    sp = add("tg", cmd_tg, "Telegram Data Clustering Contest batch modes")
    sp.add_argument("mode", choices=["languages", "news", "categories"])
    sp.add_argument("dir", help="directory of the contest's HTML files")
