"""Local development: `make run`. SQLite, console email, debug pages."""

from .base import *  # noqa: F403

DEBUG = True
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]

# The demo accounts skip the MFA set-up so a newcomer can look around; real staff accounts do not.
MFA_EXEMPT_EMAILS = {"supervisor@demo.test", "editor@demo.test", "admin@demo.test"}

# One process and no other service: background tasks run inline in the web process. Production runs
# them in `manage.py db_worker` (docs/operations.md).
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
