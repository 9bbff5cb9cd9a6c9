"""`svodka search QUERY …` and `svodka search --rebuild` (issue 4)."""

from __future__ import annotations

import argparse
import contextlib
import json
import re
import sys
from collections.abc import Callable
from typing import Any

_MARK = re.compile(r"</?mark>")


def register(add: Callable[..., argparse.ArgumentParser]) -> None:
    """Add the `search` subcommand; ``add(name, fn, help)`` is cli.build_parser's helper."""
    sp = add("search", cmd_search, "search the stored articles (or --rebuild the search index)")
    sp.add_argument("query", nargs="?", default=None, help='words, "phrases", -exclusions, OR')
    sp.add_argument("--json", action="store_true", help="print one JSON object like /api/search")
    sp.add_argument("--lang", help="languages, comma-separated (ru,en,uk)")
    sp.add_argument("--from", dest="date_from", help="published on or after this day (YYYY-MM-DD)")
    sp.add_argument("--to", dest="date_to", help="published on or before this day (YYYY-MM-DD)")
    sp.add_argument("--source", help="outlet slugs, comma-separated")
    sp.add_argument("--category", help="categories, comma-separated")
    sp.add_argument("--section", help="section slugs, comma-separated")
    sp.add_argument("--place", help="city, region or country slugs, comma-separated")
    sp.add_argument("--sort", choices=["relevance", "time"], default="relevance")
    sp.add_argument("--group", action="store_true", help="one hit per story")
    sp.add_argument("--limit", type=int, default=20, help="hits to show (1–100)")
    sp.add_argument("--rebuild", action="store_true", help="rebuild the embedded index from the database")


def _plain(snippet_html: str) -> str:
    import html

    return html.unescape(_MARK.sub("", snippet_html))


def cmd_search(args: argparse.Namespace) -> int:
    from svodka_site.cli import _migrate, _setup_django, console

    _setup_django(args.data)
    _migrate()
    from svodka.search import QueryError, SearchUnavailable
    from svodka_site.news import search

    if args.rebuild:
        return _rebuild(console, search)
    if args.query is None:
        console.print("[red]Give a query to search for, or --rebuild.[/red]")
        return 2
    from svodka_site.news.search_views import build_request, results_json

    params: dict[str, Any] = {
        "q": args.query,
        "lang": args.lang,
        "from": args.date_from,
        "to": args.date_to,
        "source": args.source,
        "category": args.category,
        "section": args.section,
        "place": args.place,
        "sort": args.sort,
        "group": "1" if args.group else "",
    }
    try:
        if not 1 <= args.limit <= 100:
            raise QueryError("--limit must be from 1 to 100.", code="bad_filter")
        parsed = build_request({k: v for k, v in params.items() if v}, page_size=args.limit)
        if search.backend_name() == "tantivy":
            # catch up when no crawler has run since the last articles; a running crawler
            # holds the writer (SearchUnavailable) and keeps the index current itself
            with contextlib.suppress(SearchUnavailable):
                search.sync_index(limit=100_000)
        results = search.get_backend().search(parsed.request)
    except (QueryError, SearchUnavailable) as exc:
        if args.json:
            print(json.dumps({"error": exc.message, "code": exc.code}, ensure_ascii=False))
        else:
            console.print(f"[red]{exc.message}[/red]")
        return 2 if isinstance(exc, QueryError) else 3
    if args.json:
        print(json.dumps(results_json(results), ensure_ascii=False))
        return 0
    out = sys.stdout
    out.write(f"{results.total} found ({results.took_ms:.1f} ms)\n")
    for h in results.hits:
        more = f"  (+{h.more} more on this story)" if h.more else ""
        out.write(f"\n{h.published:%Y-%m-%d %H:%M}  {h.source_name}  [{h.lang}]{more}\n  {h.title}\n")
        if h.url:
            out.write(f"  {h.url}\n")
        snippet = _plain(h.snippet_html)
        if snippet:
            out.write(f"  {snippet}\n")
    return 0


def _rebuild(console: Any, search: Any) -> int:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    from svodka.search import SearchUnavailable

    name = search.backend_name()
    if name != "tantivy":
        console.print(
            f"Search backend is {name!r}: "
            + (
                "PostgreSQL's index follows the table; nothing to rebuild."
                if name == "postgres"
                else "nothing to do."
            )
        )
        return 0
    try:
        with Progress(
            "[progress.description]{task.description}",
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=console,
        ) as progress:
            task = progress.add_task("indexing articles", total=None)

            def step(done: int, total: int) -> None:
                progress.update(task, completed=done, total=total)

            n = search.rebuild_index(progress=step)
    except SearchUnavailable as exc:
        console.print(f"[red]{exc.message}[/red]")
        return 3
    console.print(f"Indexed {n} articles into {search.index_path()}.")
    return 0
