"""Guangong settings, read from environment variables.

With no variable set at all, Guangong runs as an embedded single-machine install: SQLite and
the task queue's store under ./var/, DEBUG on, bound to 127.0.0.1. Production sets
``GUANGONG_ENV=production`` (or ``DEBUG=0``) and must then provide a real ``SECRET_KEY``; see
README.md. Guangong's own limits and retention periods are in ``settings/platform.py``.
"""

import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from whitenoise.compress import Compressor

from .env import PRODUCTION, VAR_DIR, env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_SECRET_KEY = "guangong-insecure-development-key-change-me"  # noqa: S105


DEBUG = env_bool("DEBUG", not PRODUCTION)
TESTING = "pytest" in sys.modules or env_bool("GUANGONG_TESTING", False)
SECRET_KEY = env_str("SECRET_KEY", DEFAULT_SECRET_KEY)

if PRODUCTION or not DEBUG:
    if DEBUG:
        raise ImproperlyConfigured("Refusing to start: DEBUG is on in production.")
    if SECRET_KEY == DEFAULT_SECRET_KEY or len(SECRET_KEY) < 32:
        raise ImproperlyConfigured(
            "Refusing to start: set SECRET_KEY to a random value of at least 32 characters."
        )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_tables2",
    "django_htmx",
    "treebeard",
    "axes",
    "huey.contrib.djhuey",
    "guangong.core",
    "guangong.audit",
    "guangong.accounts",
    "guangong.orgs",
    "guangong.orggroups",
    "guangong.dicts",
    "guangong.jobs",
    "guangong.people",
    "guangong.activities",
    "guangong.care",
    "guangong.reporting",
    "guangong.documents",
    "guangong.stats",
    "guangong.helpdesk",
    "guangong.notices",
    "guangong.meetings",
    "guangong.workplans",
    "guangong.demo",
    "guangong.home",
    "guangong.notifications",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "guangong.core.middleware.RequestContextMiddleware",
    "guangong.core.middleware.HealthProbeMiddleware",
    "guangong.core.metrics.MetricsMiddleware",
    "guangong.core.observability.RequestLogMiddleware",
    "guangong.core.middleware.RequestSizeMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "guangong.core.middleware.ChineseByDefaultMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "guangong.core.middleware.LoginRequiredMiddleware",
    "axes.middleware.AxesMiddleware",
    "guangong.core.middleware.ErrorPagesMiddleware",
]

if not DEBUG:
    # Static files from the app server in production; runserver serves them in development.
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "guangong.urls"
WSGI_APPLICATION = "guangong.wsgi.application"

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
                "guangong.core.context_processors.shell",
                "guangong.home.context_processors.todo_badge",
                "guangong.notifications.context_processors.unread_messages",
            ],
        },
    }
]

# --- Database -------------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'guangong.sqlite3'}")
# Connections are kept open between requests (CONN_MAX_AGE seconds) and checked before reuse.
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=env_bool("CONN_HEALTH_CHECKS", True),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # An unreachable server fails fast (pages answer 503) instead of hanging every worker.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault(
        "connect_timeout", env_int("DATABASE_CONNECT_TIMEOUT", 5)
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
    # Tests use a file, not the in-memory default: the browser tests' live server answers
    # requests on several threads, and an in-memory database would be one connection shared
    # between them (two requests at once then fail); a file gives each thread its own
    # connection, serialised by SQLite's locks like in production.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-guangong.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts and security ------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "guangong.accounts.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    # Hashing cost is not what the tests measure; the production list above stays Argon2.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Lockout: five failures for one username from one address lock it for 30 minutes. The
# address is the client's as the audit log sees it: behind TRUSTED_PROXY_COUNT proxies, the
# forwarded one (not the proxy's, which would let anyone lock any account); without proxies,
# the connection's (a forged X-Forwarded-For is ignored).
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 30) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "guangong.core.middleware.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
AXES_ENABLED = env_bool("AXES_ENABLED", True)

# Sessions end after two idle hours and at most eight hours after login. The idle timer is
# renewed by writing the session at most once every SESSION_TOUCH_SECONDS (not on every request).
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_SECONDS", 2 * 3600)
SESSION_SAVE_EVERY_REQUEST = False
SESSION_TOUCH_SECONDS = env_int("SESSION_TOUCH_SECONDS", 60)
SESSION_ABSOLUTE_SECONDS = env_int("SESSION_ABSOLUTE_SECONDS", 8 * 3600)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE = env_bool("SECURE_COOKIES", PRODUCTION)
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_REDIRECT_EXEMPT = [
    r"^healthz$",
    r"^readyz$",
    r"^metrics$",
]  # probes speak plain HTTP to the app
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if PRODUCTION else None
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy: everything from our own origin, no inline scripts.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# Number of client proxies in front of the app whose X-Forwarded-For may be trusted.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

