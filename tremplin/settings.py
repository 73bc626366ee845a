"""The one settings module, read from the environment.

Zero configuration gives an embedded SQLite database under ``var/`` and console email;
production sets ``DATABASE_URL`` (PostgreSQL), ``SECRET_KEY``, ``ALLOWED_HOSTS`` and the
``EMAIL_*`` variables.
"""

import datetime
import os
from pathlib import Path

import dj_database_url
import xstatic.pkg.bootstrap
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("TREMPLIN_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    return os.environ.get(name, str(default)).lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DEBUG", False)
# TREMPLIN_ENV=production turns on the production defaults (HTTPS only, secure cookies, HSTS,
# the BAN geocoder); each stays overridable by its own variable. Tests and development run
# over plain HTTP, so DEBUG being off alone must not imply them.
PRODUCTION = os.environ.get("TREMPLIN_ENV") == "production"
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and PRODUCTION:
        raise RuntimeError("SECRET_KEY must be set in production")
    # Development and tests only: a fixed key is harmless there and keeps sessions stable.
    SECRET_KEY = "tremplin-insecure-development-key-do-not-use-in-production"  # noqa: S105
# Field-level encryption of sensitive data (tremplin/privacy/crypto.py, docs/security.md):
# Fernet keys, comma-separated, newest first. Without them development and tests use a key
# derived from SECRET_KEY; production refuses to start.
FIELD_ENCRYPTION_KEYS = [
    key.strip() for key in os.environ.get("TREMPLIN_FIELD_KEYS", "").split(",") if key.strip()
]
if PRODUCTION and not FIELD_ENCRYPTION_KEYS:
    raise ImproperlyConfigured("TREMPLIN_FIELD_KEYS must be set in production")
ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_tasks_db",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "tremplin.core",
    "tremplin.organisations",
    "tremplin.accounts",
    "tremplin.plateau",
    "tremplin.people",
    "tremplin.geo",
    "tremplin.programmes",
    "tremplin.candidacies",
    "tremplin.eligibility",
    "tremplin.cohorts",
    "tremplin.assessments",
    "tremplin.attendance",
    "tremplin.documents",
    "tremplin.employers",
    "tremplin.outcomes",
    "tremplin.reports",
    "tremplin.intake",
    "tremplin.quality",
    "tremplin.planner",
    "tremplin.privacy",
    "tremplin.gdpr",
    "tremplin.demo",
    "tremplin.www",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Second login step: OTPMiddleware says whether the session passed it; ours sends those
    # who owe it (network admins and coordinators, and whoever turned it on) to it first.
    "django_otp.middleware.OTPMiddleware",
    "tremplin.accounts.middleware.TwoFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Every page needs a login unless its view is marked @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # Last, as axes asks: turns a login refused for a locked-out user into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# Static files straight from gunicorn in production (WhiteNoise, docs/deploy.md), from
# STATIC_ROOT as collectstatic filled it; `runserver` serves them itself in development.
if env_bool("SERVE_STATIC", PRODUCTION):
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "tremplin.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # Each area of the site keeps its templates beside its views (www/<area>/templates).
        "DIRS": sorted((BASE_DIR / "tremplin" / "www").glob("*/templates")),
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "tremplin.core.context_processors.navigation",
            ],
            # Tests set this to a raising object so an undefined variable fails loudly.
            "string_if_invalid": os.environ.get("TEMPLATE_STRING_IF_INVALID", ""),
        },
    }
]

