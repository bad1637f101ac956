"""Decoupled reactions to authentication events."""

import time

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from .middleware import TOUCHED_KEY


@receiver(user_logged_in, dispatch_uid="people.stamp_session_activity")
def stamp_session_activity(sender, request, user, **kwargs) -> None:
    """Logging in saves the session anyway: start its idle clock there, so the next page view need not."""
    if request is not None and hasattr(request, "session"):
        request.session[TOUCHED_KEY] = int(time.time())
