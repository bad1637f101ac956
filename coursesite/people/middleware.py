import time

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect

# Paths a user without MFA may still reach: the account and MFA screens themselves, and assets.
ALLOWED_PREFIXES = ("/accounts/", "/static/", "/media/", "/healthz")
TOUCHED_KEY = "_idle_touched_at"


class RequireMFAMiddleware:
    """Supervisors, editors and administrators set up TOTP before they reach anything else.

    ASVS 6.3.2 (L2): MFA for privileged roles. Turned on by REQUIRE_MFA_FOR_STAFF (always on in
    production); MFA_EXEMPT_EMAILS lets the dev demo accounts look around without an authenticator.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._must_set_up_mfa(request):
            messages.info(request, "Set up two-factor authentication to continue: your role can see trainee data.")
            return redirect("mfa_activate_totp")
        return self.get_response(request)

    def _must_set_up_mfa(self, request) -> bool:
        user = request.user
        if not (settings.REQUIRE_MFA_FOR_STAFF and user.is_authenticated and user.needs_mfa):
            return False
        if request.path.startswith(ALLOWED_PREFIXES) or user.email in settings.MFA_EXEMPT_EMAILS:
            return False
        return not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


class SessionIdleTimeoutMiddleware:
    """Slide a signed-in session's expiry on activity, writing the session at most once a minute.

    HIPAA 164.312(a)(2)(iii), automatic logoff: a session idle for SESSION_COOKIE_AGE seconds ends.
    Django's SESSION_SAVE_EVERY_REQUEST would do it with a database write on every page view; touching
    the session once per SESSION_TOUCH_SECONDS keeps the timeout within that margin of exact.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # After a logout the user is anonymous again, and a touch would only create a new session.
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            now = int(time.time())
            if now - request.session.get(TOUCHED_KEY, 0) >= settings.SESSION_TOUCH_SECONDS:
                request.session[TOUCHED_KEY] = now  # marks it modified: SessionMiddleware saves a new expiry
        return response
