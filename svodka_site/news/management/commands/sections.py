"""``svodka manage sections``: list the sections (admin and SVODKA_SECTIONS) with their article
counts; ``--recompute`` applies the current rules to the articles already stored (membership is
stored per article when it is understood, so changed rules reach older articles only this way)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db.models import Count

from svodka_site.news.models import Section
from svodka_site.news.sections import recompute, sync_settings_sections


class Command(BaseCommand):
    help = "List sections; --recompute applies their current rules to stored articles."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--recompute", action="store_true", help="recompute every article's sections")
        parser.add_argument("--batch", type=int, default=500, help="articles per transaction")

    def handle(self, *args: Any, **opts: Any) -> None:
        sync_settings_sections(force=True)
        if opts["recompute"]:

            def progress(read: int, changed: int, total: int) -> None:
                if opts["verbosity"] >= 2 or read == total:
                    self.stdout.write(f"{read}/{total} articles read, {changed} changed")

            if not recompute(batch=max(1, opts["batch"]), progress=progress)[0]:
                self.stdout.write("no understood articles")
        for s in Section.objects.annotate(n=Count("articles")).order_by("position", "slug"):
            origin = "settings" if s.from_settings else "admin"
            state = "" if s.enabled else " (disabled)"
            self.stdout.write(f"{s.slug:20} {s.n:8d} articles  [{origin}]{state}")
