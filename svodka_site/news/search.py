"""The site's side of search: which backend, what an article looks like to it, and the
incremental indexer the crawler runs.

``SVODKA_SEARCH`` picks the backend: ``tantivy`` (the embedded index under
``SVODKA_SEARCH_DIR``, default on SQLite), ``postgres`` (full-text search in the database,
default when ``DATABASE_URL`` is PostgreSQL) or ``off``.

The embedded index is fed by :func:`sync_index`: articles the understanding stage finished
since the watermark ``(understood_at, id)`` stored in the index's last commit. The watermark
is committed together with the documents, so after a crash the indexer resumes where the
last commit left it (re-adding a document replaces it). One process writes (the crawler);
the web process only reads.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.db.models import Q
from django.utils.html import strip_tags

from svodka.search import SearchBackend, SearchDoc, SearchUnavailable

from .models import Article, ArticlePlace, Place, PlaceKind

log = logging.getLogger(__name__)

SYNC_BATCH = 500
TEXT_CHARS = 20_000  # the engines keep the start of long texts only

_lock = threading.Lock()
_backends: dict[tuple[str, str], SearchBackend] = {}


def backend_name() -> str:
    name = str(getattr(settings, "SVODKA_SEARCH", "tantivy") or "tantivy").strip().lower()
    return name if name in {"tantivy", "postgres", "off"} else "tantivy"


def index_path() -> Path:
    raw = getattr(settings, "SVODKA_SEARCH_DIR", None)
    return Path(raw) if raw else Path(settings.DATA_DIR) / "search"


def get_backend() -> SearchBackend:
    """The configured backend (one per process). Raises SearchUnavailable when search is off."""
    name = backend_name()
    if name == "off":
        raise SearchUnavailable("Search is turned off on this site (SVODKA_SEARCH=off).", code="search_off")
    key = (name, str(index_path()) if name == "tantivy" else "")
    with _lock:
        backend = _backends.get(key)
        if backend is None:
            if name == "postgres":
                from .search_pg import PostgresSearch

                backend = PostgresSearch()
            else:
                from svodka.search._tantivy import TantivyIndex

                path = index_path()
                path.mkdir(parents=True, exist_ok=True)
                backend = TantivyIndex(path)
            _backends[key] = backend
        return backend


def reset_backends() -> None:
    """Close and forget the cached backends (tests, and after a settings change)."""
    with _lock:
        for b in _backends.values():
            try:
                b.close()
            except Exception:  # closing is best effort
                log.exception("closing the search backend failed")
        _backends.clear()


# --- documents -----------------------------------------------------------------------------
class _PlaceTree:
    """Every ancestor of a place (city → region → country), from the Place table.

    A place's kind, region and country never change once its row exists, so found rows are
    kept for the life of the process (one shared tree); ids without a row are looked up again
    next time (their row may come later). The country rows are re-read by ``refresh_countries``
    once per batch of documents (a country's row is created when the first article names one
    of its places)."""

    def __init__(self) -> None:
        self._places: dict[int, tuple[str, int | None, str]] = {}
        self._countries: dict[str, int] = {}
        self._loaded_countries = False

    def refresh_countries(self) -> None:
        self._countries = dict(Place.objects.filter(kind=PlaceKind.COUNTRY).values_list("country", "id"))
        self._loaded_countries = True

    def load(self, ids: Iterable[int]) -> None:
        """Read the rows of ``ids`` and of their regions, in a few queries (cached ones are skipped)."""
        tried: set[int] = set()
        missing = list({i for i in ids if i not in self._places})
        while missing:
            tried.update(missing)
            for chunk in range(0, len(missing), 500):
                rows = Place.objects.filter(id__in=missing[chunk : chunk + 500]).values_list(
                    "id", "kind", "region_id", "country"
                )
                for pid, kind, region_id, country in rows:
                    self._places[pid] = (kind, region_id, country)
            missing = list(
                {
                    r
                    for m in missing
                    if (r := self._places.get(m, ("", None, ""))[1]) is not None
                    and r not in self._places
                    and r not in tried
                }
            )
        if not self._loaded_countries:
            self.refresh_countries()

    def ancestors(self, ids: Iterable[int]) -> tuple[int, ...]:
        ids = list(ids)
        self.load(ids)
        out: set[int] = set()
        refreshed = False
        for pid in ids:
            seen = 0
            cur: int | None = pid
            while cur is not None and cur not in out and seen < 8:
                out.add(cur)
                kind, region_id, country = self._places.get(cur, ("", None, ""))
                if kind != PlaceKind.COUNTRY and country and country not in self._countries and not refreshed:
                    self.refresh_countries()  # its row may be newer than this tree's list
                    refreshed = True
                if kind != PlaceKind.COUNTRY and country in self._countries:
                    out.add(self._countries[country])
                cur = region_id
                seen += 1
        return tuple(sorted(out))


_SHARED_TREE = _PlaceTree()


def _text(a: Article) -> str:
    text = a.text or strip_tags(a.summary or "")
    return text[:TEXT_CHARS]


def doc_from_article(
    article: Article,
    *,
    place_ids: Iterable[int] | None = None,
    section_ids: Iterable[int] | None = None,
    tree: _PlaceTree | None = None,
) -> SearchDoc:
    """The article as the index sees it: place ids with every ancestor, section ids."""
    tree = tree or _SHARED_TREE
    if place_ids is None:
        place_ids = ArticlePlace.objects.filter(article_id=article.pk).values_list("place_id", flat=True)
    if section_ids is None:
        section_ids = article.sections.values_list("id", flat=True)
    published = article.published_at
    if published.tzinfo is None:
        published = published.replace(tzinfo=UTC)
    return SearchDoc(
        id=article.pk,
        title=article.title,
        text=_text(article),
        lang=article.language or "und",
        source_id=article.source_id,
        published=published.astimezone(UTC),
        category=article.category or "",
        section_ids=tuple(sorted(set(section_ids))),
        place_ids=tree.ancestors(place_ids),
        story_id=getattr(article, "story_id", None),
        source_name=article.source.name,
        url=article.url or "",
    )


def docs_for(articles: Sequence[Article], tree: _PlaceTree | None = None) -> list[SearchDoc]:
    """Documents for a batch of articles with two queries for their places and sections."""
    tree = tree or _SHARED_TREE
    ids = [a.pk for a in articles]
    places: dict[int, list[int]] = {}
    for aid, pid in ArticlePlace.objects.filter(article_id__in=ids).values_list("article_id", "place_id"):
        places.setdefault(aid, []).append(pid)
    # the batch's places (and their regions) in a few queries, not one per article
    tree.refresh_countries()
    tree.load([p for ps in places.values() for p in ps])
    sections: dict[int, list[int]] = {}
    through = Article.sections.through
    for aid, sid in through.objects.filter(article_id__in=ids).values_list("article_id", "section_id"):
        sections.setdefault(aid, []).append(sid)
    return [
        doc_from_article(a, place_ids=places.get(a.pk, ()), section_ids=sections.get(a.pk, ()), tree=tree)
        for a in articles
    ]


# --- the watermark -------------------------------------------------------------------------
def _encode(understood_at: datetime, pk: int) -> str:
    return f"{understood_at.astimezone(UTC).isoformat()}|{pk}"


def _decode(raw: str | None) -> tuple[datetime, int] | None:
    if not raw:
        return None
    try:
        ts, pk = raw.rsplit("|", 1)
        when = datetime.fromisoformat(ts)
        return (when if when.tzinfo else when.replace(tzinfo=UTC)), int(pk)
    except ValueError:
        log.warning("search index watermark %r unreadable; indexing from the start", raw)
        return None


def _pending(mark: tuple[datetime, int] | None):  # type: ignore[no-untyped-def]
    qs = Article.objects.filter(understood_at__isnull=False).select_related("source")
    if mark is not None:
        ts, pk = mark
        qs = qs.filter(Q(understood_at__gt=ts) | Q(understood_at=ts, id__gt=pk))
    return qs.order_by("understood_at", "id")


def sync_index(limit: int = SYNC_BATCH) -> int:
    """Index up to ``limit`` articles understood since the watermark; returns how many.

    A no-op for the PostgreSQL backend (its GIN index follows the table) and when search is off.
    """
    if backend_name() != "tantivy":
        return 0
    backend = get_backend()
    mark = _decode(backend.watermark())
    batch = list(_pending(mark)[: max(1, limit)])
    if not batch:
        return 0
    backend.add(docs_for(batch))
    last = batch[-1]
    assert last.understood_at is not None
    backend.commit(watermark=_encode(last.understood_at, last.pk))
    return len(batch)


def rebuild_index(*, batch: int = 2000, progress: Callable[[int, int], None] | None = None) -> int:
    """Drop the embedded index and index every understood article again; returns the count.

    ``progress(done, total)`` is called after each batch. Commits as it goes, so a rebuild
    that is interrupted resumes with ``sync_index`` from its last batch.
    """
    if backend_name() != "tantivy":
        return 0
    backend = get_backend()
    backend.clear()
    backend.commit(watermark=None)
    total = Article.objects.filter(understood_at__isnull=False).count()
    done = 0
    tree = _PlaceTree()
    mark: tuple[datetime, int] | None = None
    while True:
        chunk = list(_pending(mark)[:batch])
        if not chunk:
            break
        backend.add(docs_for(chunk, tree))
        last = chunk[-1]
        assert last.understood_at is not None
        mark = (last.understood_at, last.pk)
        backend.commit(watermark=_encode(*mark))
        done += len(chunk)
        if progress is not None:
            progress(done, total)
    return done


def reindex_articles(ids: Iterable[int]) -> int:
    """Index these articles again now (e.g. after their story changed), keeping the watermark."""
    if backend_name() != "tantivy":
        return 0
    backend = get_backend()
    arts = list(
        Article.objects.filter(id__in=list(ids), understood_at__isnull=False).select_related("source")
    )
    if not arts:
        return 0
    backend.add(docs_for(arts))
    backend.commit(watermark=backend.watermark())
    return len(arts)
