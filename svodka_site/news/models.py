"""Storage models. Business logic lives in ``actions.py`` / ``storage.py``, not here."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Source(models.Model):
    """An outlet: one newsroom that may publish several feeds."""

    name = models.CharField(_("name"), max_length=300)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    home_url = models.URLField(_("home page"), max_length=2000, blank=True)
    country = models.CharField(_("country"), max_length=8, blank=True, help_text="ISO 3166 code")
    language = models.CharField(_("language"), max_length=16, blank=True)
    rating = models.FloatField(_("rating"), default=1.0)
    topic = models.CharField(_("topic"), max_length=100, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("source", args=[self.slug])


class FeedStatus(models.TextChoices):
    NEW = "new", _("not fetched yet")
    OK = "ok", _("working")
    ERROR = "error", _("failing")
    GONE = "gone", _("gone")
    PAUSED = "paused", _("paused")


class Feed(models.Model):
    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="feeds")
    url = models.URLField(_("feed URL"), max_length=2000, unique=True)
    kind = models.CharField(_("format"), max_length=20, blank=True)
    title = models.CharField(max_length=500, blank=True)
    etag = models.CharField(max_length=500, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    status = models.CharField(max_length=10, choices=FeedStatus.choices, default=FeedStatus.NEW)
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    error_code = models.CharField(max_length=40, blank=True)
    error = models.TextField(_("last error"), blank=True, help_text="plain words")
    warnings = models.TextField(blank=True)
    failures = models.PositiveIntegerField(default=0, help_text="consecutive failures")
    items_total = models.PositiveIntegerField(default=0, help_text="articles this feed brought")
    last_items = models.PositiveIntegerField(default=0, help_text="entries in the last good fetch")
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_new_at = models.DateTimeField(null=True, blank=True)
    next_fetch_at = models.DateTimeField(default=timezone.now, db_index=True)
    interval_s = models.PositiveIntegerField(default=600)
    schedule_note = models.CharField(max_length=300, blank=True)
    claimed_by = models.CharField(max_length=100, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    websub_hub = models.URLField(max_length=2000, blank=True)
    websub_topic = models.URLField(max_length=2000, blank=True)
    websub_secret = models.CharField(max_length=64, blank=True)
    websub_state = models.CharField(max_length=20, blank=True)
    websub_expires_at = models.DateTimeField(null=True, blank=True)
    websub_requested_at = models.DateTimeField(null=True, blank=True)
    websub_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["url"]

    def __str__(self) -> str:
        return self.url


class FetchLog(models.Model):
    """One fetch attempt of a feed, for its status page (the newest few are kept)."""

    feed = models.ForeignKey(Feed, on_delete=models.CASCADE, related_name="log")
    at = models.DateTimeField(default=timezone.now)
    duration_ms = models.PositiveIntegerField(default=0)
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    outcome = models.CharField(max_length=20)  # ok / not_modified / error / push
    worker = models.CharField(max_length=100, blank=True)
    entries = models.PositiveIntegerField(default=0)
    new_items = models.PositiveIntegerField(default=0)
    updated_items = models.PositiveIntegerField(default=0)
    error_code = models.CharField(max_length=40, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["feed", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.outcome}"


class TextStatus(models.TextChoices):
    PENDING = "pending", _("waiting for the page")
    OK = "ok", _("full text")
    FAILED = "failed", _("page could not be read")
    ROBOTS = "robots", _("the site's robots.txt forbids reading the page")
    SKIPPED = "skipped", _("feed text only")


class Article(models.Model):
    # db_index=False: the (source, -published_at) index serves lookups by source
    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="articles", db_index=False)
    url = models.URLField(max_length=2000, unique=True, null=True, blank=True)  # canonical
    guid = models.CharField(max_length=2000, blank=True)
    title = models.TextField()
    summary = models.TextField(blank=True, help_text="sanitised HTML from the feed")
    content = models.TextField(blank=True, help_text="sanitised HTML: page body, else feed content")
    text = models.TextField(blank=True, help_text="plain text of the body")
    author = models.CharField(max_length=300, blank=True)
    image = models.URLField(max_length=2000, blank=True)
    language = models.CharField(max_length=16, blank=True)
    published_at = models.DateTimeField(db_index=True)
    date_note = models.CharField(max_length=300, blank=True)
    first_seen_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(null=True, blank=True)
    content_hash = models.CharField(max_length=40, blank=True)
    text_status = models.CharField(max_length=10, choices=TextStatus.choices, default=TextStatus.PENDING)
    text_error = models.CharField(max_length=500, blank=True)
    text_claimed_until = models.DateTimeField(null=True, blank=True)
    understand_claimed_until = models.DateTimeField(null=True, blank=True)
    # understanding (svodka.understand)
    lang_confidence = models.FloatField(null=True, blank=True)
    category = models.CharField(max_length=16, blank=True)  # indexed by (category, -published_at)
    category_confidence = models.FloatField(null=True, blank=True)
    # (indexed below where set: most articles are no copies, and none is when it is stored)
    duplicate_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="copies",
        help_text="the original this article reprints (near-duplicate)",
        db_index=False,
    )
    fingerprint = models.TextField(blank=True)
    understood_at = models.DateTimeField(null=True, blank=True)
    places = models.ManyToManyField("Place", through="ArticlePlace", related_name="articles", blank=True)
    sections = models.ManyToManyField("Section", related_name="articles", blank=True)
    # (indexed below where set: an article has no story until it is understood)
    story = models.ForeignKey(
        "Story", null=True, blank=True, on_delete=models.SET_NULL, related_name="article_set", db_index=False
    )

    class Meta:
        ordering = ["-published_at", "-id"]
        indexes = [
            models.Index(fields=["source", "-published_at"]),
            models.Index(fields=["text_status", "id"]),
            models.Index(fields=["understood_at", "id"]),
            models.Index(fields=["category", "-published_at"]),
            # Partial: storing an article writes no entry for its empty story and original (a
            # replay of the ingest benchmark's inserts: 0.29 -> 0.24 s per 10,000 articles with
            # these and the category index left out). Lookups by a story or an original
            # ("story_id = ...") imply "IS NOT NULL", so SQLite and PostgreSQL use them.
            models.Index(fields=["story"], name="news_article_story_set", condition=Q(story__isnull=False)),
            models.Index(
                fields=["duplicate_of"], name="news_article_copy_of", condition=Q(duplicate_of__isnull=False)
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("article", args=[self.pk])


class Provenance(models.Model):
    """How an article reached us: one row per (feed, entry). One article, many provenances."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="provenances")
    # db_index=False: the unique (feed, guid_key) index serves lookups by feed
    feed = models.ForeignKey(Feed, on_delete=models.CASCADE, related_name="provenances", db_index=False)
    guid = models.TextField()
    guid_key = models.CharField(max_length=40, help_text="sha1 of the guid, for the unique index")
    entry_url = models.URLField(max_length=2000, blank=True)
    seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["feed", "guid_key"], name="uniq_feed_guid")]

    def __str__(self) -> str:
        return self.guid


