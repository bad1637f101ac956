"""Settings shared by every environment. Environment-specific files import * from here."""

from pathlib import Path

import dj_database_url

from .env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
PROJECT_DIR = BASE_DIR / "coursesite"

SECRET_KEY = env_str("DJANGO_SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production")
DEBUG = False
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")

INSTALLED_APPS = [
    "coursesite.people",
    "coursesite.audit",
    "coursesite.progress",
    "coursesite.certificates",
    "coursesite.reports",
    "lessons",
    "quizzes",
    "simulations",
    "content",
    "wagtail.contrib.forms",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
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
    "django_tasks",
    "django_tasks_db",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "coursesite.people.middleware.SessionIdleTimeoutMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "coursesite.middleware.AdminContentSecurityPolicyMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "coursesite.people.middleware.RequireMFAMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "coursesite.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PROJECT_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "coursesite.people.context_processors.navigation",
            ],
        },
    },
]

WSGI_APPLICATION = "coursesite.wsgi.application"

# Database: SQLite by default (one process, no other service); PostgreSQL through DATABASE_URL.
DATABASE_URL = env_str("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=600, conn_health_checks=True)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": BASE_DIR / env_str("SQLITE_PATH", "db.sqlite3"),
            "OPTIONS": {
                # WAL lets readers run beside one writer; IMMEDIATE takes the write lock at BEGIN so
                # concurrent writers wait (up to `timeout` seconds) instead of failing with
                # "database is locked" half-way through a transaction (see docs/operations.md).
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Wagtail's search index uses PostgreSQL full-text fields there.
    INSTALLED_APPS.append("django.contrib.postgres")

AUTH_USER_MODEL = "people.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = env_str("TIME_ZONE", "America/New_York")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [PROJECT_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    # A shared cache makes login rate limits hold across every worker process and app server.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}

# Background work: Django's tasks API. The database backend needs only the database we already have;
# run `manage.py db_worker` beside the web processes (docs/operations.md).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Sessions: an idle timeout and no session outliving the browser (HIPAA 164.312(a)(2)(iii)).
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_SECONDS", 60 * 60)
# Activity slides the expiry (coursesite.people.middleware.SessionIdleTimeoutMiddleware), with one
# session write per minute at most rather than one per request.
SESSION_TOUCH_SECONDS = 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Accounts (django-allauth): email is the login; signup needs an enrolment key or an invitation.
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]  # + name and key (forms.py)
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_SIGNUP_FORM_CLASS = "coursesite.people.forms.EnrolmentSignupForm"
ACCOUNT_ADAPTER = "coursesite.people.adapter.AccountAdapter"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False  # the user stays in; other sessions end (see adapter)
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Front Desk Academy] "
ACCOUNT_REAUTHENTICATION_REQUIRED = True
# Failed logins are counted per IP and per account in the cache (shared in production).
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Front Desk Academy"

# Supervisors, editors and administrators must set up MFA before they reach trainee data.
REQUIRE_MFA_FOR_STAFF = env_bool("REQUIRE_MFA_FOR_STAFF", True)
MFA_EXEMPT_EMAILS: set[str] = set()

DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Front Desk Academy <no-reply@frontdesk.test>")
# Django 6.1 mailers: development prints every email (verification, invitations) to the console.
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}

# Certificates: who issues and signs them, and how hard the public verification page may be queried.
CERTIFICATE_ISSUER = env_str("CERTIFICATE_ISSUER", "Front Desk Academy")
CERTIFICATE_SIGNATORY_NAME = env_str("CERTIFICATE_SIGNATORY_NAME", "")
CERTIFICATE_SIGNATORY_TITLE = env_str("CERTIFICATE_SIGNATORY_TITLE", "Director of Training")
CERTIFICATE_MAX_PAGES = 2  # a certificate is one page; more means hostile or broken input
VERIFY_RATE_LIMIT_PER_MINUTE = env_int("VERIFY_RATE_LIMIT_PER_MINUTE", 30)
# Days before expiry when the holder is e-mailed a reminder (run `manage.py certificate_reminders` daily).
# Days before expiry (positive) or after it (negative) on which holders and their supervisors are
# reminded; each rung is sent once.
CERTIFICATE_REMINDER_DAYS = [30, 7, 0, -7]
# A trainee may renew this many days before expiry by completing the course's steps again; the new
# certificate is issued at once, so there is no gap.
CERTIFICATE_RENEWAL_WINDOW_DAYS = 30
# A PDF render (certificate or training record) runs in a separate worker process that is killed when
# it takes longer than this; 0 renders in the calling process with no limit (coursesite/certificates/pdf.py).
CERTIFICATE_RENDER_TIMEOUT_SECONDS = env_int("CERTIFICATE_RENDER_TIMEOUT_SECONDS", 20)
# Time on task counted for one quiz attempt, shift or call at most (a tab left open is not study time).
PROGRESS_MAX_SECONDS_PER_ATTEMPT = 2 * 60 * 60
# HIPAA keeps required documentation (training included) six years from its creation or the date it
# was last in effect, whichever is later (45 CFR 164.530(j)(2)); a state or employer may ask for more.
# `purge_training_records` never removes a record sooner (coursesite/reports/retention.py).
TRAINING_RECORD_RETENTION_YEARS = env_int("TRAINING_RECORD_RETENTION_YEARS", 6)
# Open Badges 3.0 credentials are signed with Ed25519: base64url of a 32-byte seed. Empty here means a
# fixed development key (certificates/badges.py); production refuses to start without its own.
OPEN_BADGES_SIGNING_KEY = env_str("OPEN_BADGES_SIGNING_KEY", "")

WAGTAIL_SITE_NAME = "Front Desk Academy"
WAGTAILADMIN_BASE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")
WAGTAILADMIN_LOGIN_URL = "account_login"  # one login, one rate limiter, one MFA flow
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "txt", "csv"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 5 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]  # no SVG: it can carry script
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# Content Security Policy: everything is served from our own origin (no CDN at run time).
from django.utils.csp import CSP  # noqa: E402

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],  # Wagtail admin sets inline styles
    "script-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
SECURE_CSP_ADMIN = {**SECURE_CSP, "script-src": [CSP.SELF, CSP.UNSAFE_INLINE]}
WAGTAIL_GRAVATAR_PROVIDER_URL = None  # no third-party requests that reveal staff email hashes

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
        "django.tasks": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},  # its INFO lines narrate every render step
    },
}
