"""Production: PostgreSQL, a shared Redis cache, SMTP, HTTPS only. Refuses to start without secrets."""

import base64

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .env import env_bool, env_int, env_list, env_str

DEBUG = False
SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if SECRET_KEY.startswith("dev-only") or len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be a random string of at least 50 characters.")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
if not env_str("DATABASE_URL"):
    raise ImproperlyConfigured("Production needs DATABASE_URL (PostgreSQL).")
if not env_str("REDIS_URL"):
    raise ImproperlyConfigured("Production needs REDIS_URL: rate limits must be shared by every worker.")

MAILERS = {
    "default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": env_str("EMAIL_HOST"),
            "port": env_int("EMAIL_PORT", 587),
            "username": env_str("EMAIL_HOST_USER", ""),
            "password": env_str("EMAIL_HOST_PASSWORD", ""),
            "use_tls": env_bool("EMAIL_USE_TLS", True),
            "timeout": 10,
        },
    }
}

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

OPEN_BADGES_SIGNING_KEY = env_str("OPEN_BADGES_SIGNING_KEY")
try:
    _badge_seed = base64.urlsafe_b64decode(OPEN_BADGES_SIGNING_KEY + "=" * (-len(OPEN_BADGES_SIGNING_KEY) % 4))
except ValueError:
    _badge_seed = b""
if len(_badge_seed) != 32:
    raise ImproperlyConfigured("OPEN_BADGES_SIGNING_KEY must be base64url of 32 random bytes (see .env.example).")

REQUIRE_MFA_FOR_STAFF = True
MFA_EXEMPT_EMAILS = set()
