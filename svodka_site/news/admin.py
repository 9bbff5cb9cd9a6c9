from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Article, Feed, FetchLog, Place, Provenance, Section, Source


class FeedInline(admin.TabularInline):
    model = Feed
    extra = 0
    fields = ("url", "kind", "status", "error", "next_fetch_at")
    readonly_fields = ("kind", "status", "error", "next_fetch_at")


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "country", "language", "rating", "topic")
    list_filter = ("country", "language", "topic")
    search_fields = ("name", "slug", "home_url")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [FeedInline]


@admin.action(description=_("Fetch now"))
def fetch_now(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Feed]) -> None:
    n = queryset.update(next_fetch_at=timezone.now(), claimed_until=None)
    messages.info(request, _("%(n)d feeds will be fetched on the crawler's next pass.") % {"n": n})


@admin.action(description=_("Reset back-off and errors"))
def reset_backoff(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Feed]) -> None:
    queryset.update(
        failures=0, next_fetch_at=timezone.now(), claimed_until=None, status="new", error="", error_code=""
    )


@admin.action(description=_("Pause"))
def pause(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Feed]) -> None:
    queryset.update(status="paused")


class FetchLogInline(admin.TabularInline):
    model = FetchLog
    extra = 0
    can_delete = False
    readonly_fields = ("at", "outcome", "http_status", "entries", "new_items", "updated_items", "error")
    fields = readonly_fields

    def get_queryset(self, request: HttpRequest) -> QuerySet[FetchLog]:
        return super().get_queryset(request).order_by("-at")


@admin.register(Feed)
class FeedAdmin(admin.ModelAdmin):
    list_display = (
        "url",
        "source",
        "kind",
        "status",
        "http_status",
        "failures",
        "items_total",
        "next_fetch_at",
    )
    list_filter = ("status", "kind", "error_code")
    search_fields = ("url", "source__name", "error")
    readonly_fields = (
        "etag",
        "last_modified",
        "last_attempt_at",
        "last_success_at",
        "claimed_by",
        "claimed_until",
    )
    actions = [fetch_now, reset_backoff, pause]
    inlines = [FetchLogInline]


class ProvenanceInline(admin.TabularInline):
    model = Provenance
    extra = 0
    readonly_fields = ("feed", "guid", "entry_url", "seen_at")
    fields = readonly_fields


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ("title", "source", "published_at", "language", "text_status")
    list_filter = ("text_status", "language", "source__country")
    search_fields = ("title", "url")
    date_hierarchy = "published_at"
    raw_id_fields = ("source", "duplicate_of", "story")  # a <select> of every article/story would not load
    inlines = [ProvenanceInline]


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    """Sections made here and those of SVODKA_SECTIONS (read-only here: the file wins). Changed
    rules apply to new articles; ``svodka manage sections --recompute`` applies them to stored ones."""

    list_display = (
        "slug",
        "name_ru",
        "name_en",
        "categories",
        "languages",
        "words_in",
        "from_settings",
        "enabled",
        "position",
    )
    list_editable = ("enabled", "position")
    list_filter = ("enabled", "from_settings", "words_in")
    filter_horizontal = ("places",)
    search_fields = ("slug", "name_ru", "name_en", "words", "entities")

    def get_readonly_fields(self, request, obj=None):  # type: ignore[no-untyped-def]
        if obj is not None and obj.from_settings:
            return [f.name for f in obj._meta.fields if f.editable] + ["places"]
        return super().get_readonly_fields(request, obj)


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin):
    list_display = ("name_en", "name_ru", "kind", "country", "slug", "population")
    list_filter = ("kind", "country")
    search_fields = ("name_en", "name_ru", "name_uk", "slug")
    raw_id_fields = ("region",)
