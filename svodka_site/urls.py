from django.contrib import admin
from django.urls import include, path, re_path

from svodka_site.news import search_views, story_views, views

FEED_SUFFIXES = (("rss.xml", "rss"), ("atom.xml", "atom"), ("feed.json", "json"))


def with_feeds(route: str, view, name: str) -> list:  # type: ignore[no-untyped-def,type-arg]
    """The HTML page at ``route`` plus its RSS, Atom and JSON twins."""
    pats = [path(route, view, name=name)]
    for suffix, fmt in FEED_SUFFIXES:
        pats.append(path(route + suffix, view, {"fmt": fmt}, name=f"{name}_{fmt}"))
    return pats


DAY = r"(?P<day>\d{4}-\d{2}-\d{2})"

urlpatterns = [
    *with_feeds("", views.front, "front"),
    path("a/<int:pk>/", views.article, name="article"),
    *with_feeds("story/<int:pk>/", story_views.story, "story"),
    path("stories/", story_views.stories_index, name="stories"),
    path("sources/", views.sources, name="sources"),
    *with_feeds("source/<slug:slug>/", views.source, "source"),
    *with_feeds("source/<slug:slug>/<str:day>/", views.source_day, "source_day"),
    path("archive/", views.archive_index, name="archive_index"),
    *with_feeds("category/<slug:name>/", views.category, "category"),
    *with_feeds("lang/<slug:code>/", views.language_edition, "language"),
    *with_feeds("section/<slug:slug>/", views.section, "section"),
    *with_feeds("city/<str:slug>/", views.city, "city"),  # names too: redirect
    *with_feeds("region/<str:slug>/", views.region, "region"),  # names too: redirect
    *with_feeds("country/<str:slug>/", views.country, "country"),  # names too: redirect
    path("places/", views.places_index, name="places"),
    path("my-city/", views.choose_city, name="choose_city"),
    re_path(rf"^archive/{DAY}/(?P<hour>\d{{2}}):(?P<minute>\d{{2}})/$", views.archive, name="archive_minute"),
    re_path(rf"^archive/{DAY}/(?P<hour>\d{{2}})/$", views.archive, name="archive_hour"),
    re_path(rf"^archive/{DAY}/$", views.archive, name="archive_day"),
    re_path(
        rf"^archive/{DAY}/(?:(?P<hour>\d{{2}})(?::(?P<minute>\d{{2}}))?/)?(?P<suffix>rss\.xml|atom\.xml|feed\.json)$",
        views.archive_feed,
        name="archive_feed",
    ),
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("api/articles", views.api_articles, name="api_articles"),
    path("api/sources", views.api_sources, name="api_sources"),
    path("api/search", search_views.api_search, name="api_search"),
    path("api/openapi.json", search_views.openapi, name="api_openapi"),
    path("api/", search_views.api_index, name="api_index"),
    *with_feeds("search/", search_views.search, "search"),
    path("search", search_views.search),  # /search?q=… as the issue writes it
    path("websub/<int:feed_id>/", views.websub_callback, name="websub"),
    path("tg/", include("svodka_site.news.tg_urls")),  # the Telegram contest's API (svodka tg server)
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
