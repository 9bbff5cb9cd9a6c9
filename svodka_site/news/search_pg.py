"""PostgreSQL full-text search over the Article table (the scale-out store's backend).

The GIN expression index and the two SQL functions it uses are created by migration
``0003_search``. The index is live: rows are searchable as soon as they are committed, so
``add``/``commit`` are no-ops and ``sync_index`` has nothing to do.

The reader's query is parsed once (``svodka.search.query``) and translated here into a
tsquery built only from ``plainto_tsquery``/``phraseto_tsquery`` calls whose text is a bound
parameter, combined with the tsquery operators ``&&``, ``||`` and ``!!``: no user text ever
reaches ``to_tsquery``'s syntax. Each term is looked up under the ``russian``, ``english`` and
``simple`` configurations at once, since the query's language is not known and each article
is indexed under its own language's configuration.
"""

from __future__ import annotations

import html
import time
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import DatabaseError, connection

from svodka.search import (
    MAX_LIMIT,
    Hit,
    SearchDoc,
    SearchRequest,
    SearchResults,
    SearchUnavailable,
)
from svodka.search.query import ParsedQuery, parse_query

from .models import Article, ArticlePlace, Place, PlaceKind

CONFIGS = ("russian", "english", "simple")
COUNT_CAP = 10_000  # totals past this are reported as a lower bound
# Private-use characters mark the matches inside ts_headline's output, so the whole snippet
# can be HTML-escaped first and only then the markers turned into <mark> tags.
_START, _STOP = "\ue000", "\ue001"
_HEADLINE_OPTS = (
    f'StartSel={_START}, StopSel={_STOP}, MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter=" … "'
)
_VECTOR = "svodka_search_vector(a.language, a.title, coalesce(nullif(a.text, ''), a.summary))"


def snippet_html(raw: str) -> str:
    """ts_headline output (plain text with the private-use markers) → safe HTML."""
    return html.escape(raw, quote=False).replace(_START, "<mark>").replace(_STOP, "</mark>")


def _has_story() -> bool:
    return any(f.attname == "story_id" for f in Article._meta.concrete_fields)


class _TsQuery:
    """Builds the SQL of one tsquery expression and its parameters."""

    def __init__(self) -> None:
        self.params: list[Any] = []

    def term(self, text: str, *, phrase: bool = False) -> str:
        fn = "phraseto_tsquery" if phrase else "plainto_tsquery"
        parts = []
        for cfg in CONFIGS:
            parts.append(f"{fn}('{cfg}'::regconfig, %s)")
            self.params.append(text)
        return "(" + " || ".join(parts) + ")"


def translate(parsed: ParsedQuery) -> tuple[str, list[Any]]:
    """A ParsedQuery → (tsquery SQL, its parameters): clauses ANDed, the terms of a clause
    ORed, excluded terms negated. Each term's text is a bound parameter."""
    tq = _TsQuery()
    ands = [
        "(" + " || ".join(tq.term(" ".join(t.words), phrase=t.is_phrase) for t in clause) + ")"
        for clause in parsed.clauses
    ]
    ands += [f"!!{tq.term(' '.join(t.words), phrase=t.is_phrase)}" for t in parsed.excluded]
    return "(" + " && ".join(ands) + ")", tq.params


