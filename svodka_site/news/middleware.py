"""Show times in the reader's time zone (a cookie set by the page's script), else the site's."""

from __future__ import annotations

import secrets
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


class ContentSecurityPolicyMiddleware:
    """A Content-Security-Policy on the site's own HTML pages: scripts only from this site or
    carrying the request's nonce (the two inline scripts do), no plugins, no <base> or form
    targets elsewhere, no framing. Article bodies are sanitised with nh3 already; this is the
    second wall if a payload ever slips through. Outlets' images stay allowed (http/https).
    The admin is Django's own and keeps Django's defaults."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        nonce = secrets.token_urlsafe(16)
        request.csp_nonce = nonce  # type: ignore[attr-defined]
        response = self.get_response(request)
        if (
            "Content-Security-Policy" not in response
            and response.get("Content-Type", "").startswith("text/html")
            and not request.path_info.startswith("/admin/")
            and not (settings.DEBUG and response.status_code >= 500)  # Django's debug page: inline scripts
        ):
            response["Content-Security-Policy"] = (
                f"default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self' 'unsafe-inline'; "
                "img-src 'self' data: https: http:; connect-src 'self'; object-src 'none'; "
                "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
            )
        return response
