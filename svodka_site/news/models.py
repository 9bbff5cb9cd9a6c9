"""Storage models. Business logic lives in ``actions.py`` / ``storage.py``, not here."""

from __future__ import annotations

from django.db import models
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
    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="articles")
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

    class Meta:
        ordering = ["-published_at", "-id"]
        indexes = [
            models.Index(fields=["source", "-published_at"]),
            models.Index(fields=["text_status", "id"]),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("article", args=[self.pk])


class Provenance(models.Model):
    """How an article reached us: one row per (feed, entry). One article, many provenances."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="provenances")
    feed = models.ForeignKey(Feed, on_delete=models.CASCADE, related_name="provenances")
    guid = models.TextField()
    guid_key = models.CharField(max_length=40, help_text="sha1 of the guid, for the unique index")
    entry_url = models.URLField(max_length=2000, blank=True)
    seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["feed", "guid_key"], name="uniq_feed_guid")]

    def __str__(self) -> str:
        return self.guid
