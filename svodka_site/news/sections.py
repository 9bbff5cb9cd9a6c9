"""Sections: defined in the admin or in settings (``SVODKA_SECTIONS``), matched by
:class:`svodka.understand.sections.SectionRule` when an article is understood, and stored per
article (``Article.sections``). ``recompute`` applies changed rules to stored articles
(``svodka manage sections --recompute``).

``SVODKA_SECTIONS`` is a path to a TOML or JSON file, or JSON itself; in Django settings it may
also be a list of dicts. Each section: ``slug``, ``name_en``, ``name_ru`` and optionally
``categories``, ``languages``, ``places`` (names or slugs, as in /city/… URLs), ``words``,
``exclude_words``, ``entities`` (lists or one string a line), ``words_in`` (title | lead |
text), ``position``, ``enabled``. They are written into the Section table (marked
``from_settings``) the first time a process needs sections; a section of the same slug made in
the admin is replaced; one dropped from the file is disabled. docs/settings.md has an example.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import tomllib
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from svodka.understand.sections import WHERE, SectionRule

from .models import Article, ArticlePlace, Section

log = logging.getLogger(__name__)

_FIELDS = {
    "slug", "name_en", "name_ru", "categories", "languages", "places", "words", "exclude_words",
    "entities", "words_in", "position", "enabled",
}  # fmt: skip
_LOCK = threading.Lock()
_synced: tuple[str, int] | None = None  # (hash of the config, sections it holds)


def _lines(value: Any, name: str, slug: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        if name in ("categories", "languages"):
            value = value.replace(",", "\n")
        return [v.strip() for v in value.splitlines() if v.strip()]
    if isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
        return [v.strip() for v in value if v.strip()]
    raise ImproperlyConfigured(f"SVODKA_SECTIONS: {slug}.{name} must be a list of strings")


def configured_sections() -> list[dict[str, Any]]:
    """The sections ``SVODKA_SECTIONS`` defines, checked (ImproperlyConfigured names what is wrong)."""
    raw: Any = getattr(settings, "SVODKA_SECTIONS", "") or ""
    where = "SVODKA_SECTIONS"
    if isinstance(raw, str):
        text = raw.strip()
        if not text:
            return []
        if text[0] in "[{":
            try:
                data: Any = json.loads(text)
            except json.JSONDecodeError as exc:
                raise ImproperlyConfigured(f"SVODKA_SECTIONS is not valid JSON: {exc}") from exc
        else:
            path = Path(text).expanduser()
            where = str(path)
            try:
                stamp = (text, path.stat().st_mtime_ns)
                if _file_cache is not None and _file_cache[0] == stamp:
                    return _file_cache[1]  # pages call this on every view: read the file once
                body = path.read_text(encoding="utf-8")
            except OSError as exc:
                raise ImproperlyConfigured(f"SVODKA_SECTIONS: cannot read {path}: {exc}") from exc
            try:
                data = tomllib.loads(body) if path.suffix.lower() == ".toml" else json.loads(body)
            except (tomllib.TOMLDecodeError, json.JSONDecodeError) as exc:
                raise ImproperlyConfigured(f"SVODKA_SECTIONS: {path} is not valid: {exc}") from exc
    else:
        data = raw
    if isinstance(data, dict):
        data = data.get("section", data.get("sections", []))
    if not isinstance(data, list) or not all(isinstance(d, dict) for d in data):
        raise ImproperlyConfigured(f"{where}: expected a list of sections ([[section]] tables in TOML)")
    out = []
    slugs: set[str] = set()
    for d in data:
        slug = str(d.get("slug") or "").strip()
        if not slug or not all(c.isascii() and (c.isalnum() or c in "-_") for c in slug):
            raise ImproperlyConfigured(f"{where}: every section needs an ASCII slug, not {slug!r}")
        if slug in slugs:
            raise ImproperlyConfigured(f"{where}: section {slug} is defined twice")
        slugs.add(slug)
        unknown = set(d) - _FIELDS
        if unknown:
            raise ImproperlyConfigured(
                f"{where}: section {slug} has unknown keys: {', '.join(sorted(unknown))}"
            )
        words_in = str(d.get("words_in") or "lead")
        if words_in not in WHERE:
            raise ImproperlyConfigured(f"{where}: section {slug}: words_in must be one of {', '.join(WHERE)}")
        out.append(
            {
                "slug": slug,
                "name_en": str(d.get("name_en") or d.get("name_ru") or slug),
                "name_ru": str(d.get("name_ru") or d.get("name_en") or slug),
                "categories": ",".join(_lines(d.get("categories"), "categories", slug)),
                "languages": ",".join(_lines(d.get("languages"), "languages", slug)),
                "places": _lines(d.get("places"), "places", slug),
                "words": "\n".join(_lines(d.get("words"), "words", slug)),
                "exclude_words": "\n".join(_lines(d.get("exclude_words"), "exclude_words", slug)),
                "entities": "\n".join(_lines(d.get("entities"), "entities", slug)),
                "words_in": words_in,
                "position": _position(d.get("position", 100), where, slug),
                "enabled": bool(d.get("enabled", True)),
            }
        )
    if isinstance(raw, str) and where != "SVODKA_SECTIONS":
        _set_file_cache((raw.strip(), Path(where).stat().st_mtime_ns), out)
    return out


_file_cache: tuple[tuple[str, int], list[dict[str, Any]]] | None = None


def _set_file_cache(stamp: tuple[str, int], value: list[dict[str, Any]]) -> None:
    global _file_cache
    _file_cache = (stamp, value)


def _position(value: Any, where: str, slug: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, str)) or not (d := str(value).strip().lstrip("-")).isascii() or not d.isdigit():
        raise ImproperlyConfigured(f"{where}: section {slug}: position must be a whole number, not {value!r}")
    return int(value)


def sync_settings_sections(*, force: bool = False) -> int:
    """Write the configured sections into the Section table (once per process and config; a
    count query otherwise). Returns how many the config holds."""
    global _synced
    cfg = configured_sections()
    key = hashlib.sha1(json.dumps(cfg, sort_keys=True).encode()).hexdigest()
    if (
        not force
        and _synced is not None
        and _synced[0] == key
        and Section.objects.filter(from_settings=True, enabled=True).count() == _synced[1]
    ):
        return len(cfg)
    if not cfg and not Section.objects.filter(from_settings=True).exists():
        _synced = (key, 0)  # nothing to write: no write transaction on a page view
        return 0
    from .places import resolve

    with _LOCK, transaction.atomic():
        for spec in cfg:
            fields = {k: v for k, v in spec.items() if k not in ("slug", "places")}
            sec, _ = Section.objects.update_or_create(
                slug=spec["slug"], defaults={**fields, "from_settings": True}
            )
            place_rows = []
            for name in spec["places"]:
                p = resolve(name)
                if p is None:
                    raise ImproperlyConfigured(
                        f"SVODKA_SECTIONS: section {spec['slug']}: no place called {name!r}"
                    )
                place_rows.append(p)
            sec.places.set(place_rows)
        gone = Section.objects.filter(from_settings=True).exclude(slug__in=[s["slug"] for s in cfg])
        gone.update(enabled=False, from_settings=False)
    _synced = (key, sum(1 for s in cfg if s["enabled"]))
    return len(cfg)


def ensure_sections() -> None:
    """``sync_settings_sections`` for callers that must not fail on a bad file (pages): logs."""
    try:
        sync_settings_sections()
    except ImproperlyConfigured as exc:
        log.error("%s", exc)


def _split(value: str, sep: str = ",") -> frozenset[str]:
    return frozenset(c.strip() for c in value.split(sep) if c.strip())


def rule_of(s: Section) -> SectionRule:
    return SectionRule(
        slug=s.slug,
        categories=_split(s.categories),
        languages=_split(s.languages),
        places=frozenset(p.pk for p in s.places.all()),
        words=tuple(s.words.splitlines()),
        exclude_words=tuple(s.exclude_words.splitlines()),
        entities=tuple(s.entities.splitlines()),
        where=s.words_in or "lead",
    )


def section_rules() -> list[tuple[int, SectionRule]]:
    """(section id, rule) of every enabled section, settings' included."""
    ensure_sections()
    return [(s.pk, rule_of(s)) for s in Section.objects.filter(enabled=True).prefetch_related("places")]


