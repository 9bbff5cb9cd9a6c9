"""Django settings for svodka, driven by environment variables.

Embedded default: SQLite (WAL) under ``SVODKA_DATA``. Scale-out: ``DATABASE_URL`` (PostgreSQL).
Every setting is documented in docs/settings.md.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent


def _env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


DATA_DIR = Path(os.environ.get("SVODKA_DATA") or Path.cwd() / ".svodka" / "data").resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    key = os.environ.get("SVODKA_SECRET_KEY")
    if key:
        return key
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = _env_bool("SVODKA_DEBUG", False)
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("SVODKA_ALLOWED_HOSTS", "*").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("SVODKA_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "svodka_site.news",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "svodka_site.news.middleware.ReaderTimezoneMiddleware",
    "svodka_site.news.middleware.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "svodka_site.urls"
WSGI_APPLICATION = "svodka_site.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "svodka_site.news.context_processors.site",
            ],
        },
    },
]

_database_url = os.environ.get("DATABASE_URL")
if _database_url:
    DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "svodka.sqlite3",
            "OPTIONS": {
                # One writer (the crawler), readers in the web process: WAL lets them not block.
                "transaction_mode": "IMMEDIATE",
                "timeout": 30,
                # page_size first: it only takes on a new, empty file (before WAL). 16 kB pages
                # write a quarter as many WAL frames as the 4 kB default: a replay of the ingest
                # benchmark's saves took 15 % less time, though the whole crawl did not measurably
                # change (BENCHMARKS.md, ingest).
                "init_command": "PRAGMA page_size=16384; PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                "PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY;",
            },
            # A file, not the in-memory default: tests run the crawler's writer thread beside a
            # live server, and shared-cache memory databases answer "table is locked" instead of
            # waiting as a real WAL file does.
            "TEST": {"NAME": os.environ.get("SVODKA_TEST_SQLITE") or str(DATA_DIR / "test.sqlite3")},
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
        }
    }

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = os.environ.get("SVODKA_LANGUAGE", "ru")
LANGUAGES = [("ru", "Русский"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"  # storage is UTC; SVODKA_TIME_ZONE is what readers see by default
SVODKA_TIME_ZONE = os.environ.get("SVODKA_TIME_ZONE", "Europe/Moscow")

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"

# --- svodka's own settings (documented in docs/settings.md) -----------------------------
SVODKA_SITE_NAME = os.environ.get("SVODKA_SITE_NAME", "svodka")
SVODKA_CONTACT_URL = os.environ.get("SVODKA_CONTACT_URL", "https://github.com/svodka/svodka")
SVODKA_USER_AGENT = os.environ.get(
    "SVODKA_USER_AGENT", f"svodka/0.1 (+{SVODKA_CONTACT_URL}; news aggregator)"
)
SVODKA_PUBLIC_URL = os.environ.get("SVODKA_PUBLIC_URL", "")  # for WebSub callbacks
SVODKA_PER_HOST = int(os.environ.get("SVODKA_PER_HOST", "2"))
SVODKA_CONCURRENCY = int(os.environ.get("SVODKA_CONCURRENCY", "100"))
SVODKA_FETCH_PAGES = _env_bool("SVODKA_FETCH_PAGES", True)
SVODKA_MIN_INTERVAL = int(os.environ.get("SVODKA_MIN_INTERVAL", "60"))
SVODKA_DEFAULT_INTERVAL = int(os.environ.get("SVODKA_DEFAULT_INTERVAL", "600"))
SVODKA_MAX_INTERVAL = int(os.environ.get("SVODKA_MAX_INTERVAL", str(6 * 3600)))
# Sections defined outside the admin: a TOML/JSON file's path, or JSON (svodka_site.news.sections)
SVODKA_SECTIONS = os.environ.get("SVODKA_SECTIONS", "")
# Search backend: "tantivy" (embedded index under SVODKA_SEARCH_DIR), "postgres" (full-text
# search in the database; the default when DATABASE_URL is PostgreSQL) or "off".
SVODKA_SEARCH = os.environ.get("SVODKA_SEARCH") or (
    "postgres" if DATABASES["default"]["ENGINE"].endswith("postgresql") else "tantivy"
)
SVODKA_SEARCH_DIR = Path(os.environ.get("SVODKA_SEARCH_DIR") or DATA_DIR / "search")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("SVODKA_LOG_LEVEL", "WARNING")},
}
