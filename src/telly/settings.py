"""Telly's settings: every value from a TELLY_* environment variable (see docs/configuration.md).

Defaults make a fresh clone work on SQLite with nothing else installed.
"""

from __future__ import annotations

from pathlib import Path

from telly import config

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(config.env_str("TELLY_DATA_DIR") or (Path.cwd() / "var")).resolve()

DEBUG = config.env_bool("TELLY_DEBUG", False)
SECRET_KEY = config.secret_key("TELLY_SECRET_KEY", DATA_DIR)
ALLOWED_HOSTS = config.env_list("TELLY_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = config.env_list("TELLY_CSRF_TRUSTED_ORIGINS", [])
SITE_URL = config.env_str("TELLY_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
SITE_NAME = config.env_str("TELLY_SITE_NAME", "Telly")

TELLY_DEFAULT_REGION = config.env_region("TELLY_DEFAULT_REGION", "GB")
TIME_ZONE = config.env_time_zone("TELLY_TIME_ZONE", "Europe/London")
USE_TZ = True
LANGUAGE_CODE = "en-gb"
USE_I18N = True

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django_tasks_db",
    # Domain apps, lowest first: an app imports only from apps above it in this list.
    "telly.catalog",
    "telly.streaming",
    "telly.listings",
    "telly.releases",
    "telly.search",
    "telly.importers",
    "telly.accounts",
    "telly.alerts",
    "telly.editorial",
    "telly.newsletters",
    "telly.api",
    "telly.web",
    "telly.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "telly.web.middleware.VisitorMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
]

ROOT_URLCONF = "telly.urls"
WSGI_APPLICATION = "telly.wsgi.application"
ASGI_APPLICATION = "telly.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "telly.web.context_processors.site",
            ],
            "builtins": [
                "telly.web.templatetags.telly",
                "django.contrib.humanize.templatetags.humanize",
                "django.templatetags.static",
            ],
        },
    }
]

DATABASES = {
    "default": config.database_from_url(
        "TELLY_DATABASE_URL", config.env_str("TELLY_DATABASE_URL"), DATA_DIR
    )
}
if (
    DATABASES["default"]["ENGINE"].endswith("sqlite3")
    and DATABASES["default"]["NAME"] != ":memory:"
):
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

_cache_url = config.env_str("TELLY_CACHE_URL")
if _cache_url.startswith(("redis://", "rediss://")):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": _cache_url,
        }
    }
elif _cache_url in {"", "locmem://"}:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    raise config.ConfigError(
        "TELLY_CACHE_URL", f"{_cache_url!r} is not redis://host:6379/0 or locmem://"
    )

# Background work: Django's tasks framework. The database backend needs no broker; `telly worker`
# runs it. TELLY_TASKS_BACKEND=immediate runs tasks in the request (development, tests).
_tasks_backend = config.env_str("TELLY_TASKS_BACKEND", "database")
TASKS = {
    "default": {
        "BACKEND": {
            "database": "django_tasks_db.DatabaseBackend",
            "immediate": "django.tasks.backends.immediate.ImmediateBackend",
            "dummy": "django.tasks.backends.dummy.DummyBackend",
        }.get(_tasks_backend)
        or _tasks_backend,
        "QUEUES": [],
    }
}

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "/account/login/"
LOGIN_REDIRECT_URL = "/account/"
LOGOUT_REDIRECT_URL = "/"

vars().update(config.email_from_url("TELLY_EMAIL_URL", config.env_str("TELLY_EMAIL_URL")))
DEFAULT_FROM_EMAIL = vars().get("DEFAULT_FROM_EMAIL") or config.env_str(
    "TELLY_EMAIL_FROM", "Telly <telly@localhost>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
TELLY_EMAIL_RATE = config.env_float("TELLY_EMAIL_RATE", 10.0)  # messages per second per worker

STATIC_URL = "/static/"
STATIC_ROOT = Path(config.env_str("TELLY_STATIC_ROOT") or (DATA_DIR / "static"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_MANIFEST_STRICT = False
WHITENOISE_MAX_AGE = 3600

TELLY_TMDB_API_KEY = config.env_str("TELLY_TMDB_API_KEY")
TELLY_TVMAZE_URL = config.env_str("TELLY_TVMAZE_URL", "https://api.tvmaze.com").rstrip("/")
TELLY_TMDB_URL = config.env_str("TELLY_TMDB_URL", "https://api.themoviedb.org/3").rstrip("/")
TELLY_AD_TAG = config.env_str("TELLY_AD_TAG")

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
_https = SITE_URL.startswith("https://")
SESSION_COOKIE_SECURE = _https
CSRF_COOKIE_SECURE = _https

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": config.env_str("TELLY_LOG_LEVEL", "WARNING")},
}

# --- editorial ---
# The podcast feed's channel tags (podcast apps require an owner e-mail, artwork and a category).
TELLY_PODCAST_EMAIL = config.env_str("TELLY_PODCAST_EMAIL", "podcast@example.org")
TELLY_PODCAST_IMAGE_URL = config.env_str("TELLY_PODCAST_IMAGE_URL")  # default: bundled artwork
TELLY_PODCAST_CATEGORY = config.env_str("TELLY_PODCAST_CATEGORY", "TV & Film")

# --- newsletters ---
# Days a confirmation link works; unconfirmed sign-ups are forgotten after it.
TELLY_NEWSLETTER_CONFIRM_DAYS = config.env_int("TELLY_NEWSLETTER_CONFIRM_DAYS", 7, minimum=1)
# Hours before a second sign-up with the same address may send another confirmation email.
TELLY_NEWSLETTER_CONFIRM_RESEND_HOURS = config.env_int(
    "TELLY_NEWSLETTER_CONFIRM_RESEND_HOURS", 24, minimum=0
)
# Seconds a worker may hold claimed sends before another worker takes them back (crash recovery).
TELLY_NEWSLETTER_LEASE = config.env_int("TELLY_NEWSLETTER_LEASE", 300, minimum=1)
# Sign-up attempts allowed per client per hour and per address per day.
TELLY_NEWSLETTER_SIGNUPS_PER_CLIENT = config.env_int(
    "TELLY_NEWSLETTER_SIGNUPS_PER_CLIENT", 10, minimum=1
)
TELLY_NEWSLETTER_SIGNUPS_PER_ADDRESS = config.env_int(
    "TELLY_NEWSLETTER_SIGNUPS_PER_ADDRESS", 3, minimum=1
)

# --- accounts ---
# Failed log-ins allowed per (username, client address) before refusing it for the window (seconds).
TELLY_LOGIN_ATTEMPTS = config.env_int("TELLY_LOGIN_ATTEMPTS", 5, minimum=1)
TELLY_LOGIN_WINDOW = config.env_int("TELLY_LOGIN_WINDOW", 900, minimum=1)

# --- alerts ---
# Seconds a worker may hold claimed alerts before another worker takes them back (crash recovery).
TELLY_ALERT_LEASE = config.env_int("TELLY_ALERT_LEASE", 300, minimum=1)

# --- editorial (continued) ---
# The magazine's pages send their own Content-Security-Policy (see docs/editorial.md).
TELLY_EDITORIAL_CSP = config.env_bool("TELLY_EDITORIAL_CSP", True)

# --- search ---
TELLY_SEARCH_DIR = Path(
    config.env_str("TELLY_SEARCH_DIR") or (DATA_DIR / "search")
)  # built index files
