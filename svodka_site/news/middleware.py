"""Show times in the reader's time zone (a cookie set by the page's script), else the site's."""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone


class ReaderTimezoneMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        name = request.COOKIES.get("tz") or settings.SVODKA_TIME_ZONE
        try:
            timezone.activate(zoneinfo.ZoneInfo(name))
        except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):  # OSError: "America" is a folder
            timezone.activate(zoneinfo.ZoneInfo(settings.SVODKA_TIME_ZONE))
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