class PostgresSearch:
    """SearchBackend over PostgreSQL's full-text search."""

    name = "postgres"

    def add(self, docs: Sequence[SearchDoc]) -> None:
        del docs  # the GIN index follows the table

    def delete(self, ids: Iterable[int]) -> None:
        del ids

    def commit(self, watermark: str | None = None) -> None:
        del watermark

    def watermark(self) -> str | None:
        return None

    def count(self) -> int:
        return Article.objects.count()

    def clear(self) -> None:
        pass

    def close(self) -> None:
        pass

    # --- search --------------------------------------------------------------------
    def search(self, request: SearchRequest) -> SearchResults:
        t0 = time.perf_counter()
        parsed = parse_query(request.q)
        tsq_sql, tsq_params = translate(parsed)
        where, where_params = self._filters(request)
        limit = max(1, min(request.limit, MAX_LIMIT))
        offset = max(0, request.offset)
        story = "a.story_id" if _has_story() else "NULL::bigint"
        if request.sort == "time":
            order = "published_at DESC, id DESC"
        else:
            order = "score DESC, published_at DESC, id DESC"
        # Freshness boost: a day-old match counts about 1.8x, a month-old one about 1.1x.
        score = (
            f"ts_rank_cd({_VECTOR}, q.tsq, 32) * "
            "(1.0 + 1.0 / (1.0 + extract(epoch FROM (now() - a.published_at)) / 86400.0 / 3.0))"
        )
        matches = f"""
            SELECT a.id, a.published_at, {story} AS story_id, {score} AS score
            FROM news_article a, q
            WHERE {_VECTOR} @@ q.tsq {where}
        """
        if request.group_by_story:
            ranked = f"""
                SELECT m.*, row_number() OVER w AS rn, count(*) OVER (PARTITION BY m.g) - 1 AS more
                FROM (SELECT *, coalesce(story_id, -id) AS g FROM matches) m
                WINDOW w AS (PARTITION BY m.g ORDER BY {"m.published_at DESC, m.id DESC" if request.sort == "time" else "m.score DESC, m.published_at DESC, m.id DESC"})
            """
            body = f"SELECT id, published_at, story_id, score, more FROM ({ranked}) r WHERE rn = 1"
        else:
            body = "SELECT id, published_at, story_id, score, 0 AS more FROM matches"
        sql = f"""
            WITH q AS (SELECT {tsq_sql} AS tsq),
            matches AS ({matches}),
            hits AS ({body})
            SELECT h.id, h.score, h.more, h.story_id, a.title, a.published_at, a.language, a.source_id,
                   coalesce(a.url, ''), s.name,
                   ts_headline(svodka_regconfig(a.language),
                       translate(left(coalesce(nullif(a.text, ''),
                                               regexp_replace(a.summary, '<[^>]*>', ' ', 'g'), ''), 20000),
                                 %s, ''),
                       q.tsq, %s)
            FROM (SELECT *, row_number() OVER (ORDER BY {order}) AS pos
                  FROM hits ORDER BY {order} LIMIT %s OFFSET %s) h
            JOIN news_article a ON a.id = h.id
            JOIN news_source s ON s.id = a.source_id, q
            ORDER BY h.pos
        """
        count_sql = f"""
            WITH q AS (SELECT {tsq_sql} AS tsq), matches AS ({matches})
            SELECT count(*) FROM (SELECT 1 FROM ({body}) b LIMIT {COUNT_CAP + 1}) c
        """
        params = [*tsq_params, *where_params, _START + _STOP, _HEADLINE_OPTS, limit, offset]
        try:
            with connection.cursor() as cur:
                cur.execute(sql, params)
                rows = cur.fetchall()
                cur.execute(count_sql, [*tsq_params, *where_params])
                total = int(cur.fetchone()[0])
        except DatabaseError as exc:
            if "svodka_search_vector" in str(exc) or "svodka_regconfig" in str(exc):
                raise SearchUnavailable(
                    "The search index is not set up yet (run `svodka manage migrate`)."
                ) from exc
            raise
        hits = [
            Hit(
                id=r[0],
                score=float(r[1] or 0.0),
                more=int(r[2] or 0),
                story_id=r[3],
                title=r[4],
                published=r[5],
                lang=r[6] or "und",
                source_id=r[7],
                url=r[8],
                source_name=r[9],
                snippet_html=snippet_html(r[10] or ""),
            )
            for r in rows
        ]
        return SearchResults(
            total=total, hits=hits, took_ms=(time.perf_counter() - t0) * 1000, terms=parsed.terms
        )

    def _filters(self, request: SearchRequest) -> tuple[str, list[Any]]:
        f = request.filters
        sql: list[str] = []
        params: list[Any] = []
        if f.date_from is not None:
            sql.append("a.published_at >= %s")
            params.append(f.date_from)
        if f.date_to is not None:
            sql.append("a.published_at < %s")
            params.append(f.date_to)
        if f.langs:
            sql.append("a.language = ANY(%s)")
            params.append(list(f.langs))
        if f.source_ids:
            sql.append("a.source_id = ANY(%s)")
            params.append(list(f.source_ids))
        if f.categories:
            sql.append("a.category = ANY(%s)")
            params.append(list(f.categories))
        if f.section_ids:
            table = Article.sections.through._meta.db_table
            sql.append(
                f"EXISTS (SELECT 1 FROM {table} x WHERE x.article_id = a.id AND x.section_id = ANY(%s))"
            )
            params.append(list(f.section_ids))
        if f.place_ids:
            table = ArticlePlace._meta.db_table
            sql.append(f"EXISTS (SELECT 1 FROM {table} p WHERE p.article_id = a.id AND p.place_id = ANY(%s))")
            params.append(sorted(expand_places(f.place_ids)))
        return "".join(f" AND {s}" for s in sql), params


def expand_places(ids: Iterable[int]) -> set[int]:
    """A place and everything inside it (a region's cities, a country's regions and cities):
    articles link the place they mention, the filter names any place above it."""
    out = set(ids)
    for p in Place.objects.filter(id__in=list(out)).only("id", "kind", "country"):
        if p.kind == PlaceKind.COUNTRY and p.country:
            out.update(Place.objects.filter(country=p.country).values_list("id", flat=True))
        elif p.kind == PlaceKind.REGION:
            out.update(Place.objects.filter(region_id=p.pk).values_list("id", flat=True))
    return out
