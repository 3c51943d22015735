"""Meridian settings: every value comes from an environment variable, with a safe
development default. This is the only module that reads the environment.

The embedded default (no variables set) is SQLite, no broker, emails written to ``var/mail``.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if (BASE_DIR / ".env").exists():
    env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str(
    "SECRET_KEY", default="dev-only-insecure-key-change-me-in-production-0123456789abcdef"
)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "axes",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    # The project's apps, lowest layer first (pyproject.toml's import-linter contract).
    "core",
    "events",
    "registrations",
    "planner",
    "calendars",
    "notifications",
    "pages",
]

MIDDLEWARE = [
    "config.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "config.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "config.middleware.QueryStringMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it answers a locked-out login.
    "axes.middleware.AxesMiddleware",
]

# Logins (the admin's, the console's) go through django-axes first: failed attempts are
# limited per account and per client address (each on its own), then refused for
# LOGIN_LOCKOUT_MINUTES. Staff lift a lock in the admin (Axes: access attempts) or with
# `manage.py axes_reset_username NAME`. Token-authenticated API calls never log in.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

# SQLite when DATABASE_URL is unset (the embedded default), PostgreSQL when it names one.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DATABASE_CONN_MAX_AGE", default=0))
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A writer waits for the lock instead of failing at once; WAL lets readers go on.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )
# PostgreSQL: bind parameters on the server and let psycopg prepare a statement from its
# PREPARE_THRESHOLD-th run on a connection (Django's documented ``server_side_binding`` and
# psycopg's ``prepare_threshold`` options): the database then parses and plans the hot
# statements once per connection. Off behind a pooler that cannot keep prepared statements
# (PgBouncer before 1.21 in transaction mode).
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env.bool(
    "DATABASE_SERVER_SIDE_BINDING", default=True
):
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "server_side_binding": True,
            "prepare_threshold": env.int("DATABASE_PREPARE_THRESHOLD", default=2),
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Time and language. Every instant is stored in UTC.
USE_TZ = True
TIME_ZONE = "UTC"
USE_I18N = True
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("fr", _("French")),
    ("es", _("Spanish")),
    ("de", _("German")),
    ("ru", _("Russian")),
    ("ar", _("Arabic")),
    ("zh-hans", _("Simplified Chinese")),
]
LANGUAGES_BIDI = ["ar"]
LOCALE_PATHS = [BASE_DIR / "locale"]

# A session is "comfortable" for a zone when it lies inside these local hours.
COMFORTABLE_HOURS = (
    env.int("COMFORTABLE_START_HOUR", default=8),
    env.int("COMFORTABLE_END_HOUR", default=21),
)

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env.str(
            "STATICFILES_BACKEND",
            default="django.contrib.staticfiles.storage.StaticFilesStorage",
        )
    },
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_PARSER_CLASSES": [
        "core.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "core.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_RATES": {
        "registrations": env.str("THROTTLE_REGISTRATIONS", default="30/minute"),
        "subscriptions": env.str("THROTTLE_SUBSCRIPTIONS", default="10/minute"),
    },
    "EXCEPTION_HANDLER": "core.api_errors.exception_handler",
    # Every throttle (the API's and the page forms') keys on the client address: the
    # connecting one (0), or the one the last TRUSTED_PROXIES proxies added to
    # X-Forwarded-For. A forged header then buys no fresh budget.
    "NUM_PROXIES": env.int("TRUSTED_PROXIES", default=0),
    # `?format=` filters by event/session format; CSV exports read it themselves.
    "URL_FORMAT_OVERRIDE": None,
}

AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "pages/login_locked.html"
AXES_IPWARE_PROXY_COUNT = REST_FRAMEWORK["NUM_PROXIES"]
AXES_VERBOSE = False

SPECTACULAR_SETTINGS = {
    "TITLE": "Meridian API",
    "DESCRIPTION": "Meetings and webinar series for members in every time zone.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI's assets are served by us (no CDN), which the Content-Security-Policy needs.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "EventFormatEnum": "events.enums.EventFormat",
        "EventStatusEnum": "events.enums.EventStatus",
        "SessionFormatEnum": "events.enums.SessionFormat",
        "SessionStatusEnum": "events.enums.SessionStatus",
        "LanguageEnum": [code for code, _name in LANGUAGES],
        "RegistrationStatusEnum": "registrations.enums.RegistrationStatus",
        "SeatStatusEnum": "registrations.enums.SeatStatus",
    },
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "config.schema.conditional_fields_not_required",
    ],
}

# Cache (throttling, shared state). Redis when configured, local memory otherwise.
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Celery: the production path. Without a broker the embedded default runs work in-process.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_RESULT_BACKEND = None
CELERY_TIMEZONE = "UTC"
CELERY_ENABLE_UTC = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=300)
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=240)
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

# Email: an SMTP server when EMAIL_URL or EMAIL_HOST is given, otherwise one .eml file per
# message in var/mail (open them in any mail program).
EMAIL_URL = env.str("EMAIL_URL", default="")
EMAIL_HOST = env.str("EMAIL_HOST", default="")
if EMAIL_URL:
    vars().update(env.email_url("EMAIL_URL"))
elif EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env.int("EMAIL_PORT", default=25)
    EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
    EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
    EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
    EMAIL_USE_SSL = env.bool("EMAIL_USE_SSL", default=False)
else:
    EMAIL_BACKEND = "core.mail_files.EmlFileBackend"
    EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH", default=str(BASE_DIR / "var" / "mail"))
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Meridian <meridian@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
ORGANIZER_EMAIL = env.str("ORGANIZER_EMAIL", default="meridian@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "config.middleware.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "config.logging.JsonFormatter"},
        "plain": {
            "()": "config.logging.PlainFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s",
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": env.str("LOG_FORMAT", default="json"),
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.request": {"level": "ERROR"}, "django.server": {"level": "WARNING"}},
}

# Security. HTTPS=true (production behind TLS) turns on secure cookies, HSTS and redirects.
HTTPS = env.bool("HTTPS", default=False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=HTTPS)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SESSION_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=HTTPS)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = env.str(
    "CONTENT_SECURITY_POLICY",
    default=(
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
        "form-action 'self'; frame-ancestors 'none'"
    ),
)


# The embedded default's in-process loop (``serve_embedded``): dotted paths called each tick.
EMBEDDED_TICKS: list[str] = ["notifications.outbox.dispatch.embedded_tick"]
EMBEDDED_TICK_SECONDS = env.float("EMBEDDED_TICK_SECONDS", default=10.0)
WHITENOISE_USE_FINDERS = env.bool("WHITENOISE_USE_FINDERS", default=True)

# Calendar feeds: how often subscribers should refresh, and how long a cancelled session stays
# in feeds (as STATUS:CANCELLED) after its cancellation before it leaves them.
CALENDAR_REFRESH_MINUTES = env.int("CALENDAR_REFRESH_MINUTES", default=60)
CALENDAR_CANCELLED_GRACE_DAYS = env.int("CALENDAR_CANCELLED_GRACE_DAYS", default=30)
# A confirmed seat's personal join link opens the meeting from this many minutes before the
# session starts until it ends.
JOIN_OPENS_MINUTES_BEFORE = env.int("JOIN_OPENS_MINUTES_BEFORE", default=15)
# A web process keeps the answer to a feed's conditional request this long before asking the
# shared cache again (0: always ask). Within the feeds' own max-age of 60 s; a write in the
# same process forgets it at once.
CALENDAR_STATE_MEMO_SECONDS = env.float("CALENDAR_STATE_MEMO_SECONDS", default=1.0)

# At most one email about an event goes to an address per this many minutes because of
# public registration requests for it (someone asking again for an address that is already
# registered); later requests are folded into the next one.
REGISTRATION_REQUEST_EMAIL_MINUTES = env.int("REGISTRATION_REQUEST_EMAIL_MINUTES", default=60)

# Notifications (the outbox). Retries back off exponentially in the row, never in Celery.
NOTIFICATIONS_BATCH_SIZE = env.int("NOTIFICATIONS_BATCH_SIZE", default=50)
NOTIFICATIONS_LEASE_SECONDS = env.float("NOTIFICATIONS_LEASE_SECONDS", default=300.0)
NOTIFICATIONS_MAX_ATTEMPTS = env.int("NOTIFICATIONS_MAX_ATTEMPTS", default=8)
NOTIFICATIONS_RETRY_BASE_SECONDS = env.float("NOTIFICATIONS_RETRY_BASE_SECONDS", default=30.0)
NOTIFICATIONS_RETRY_CAP_SECONDS = env.float("NOTIFICATIONS_RETRY_CAP_SECONDS", default=3600.0)
NOTIFICATIONS_DRAIN_SECONDS = env.float("NOTIFICATIONS_DRAIN_SECONDS", default=25.0)
NOTIFICATIONS_TICK_SECONDS = env.float("NOTIFICATIONS_TICK_SECONDS", default=30.0)
# How long a wake sent to the workers holds back further wakes
# (see notifications.outbox.queue.wake).
NOTIFICATIONS_WAKE_PENDING_SECONDS = env.float("NOTIFICATIONS_WAKE_PENDING_SECONDS", default=10.0)
# Edits of one session within this many seconds make one change notice (the debounce).
NOTIFICATIONS_CHANGE_DEBOUNCE_SECONDS = env.float(
    "NOTIFICATIONS_CHANGE_DEBOUNCE_SECONDS", default=180.0
)
# Outcome writes skip the WAL flush wait when true (notifications.outbox.rows.relaxed_commits).
# Off by default: with it, a PostgreSQL crash (not a worker's) can forget the last fraction
# of a second of "sent" outcomes, and those emails go out twice (same Message-ID). The bench
# (bench/notifications.py, 10,000 rows, one worker) measured no gain from it on this machine:
# 271 msg/s synchronous vs 264 relaxed; with reminders, synchronous, 312 msg/s = 61 % of the
# smtplib limit (goal 60 %). Safety wins; set it only if a faster disk-bound host needs it.
NOTIFICATIONS_ASYNC_COMMIT = env.bool("NOTIFICATIONS_ASYNC_COMMIT", default=False)
# Global send rate shared by all workers (a token bucket in Redis); 0 means no limit.
EMAIL_RATE_PER_SECOND = env.float("EMAIL_RATE_PER_SECOND", default=0.0)
# Exactly one beat runs this; a tick that waited longer than its interval is dropped.
CELERY_BEAT_SCHEDULE = {
    "notifications-tick": {
        "task": "notifications.tick",
        "schedule": NOTIFICATIONS_TICK_SECONDS,
        "options": {"expires": NOTIFICATIONS_TICK_SECONDS},
    },
}
