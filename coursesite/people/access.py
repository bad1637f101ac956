"""Access policies for views. Every project view declares exactly one (a test enforces it).

Object-level scoping (a trainee's own work, a supervisor's own cohorts) is done by the selectors the
view calls: an object outside the user's scope is a 404, never a hint that it exists.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from coursesite.audit.services import audit_record

PUBLIC = "public"
AUTHENTICATED = "authenticated"
SUPERVISOR = "supervisor"
EDITOR = "editor"

_CHECKS: dict[str, Callable] = {
    PUBLIC: lambda user: True,
    AUTHENTICATED: lambda user: True,
    SUPERVISOR: lambda user: user.is_supervisor,
    EDITOR: lambda user: user.is_editor,
}


def access(policy: str):
    """Declare and enforce who may call a view: `@access(SUPERVISOR)`."""
    if policy not in _CHECKS:
        raise ValueError(f"Unknown access policy {policy!r}")

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if policy != PUBLIC:
                if not request.user.is_authenticated:
                    return redirect_to_login(request.get_full_path())
                if not _CHECKS[policy](request.user):
                    audit_record(action="access_denied", request=request, path=request.path[:200], policy=policy)
                    raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.access_policy = policy
        return wrapped

    return decorator
