from allauth.account import signals as account_signals
from allauth.mfa import signals as mfa_signals
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


# Account security events (HIPAA 164.312(b); ASVS 16): password and MFA changes, e-mail changes.
def _account_event(action: str):
    def receiver_(sender, request=None, user=None, **kwargs):
        user = user or getattr(kwargs.get("authenticator"), "user", None)
        audit_record(action=action, actor=user, request=request, **_authenticator_type(kwargs))

    return receiver_


def _authenticator_type(kwargs: dict) -> dict:
    authenticator = kwargs.get("authenticator")
    return {"authenticator": authenticator.type} if authenticator is not None else {}


for _signal, _action in (
    (account_signals.password_changed, "password_changed"),
    (account_signals.password_reset, "password_reset"),
    (account_signals.email_changed, "email_changed"),
    (mfa_signals.authenticator_added, "mfa_added"),
    (mfa_signals.authenticator_removed, "mfa_removed"),
    (mfa_signals.authenticator_reset, "mfa_reset"),
    (mfa_signals.authentication_failed, "mfa_failed"),
):
    _signal.connect(_account_event(_action), weak=False, dispatch_uid=f"audit-{_action}")
