from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .services import audit_record


@receiver(user_logged_in)
def audit_login(sender, request, user, **kwargs):
    audit_record(action="login", actor=user, request=request)


@receiver(user_logged_out)
def audit_logout(sender, request, user, **kwargs):
    if user is not None:
        audit_record(action="logout", actor=user, request=request)


@receiver(user_login_failed)
def audit_login_failed(sender, credentials, request=None, **kwargs):
    # Never store the password; the email typed is enough to spot an attack on one account.
    audit_record(action="login_failed", request=request, email=str(credentials.get("email", ""))[:254])