# --- Language and time ----------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = env_str("TIME_ZONE", "Asia/Shanghai")
USE_TZ = True

# --- Static files ---------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# collectstatic in production: only the hashed names are kept (every page names its files through
# the manifest), and source maps, fetched only by a browser's developer tools, are not compressed
# (brotli over the API documentation's 4 MB maps took most of collectstatic's time).
WHITENOISE_KEEP_ONLY_HASHED_FILES = True
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = (*Compressor.SKIP_COMPRESS_EXTENSIONS, "map")

# --- Cache ----------------------------------------------------------------------------------
# Rate-limit counters (API throttling, the public help desk) live here: shared by every worker
# process through Redis when REDIS_URL is set (falling back to a database table while Redis is
# unavailable: core/cache.py), in the process's memory otherwise.
REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "guangong.core.cache.ResilientRedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Background tasks -----------------------------------------------------------------------
if REDIS_URL:
    HUEY = {"huey_class": "huey.RedisHuey", "name": "guangong", "url": REDIS_URL}
else:
    # The embedded store opens at start-up, so its folder must exist first.
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "guangong",
        "filename": str(VAR_DIR / "tasks.sqlite3"),
    }
HUEY["immediate"] = env_bool("TASKS_IMMEDIATE", TESTING)
HUEY["utc"] = False  # crontab schedules read local time (TIME_ZONE), as people say them
HUEY["consumer"] = {"workers": env_int("TASK_WORKERS", 2), "worker_type": "thread"}

# --- Tables ---------------------------------------------------------------------------------
DJANGO_TABLES2_TEMPLATE = "core/table.html"
DJANGO_TABLES2_PAGE_RANGE = 5

# --- Field encryption -----------------------------------------------------------------------
# Keys of the encrypted personal fields and of their blind index, apart from SECRET_KEY (see
# docs/keys.md). Unset, public development keys are used; production refuses to start with them.
FIELD_ENCRYPTION_KEYS = env_str("FIELD_ENCRYPTION_KEYS", "")  # "kid:key,…", the first encrypts
FIELD_HASH_KEY = env_str("FIELD_HASH_KEY", "")
from guangong.core.crypto import check_key_settings  # noqa: E402 - it reads no settings

check_key_settings(FIELD_ENCRYPTION_KEYS, FIELD_HASH_KEY, production=PRODUCTION)
# --- End of field encryption ----------------------------------------------------------------

# --- Health checks and error pages ---------------------------------------------------------
# /readyz: the task worker must have beaten within this many seconds (core.health), and the
# folders of VAR_DIR and MEDIA_ROOT must have at least this much free space.
HEALTH_WORKER_MAX_AGE = env_int("HEALTH_WORKER_MAX_AGE", 60)
HEALTH_MIN_FREE_DISK_MB = env_int("HEALTH_MIN_FREE_DISK_MB", 512)
# The largest request body, uploaded files apart; larger ones get the 413 page.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 2_621_440)
CSRF_FAILURE_VIEW = "guangong.core.errors.csrf_failure"
# --- End of health checks and error pages ---------------------------------------------------

# Console only (systemd's journal or the container runtime collects it); one JSON object a line
# in production, with the request id, user, path, status and duration (core/observability.py).
LOG_LEVEL = env_str("LOG_LEVEL", "INFO" if PRODUCTION else "WARNING")
LOG_FORMAT = env_str("LOG_FORMAT", "json" if PRODUCTION else "text")
# Statements slower than this many milliseconds are logged (their text, never their values).
SLOW_QUERY_MS = env_int("SLOW_QUERY_MS", 500)
# /metrics (Prometheus) answers only clients in these networks, as the audit log sees them.
METRICS_ALLOWED_NETWORKS = env_list("METRICS_ALLOWED_NETWORKS", ["127.0.0.0/8", "::1/128"])
# Error reports go to Sentry (or a compatible service) when this is set; request bodies, cookies
# and user details are never sent.
SENTRY_DSN = env_str("SENTRY_DSN", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request": {"()": "guangong.core.observability.RequestFilter"}},
    "formatters": {
        "json": {"()": "guangong.core.observability.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT if LOG_FORMAT in ("json", "text") else "text",
            "filters": ["request"],
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    # 4xx answers are the request log's business; django.request adds only the 5xx tracebacks.
    "loggers": {"django.request": {"level": "ERROR"}},
}

if SENTRY_DSN:
    from guangong.core.observability import init_error_reporting

    init_error_reporting(SENTRY_DSN, environment=env_str("GUANGONG_ENV", "development"))

from .platform import *  # noqa: E402, F403 - Guangong's own settings
