"""Routes of the contest API under ``/tg/`` (included from ``svodka_site.urls``)."""

from django.urls import path

from svodka_site.news import tg_views

urlpatterns = [
    path("<str:name>", tg_views.tg_api, name="tg_api"),  # <name>.html (PUT, DELETE) and threads (GET)
]