WSGI_APPLICATION = "tremplin.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'tremplin.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the web server and the task worker share the file.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
# The throttle first: a locked-out username and address is refused before its password is checked.
AUTHENTICATION_BACKENDS = [
    "tremplin.accounts.throttling.LoginThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "fr-fr"
LANGUAGES = [("fr", _("Français")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "tremplin" / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# `manage.py collectstatic` copies every static file here; WhiteNoise serves them from it.
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
# Bootstrap comes from the xstatic-bootstrap wheel: no CDN, no copy in git.
STATICFILES_DIRS = [("bootstrap", xstatic.pkg.bootstrap.BASE_DIR)]

# Uploaded files (proofs, later) live outside the web root and are served through views.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "private"))
# Written under a temporary name, then linked into place: a failed write (disk full) leaves
# no partial file (tremplin/core/storage.py).
STORAGES = {
    "default": {"BACKEND": "tremplin.core.storage.AtomicFileSystemStorage"},
    # In production, file names carry a hash of their content (cached for a year by browsers)
    # and a compressed copy: it needs `manage.py collectstatic` before the server starts.
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# How long an eligibility diagnostic stays valid, in months (its proofs may lapse sooner).
ELIGIBILITY_DIAGNOSTIC_VALIDITY_MONTHS = int(
    os.environ.get("ELIGIBILITY_DIAGNOSTIC_VALIDITY_MONTHS", "6")
)

# Bulk referrals (tremplin.intake): the largest file taken, checked while it is received (the
# upload stops there, see tremplin/intake/uploads.py); the most rows in one file; and up to how
# many rows a confirmed import runs in the request rather than as a background task.
IMPORT_MAX_UPLOAD_BYTES = int(os.environ.get("IMPORT_MAX_UPLOAD_BYTES", 10 * 1024 * 1024))
IMPORT_MAX_ROWS = int(os.environ.get("IMPORT_MAX_ROWS", 20_000))
IMPORT_INLINE_MAX_ROWS = int(os.environ.get("IMPORT_INLINE_MAX_ROWS", 200))

# Matching (tremplin.employers.matching, docs/matching.md): a missing required competency
# either excludes the pair ("exclude") or costs this weight times the share missing (a number
# such as 0.5); how many openings or learners a ranking page shows.
MATCHING_MISSING_REQUIRED = os.environ.get("MATCHING_MISSING_REQUIRED", "exclude")
MATCHING_TOP_K = int(os.environ.get("MATCHING_TOP_K", "10"))
# Weight of the optional « experience » term (the learner's past experience against the offer's
# text, multilingual sentence encoder of the ``semantic`` extra); 0 turns it off.
MATCHING_SEMANTIC_WEIGHT = float(os.environ.get("MATCHING_SEMANTIC_WEIGHT", "0"))
# A proposal the employer has not answered (no decision) after this many days is flagged.
PROPOSAL_UNANSWERED_DAYS = int(os.environ.get("PROPOSAL_UNANSWERED_DAYS", "30"))

TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# Console in development, locmem in tests (Django's test runner), SMTP in production.
EMAIL_BACKEND_PATH = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
MAILERS: dict[str, dict[str, object]] = {"default": {"BACKEND": EMAIL_BACKEND_PATH}}
if EMAIL_BACKEND_PATH.endswith("smtp.EmailBackend"):
    MAILERS["default"]["OPTIONS"] = {
        "host": os.environ.get("EMAIL_HOST", "localhost"),
        "port": int(os.environ.get("EMAIL_PORT", "25")),
        "username": os.environ.get("EMAIL_HOST_USER", ""),
        "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
        "use_tls": env_bool("EMAIL_USE_TLS", False),
    }
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "Tremplin <ne-pas-repondre@tremplin.local>"
)
# Absolute links in emails point here.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Address geocoding (tremplin.geo.geocoding). Production uses the Base Adresse Nationale API;
# elsewhere the default is the offline commune-centre geocoder, so development, demo and tests
# never reach the internet. GEOCODER_MIN_SCORE: BAN answers below it fall back to the commune.
GEOCODER = os.environ.get(
    "GEOCODER",
    "tremplin.geo.geocoding.BanGeocoder"
    if PRODUCTION
    else "tremplin.geo.geocoding.CommuneGeocoder",
)
GEOCODER_URL = os.environ.get("GEOCODER_URL", "https://data.geopf.fr/geocodage/search")
GEOCODER_TIMEOUT = float(os.environ.get("GEOCODER_TIMEOUT", "5"))
GEOCODER_MIN_SCORE = float(os.environ.get("GEOCODER_MIN_SCORE", "0.5"))

# Hardening (docs/security.md, « Durcissement »). `manage.py check --deploy` is clean with
# TREMPLIN_ENV=production, DEBUG off, ALLOWED_HOSTS and a long random SECRET_KEY
# (tests/test_deploy_check.py runs it).
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", PRODUCTION)
# Lax, not Strict: a link from an email (follow-up form, password reset) must still arrive
# logged in; cross-site POSTs carry no cookie either way.
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# No script reads the CSRF cookie: htmx sends the token from the page (hx-headers in base.html).
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", PRODUCTION)
# Behind a front proxy that terminates TLS, the name of the header it sets to "https", as
# Django sees it (e.g. HTTP_X_FORWARDED_PROTO). Only set it if the proxy always overwrites
# that header: otherwise a client could claim HTTPS.
if proxy_ssl_header := os.environ.get("SECURE_PROXY_SSL_HEADER", ""):
    SECURE_PROXY_SSL_HEADER = (proxy_ssl_header, "https")
# One year (the preload list's minimum), subdomains included; preload is a commitment
# (removal takes months), so it can be turned off with SECURE_HSTS_PRELOAD=0.
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 31_536_000 if PRODUCTION else 0))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", PRODUCTION)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", PRODUCTION)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (Django's own middleware): only this site's files run or style the
# pages; no inline script, no event-handler attribute, no inline style (site.js and site.css
# replace them). data: images are Bootstrap's inline SVG icons (form controls).
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

# Login throttling (django-axes, tremplin/accounts/throttling.py): after 5 wrong passwords a
# username is locked for 15 minutes on the address they came from, and a success resets the
# count. Locking the pair, not the username alone, means an attacker who knows someone's
# email cannot lock them out everywhere (their office still logs in), and not the address
# alone, because a training centre or a France Travail agency shares one public address.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_HTTP_RESPONSE_CODE = 429
AXES_LOCKOUT_CALLABLE = "tremplin.accounts.throttling.lockout_response"
AXES_USERNAME_CALLABLE = "tremplin.accounts.throttling.lockout_username"
AXES_CLIENT_IP_CALLABLE = "tremplin.accounts.throttling.client_address"
# How many proxies in front of the site append to X-Forwarded-For (0: none, trust REMOTE_ADDR).
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
