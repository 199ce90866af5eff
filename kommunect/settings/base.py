"""Settings shared by every environment.

Everything that differs between a laptop and a municipal data centre comes
from environment variables; with none set, Kommunect runs embedded: SQLite,
the in-memory channel layer, database search and e-mail to the console.
"""

from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
PROJECT_DIR = BASE_DIR / "kommunect"

env = environ.Env()

# Only the embedded default may use this key; production refuses it.
DEV_SECRET_KEY = "django-insecure-kommunect-dev-key-never-use-in-production"
SECRET_KEY = env("SECRET_KEY", default=DEV_SECRET_KEY)
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "daphne",
    "members",
    "home",
    "communities",
    "chat",
    "search",
    "wagtail.contrib.settings",
    "wagtail.contrib.redirects",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "channels",
    "django_htmx",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "kommunect.middleware.GermanFirstLocaleMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "kommunect.middleware.RejectNulBytesMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "kommunect.middleware.ApiErrorShapeMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "kommunect.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

WSGI_APPLICATION = "kommunect.wsgi.application"
ASGI_APPLICATION = "kommunect.asgi.application"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
}
DATABASES["default"].setdefault("ATOMIC_REQUESTS", False)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let daphne's threads write without "database is
    # locked" errors in the embedded default.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault(
        "init_command", "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
    )
    DATABASES["default"]["OPTIONS"].setdefault("timeout", 20)
    DATABASES["default"]["OPTIONS"].setdefault("transaction_mode", "IMMEDIATE")
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", 60)
    DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "members.User"

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

# --- Channels -------------------------------------------------------------
REDIS_URL = env("REDIS_URL", default="")
# Frames waiting for one socket before the layer drops the next ones
# (Channels' default is 100): a busy chat room must not lose messages to a
# reader that is a moment behind.
CHANNEL_CAPACITY = 2_000
# channels-redis waits for frames with BZPOPMIN for up to 5 seconds, and
# redis-py 8 gives up reading after 5 seconds by default (socket_timeout): a
# quiet socket raced its own timeout and its consumer failed ("Timeout
# reading", redis/redis-py#4091). Longer than the wait, so that a Redis that
# is really gone is still noticed.
CHANNEL_LAYER_SOCKET_TIMEOUT = 15
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                "hosts": [
                    {
                        "address": REDIS_URL,
                        "socket_timeout": CHANNEL_LAYER_SOCKET_TIMEOUT,
                    }
                ],
                "capacity": CHANNEL_CAPACITY,
            },
        }
    }
    CACHES = {
        "default": {
            "BACKEND": "kommunect.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
        }
    }
else:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels.layers.InMemoryChannelLayer",
            "CONFIG": {"capacity": CHANNEL_CAPACITY},
        }
    }
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "kommunect",
        }
    }

# Rate limits (kommunect/ratelimit.py) count over a sliding window in Redis,
# or in memory without REDIS_URL; if Redis is down they let requests through
# rather than refuse everyone.
# Chat messages a person may send (websocket and API together).
CHAT_SEND_RATE = env("CHAT_SEND_RATE", default="10/10s")

# --- Search -----------------------------------------------------------------
# "database" (PostgreSQL full-text search, SQLite FTS5), or an engine:
# elasticsearch://host:9200/<index>, opensearch://host:9200/<index>
# (search.backends).
SEARCH_URL = env("SEARCH_URL", default="database")
# Searches and suggestions per person (or address, signed out).
SEARCH_RATE = env("SEARCH_RATE", default="120/m")
# Seconds a search may take in the database before it is stopped and the
# reader is asked to narrow it (a word in most documents, many ORs).
SEARCH_TIMEOUT = env.float("SEARCH_TIMEOUT", default=10.0)
# Refresh the engine's index after every write (tests; slow in production).
SEARCH_ENGINE_REFRESH = env.bool("SEARCH_ENGINE_REFRESH", default=False)

# Wagtail's own search (admin, page chooser); Kommunect's is the search app.
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}

# --- E-mail ---------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env(
    "DEFAULT_FROM_EMAIL", default="Kommunect <noreply@kommunect.example>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Background tasks -----------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": env(
            "TASKS_BACKEND", default="django_tasks.backends.immediate.ImmediateBackend"
        )
    }
}

# --- Internationalisation -------------------------------------------------
LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("Deutsch")), ("en", _("Englisch"))]
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_overrides"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_PERMITTED_LANGUAGES = [("de", "Deutsch"), ("en", "English")]

# --- Static and media -----------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "static_root"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/kern", BASE_DIR / "node_modules" / "@kern-ux" / "native" / "dist"),
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
MEDIA_URL = "/media/"
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# --- Wagtail --------------------------------------------------------------
WAGTAIL_SITE_NAME = "Kommunect"
WAGTAILADMIN_BASE_URL = env("BASE_URL", default="http://127.0.0.1:8000")
WAGTAILDOCS_EXTENSIONS = [
    "csv",
    "docx",
    "odt",
    "ods",
    "pdf",
    "pptx",
    "rtf",
    "txt",
    "xlsx",
]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
# Documents are always served through Wagtail's view, never by a redirect to
# the storage: only there does the ``before_serve_document`` hook keep private
# communities' attachments from outsiders (communities/wagtail_hooks.py).
WAGTAILDOCS_SERVE_METHOD = "serve_view"
# Files attached to posts (communities/discussions/attachments.py); the same
# extensions as WAGTAILDOCS_EXTENSIONS, but smaller than the admin's documents.
KOMMUNECT_ATTACHMENT_MAX_SIZE = 10 * 1024 * 1024
# allauth manages passwords and (verified) e-mail addresses, not the admin.
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
WAGTAIL_EMAIL_MANAGEMENT_ENABLED = False
WAGTAILUSERS_PASSWORD_ENABLED = True

# --- Accounts (django-allauth) --------------------------------------------
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "members.forms.SignupProfileForm"
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Kommunect] "
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
ACCOUNT_SESSION_REMEMBER = None
# Login throttling: allauth counts failed attempts per account and per IP.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "5/5m/ip,5/5m/key",
    "signup": "20/h/ip",
    "reset_password": "20/m/ip,5/m/key",
    "confirm_email": "1/3m/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Kommunect"

# "E-Akte" and "e-akte" are one tag (topics, expertise, discussions).
TAGGIT_CASE_INSENSITIVE = True

# --- API ------------------------------------------------------------------
API_PAGE_SIZE_MAX = 100

# --- Security -------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the cookie-less meta tag
CSRF_FAILURE_VIEW = "kommunect.errors.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "SAMEORIGIN"
CONTENT_SECURITY_POLICY = {
    # Wagtail's admin brings its own inline scripts and styles.
    "EXCLUDE_URL_PREFIXES": ["/admin/"],
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "style-src": ["'self'", "'unsafe-inline'"],
        # allauth's e-mail and MFA pages carry small inline scripts without a
        # nonce; user text never reaches a page unsanitised (nh3), so inline
        # scripts stay allowed until those templates are replaced.
        "script-src": ["'self'", "'unsafe-inline'"],
        "connect-src": ["'self'", "ws:", "wss:"],
        "frame-ancestors": ["'self'"],
        "form-action": ["'self'"],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "daphne": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
    },
}

# Django forms render with KERN UX classes (see kommunect/forms.py).
FORM_RENDERER = "kommunect.forms.KernFormRenderer"
