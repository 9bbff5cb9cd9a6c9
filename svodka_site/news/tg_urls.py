"""Routes of the contest API under ``/tg/`` (included from ``svodka_site.urls``)."""

from django.urls import re_path

from svodka_site.news import tg_views

urlpatterns = [
    # every path, so that the view answers a bad name as the standalone server does (404, plain text);
    # <name>.html (PUT, DELETE) and threads (GET) are the API's resources
    re_path(r"^(?P<name>.*)$", tg_views.tg_api, name="tg_api"),
]