class PlaceKind(models.TextChoices):
    CITY = "city", _("city")
    REGION = "region", _("region")
    COUNTRY = "country", _("country")


class Place(models.Model):
    """A city, region or country an article is about (GeoNames ids where they exist)."""

    id = models.BigIntegerField(primary_key=True, help_text="GeoNames id (or a stable svodka id)")
    kind = models.CharField(max_length=10, choices=PlaceKind.choices)
    slug = models.SlugField(max_length=120)
    name_en = models.CharField(max_length=200)
    name_ru = models.CharField(max_length=200, blank=True)
    name_uk = models.CharField(max_length=200, blank=True)
    country = models.CharField(max_length=8, blank=True)
    region = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    population = models.BigIntegerField(default=0)

    class Meta:
        ordering = ["-population", "name_en"]
        constraints = [models.UniqueConstraint(fields=["kind", "slug"], name="uniq_place_kind_slug")]

    def __str__(self) -> str:
        return self.name_en

    def get_absolute_url(self) -> str:
        kind = (
            "city"
            if self.kind == PlaceKind.CITY
            else "region"
            if self.kind == PlaceKind.REGION
            else "country"
        )
        return reverse(kind, args=[self.slug])

    def name(self, lang: str) -> str:
        return (self.name_ru if lang == "ru" else self.name_uk if lang == "uk" else "") or self.name_en


