"""``svodka manage places --refresh``: bring the stored places' names, population and region up
to date with the gazetteer.

A place row is written once, when the first article about it is stored, so a gazetteer that
later learned a better name (the current "Екатеринбург" where an older build showed
"Свердловск") reaches existing pages only this way. Slugs are kept: they are the pages' URLs.
Articles keep the places they were given when they were understood."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from svodka_site.news.models import Place, PlaceKind

FIELDS = ("name_en", "name_ru", "name_uk", "population", "region_id")


def refresh_places(batch: int = 500) -> tuple[int, int]:
    """(places read, places changed)."""
    from svodka.understand.geo import gazetteer

    g = gazetteer()
    known = set(Place.objects.values_list("id", flat=True))
    read = changed = 0
    ids = sorted(known)
    for start in range(0, len(ids), batch):
        rows = list(Place.objects.filter(id__in=ids[start : start + batch]))
        dirty = []
        for row in rows:
            read += 1
            p = g.get(row.id)
            if p is None:
                continue  # a place the gazetteer no longer has: left as it is
            names = g.names(row.id)
            region = next((q.geonameid for q in g.hierarchy(row.id)[1:] if q.kind == PlaceKind.REGION), None)
            want = {
                "name_en": names.get("en", p.name),
                "name_ru": names.get("ru", "") if p.name_ru else "",
                "name_uk": names.get("uk", "") if p.name_uk else "",
                "population": p.population,
                "region_id": region if row.kind == PlaceKind.CITY and region in known else row.region_id,
            }
            if any(getattr(row, f) != want[f] for f in FIELDS):
                for f in FIELDS:
                    setattr(row, f, want[f])
                dirty.append(row)
        if dirty:
            with transaction.atomic():
                Place.objects.bulk_update(dirty, FIELDS)
            changed += len(dirty)
    return read, changed


class Command(BaseCommand):
    help = "Refresh the stored places' names, population and region from the gazetteer."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--refresh", action="store_true", help="update the stored places")

    def handle(self, *args: Any, **opts: Any) -> None:
        if not opts["refresh"]:
            self.stdout.write(f"{Place.objects.count()} places stored; --refresh updates them from the gazetteer")
            return
        read, changed = refresh_places()
        self.stdout.write(f"{read} places read, {changed} updated")