def recompute(
    *, article_ids: Sequence[int] | None = None, batch: int = 500, progress: Any = None
) -> tuple[int, int]:
    """Apply the current rules to stored (understood) articles: memberships are replaced and
    the search index re-reads the articles whose sections changed. Returns (articles read,
    articles changed)."""
    from svodka.sanitize import html_to_text

    from .search import _PlaceTree, reindex_articles

    rules = section_rules()
    tree = _PlaceTree()
    through = Article.sections.through
    qs = Article.objects.filter(understood_at__isnull=False).order_by("id")
    if article_ids is not None:
        qs = qs.filter(id__in=list(article_ids))
    ids = list(qs.values_list("id", flat=True))
    read = changed = 0
    for start in range(0, len(ids), batch):
        chunk = ids[start : start + batch]
        arts = Article.objects.filter(id__in=chunk).only(
            "id", "title", "text", "summary", "content", "category", "language"
        )
        places: dict[int, list[int]] = {}
        for aid, pid in ArticlePlace.objects.filter(article_id__in=chunk).values_list(
            "article_id", "place_id"
        ):
            places.setdefault(aid, []).append(pid)
        old: dict[int, set[int]] = {}
        for aid, sid in through.objects.filter(article_id__in=chunk).values_list("article_id", "section_id"):
            old.setdefault(aid, set()).add(sid)
        new: dict[int, set[int]] = {}
        for a in arts:
            text = a.text or html_to_text(a.content or a.summary or "")
            pids = tree.ancestors(places.get(a.pk, ()))
            new[a.pk] = {
                sid
                for sid, rule in rules
                if rule.matches(
                    category=a.category, lang=a.language, place_ids=pids, title=a.title, text=text
                )
            }
        moved = [aid for aid in chunk if new.get(aid, set()) != old.get(aid, set())]
        if moved:
            with transaction.atomic():
                through.objects.filter(article_id__in=moved).delete()
                through.objects.bulk_create(
                    [
                        through(article_id=aid, section_id=sid)
                        for aid in moved
                        for sid in sorted(new.get(aid, ()))
                    ],
                    ignore_conflicts=True,
                )
            _reindex(moved, reindex_articles)
        read += len(chunk)
        changed += len(moved)
        if progress is not None:
            progress(read, changed, len(ids))
    return read, changed


def _reindex(ids: Iterable[int], reindex: Any) -> None:
    from svodka.search import SearchUnavailable

    try:
        reindex(list(ids))
    except SearchUnavailable as exc:
        log.warning("search index not updated after recomputing sections: %s", exc.message)