class ArticlePlace(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE)
    place = models.ForeignKey(Place, on_delete=models.CASCADE)
    confidence = models.FloatField(default=0.0)
    mentions = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["article", "place"], name="uniq_article_place")]
        indexes = [models.Index(fields=["place", "article"])]

    def __str__(self) -> str:
        return f"{self.place_id} in {self.article_id}"


class SectionScope(models.TextChoices):
    TITLE = "title", _("title")
    LEAD = "lead", _("title and lead")
    TEXT = "text", _("anywhere in the text")


class Section(models.Model):
    """A section beyond categories (music, ecology, incidents, elections …): rules over category,
    language, places, named entities and words (svodka.understand.sections). An article belongs
    when every rule that is set matches (words: any of them; entities: any of them). Defined in
    the admin or in the ``SVODKA_SECTIONS`` file (docs/settings.md); membership is stored per
    article when it is understood (``svodka manage sections --recompute`` applies changed rules
    to the articles already stored)."""

    slug = models.SlugField(max_length=60, unique=True)
    name_en = models.CharField(max_length=100)
    name_ru = models.CharField(max_length=100)
    categories = models.CharField(
        max_length=200, blank=True, help_text="comma-separated categories; empty: any"
    )
    languages = models.CharField(max_length=100, blank=True, help_text="comma-separated codes; empty: any")
    places = models.ManyToManyField(
        Place, blank=True, help_text="empty: anywhere; a region includes its cities"
    )
    words = models.TextField(
        blank=True,
        help_text="one word or phrase per line; matches whole words in any inflected form "
        "(выборы: выборах, выборов; vote: votes, voted); a trailing * matches a stem (эколог*)",
    )
    exclude_words = models.TextField(blank=True, help_text="as words; looked for in the whole text")
    entities = models.TextField(
        blank=True,
        help_text="one name per line (Роскосмос, NASA, Алла Пугачёва): the article must mention one; "
        "matches inflected and Latin spellings",
    )
    words_in = models.CharField(
        max_length=8,
        choices=SectionScope.choices,
        default=SectionScope.LEAD,
        help_text="where words and entities must appear; the lead is the text's first 500 characters",
    )
    from_settings = models.BooleanField(
        default=False, editable=False, help_text="defined in SVODKA_SECTIONS: edits here are overwritten"
    )
    position = models.PositiveSmallIntegerField(default=100)
    enabled = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "slug"]

    def __str__(self) -> str:
        return self.slug

    def get_absolute_url(self) -> str:
        return reverse("section", args=[self.slug])

    def name(self, lang: str) -> str:
        return self.name_ru if lang == "ru" else self.name_en


class Story(models.Model):
    """Every outlet's article about one happening (svodka.stories). The id is the first
    article's id; when two stories merge the smaller id survives."""

    id = models.BigIntegerField(primary_key=True)
    title = models.TextField(blank=True)
    lead = models.TextField(blank=True)
    lang = models.CharField(max_length=16, blank=True)
    category = models.CharField(max_length=16, blank=True)
    first_at = models.DateTimeField()
    last_at = models.DateTimeField()
    articles = models.PositiveIntegerField(default=0)
    sources = models.PositiveIntegerField(default=0, help_text="distinct outlets")
    centroid = models.BinaryField(blank=True, default=b"", help_text="float32 vector (512)")
    terms = models.TextField(blank=True, help_text="salient entity and number tokens, space-separated")
    places = models.TextField(blank=True, help_text="place ids, comma-separated")
    source_ids = models.TextField(blank=True, help_text="outlet ids, comma-separated")
    representatives = models.JSONField(
        default=dict, blank=True, help_text="{language: [article id, similarity to the centroid]}"
    )
    score = models.FloatField(default=0.0)
    score_parts = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-score", "-last_at"]
        indexes = [
            models.Index(fields=["-score", "last_at"], name="story_active_score"),
            models.Index(fields=["-last_at"], name="story_last_at"),
        ]
        verbose_name_plural = "stories"

    def __str__(self) -> str:
        return self.title or f"story {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("story", args=[self.pk])
