"""`svodka tg …`: the Telegram Data Clustering Contest's batch modes and its server.

- ``svodka tg languages|news|categories|threads|top DIR`` prints the contest's JSON for a
  directory tree of its HTML files (no state kept between runs).
- ``svodka tg server PORT [--data DIR] [--host H]`` runs the round-2 HTTP server; its index
  is ``DIR/tgcontest.sqlite3`` and survives restarts.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path

from rich.console import Console

console = Console(stderr=True)

BATCH_MODES = ("languages", "news", "categories", "threads", "top")


def _data_dir(arg: str | None) -> Path:
    # the same default as the site's settings, without loading Django
    return Path(arg or os.environ.get("SVODKA_DATA") or Path.cwd() / ".svodka" / "data").resolve()


def cmd_tg(args: argparse.Namespace) -> int:
    """The contest's batch modes over a directory of its HTML files, or its server."""
    if args.mode == "server":
        try:
            port = int(args.target)
        except ValueError:
            console.print(f"[red]the server needs a port number, not {args.target!r}[/]")
            return 2
        if not 0 < port < 65536:
            console.print(f"[red]{port} is not a TCP port (1–65535)[/]")
            return 2
        from svodka.tgcontest_server import serve

        data = _data_dir(args.data)
        console.print(f"contest server on http://{args.host}:{port}/ (index in {data / 'tgcontest.sqlite3'})")
        try:
            serve(port, data, host=args.host)
        except OSError as exc:
            console.print(f"[red]cannot listen on {args.host}:{port}: {exc.strerror or exc}[/]")
            return 1
        return 0

    from svodka.batch import tg

    root = Path(args.target)
    if not root.is_dir():
        console.print(f"[red]{root} is not a directory[/]")
        return 2
    sys.stdout.write(json.dumps(tg(args.mode, root), ensure_ascii=False, indent=2) + "\n")
    return 0


def register(add: Callable[..., argparse.ArgumentParser]) -> None:
    sp = add("tg", cmd_tg, "Telegram Data Clustering Contest: batch modes and the round-2 server")
    sp.add_argument("mode", choices=[*BATCH_MODES, "server"])
    sp.add_argument("target", metavar="DIR|PORT", help="directory of the contest's HTML files, or the server's port")
    sp.add_argument("--host", default="127.0.0.1", help="server mode: address to listen on (0.0.0.0 for all)")
