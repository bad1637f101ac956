import pytest
from django.urls import reverse

from coursesite.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_logins_failed_logins_and_logouts_are_audited_without_the_password(client, trainee):
    client.post(reverse("account_login"), {"login": trainee.email, "password": "wrong-password"})
    client.post(reverse("account_login"), {"login": trainee.email, "password": "correct-horse-battery"})
    client.post(reverse("account_logout"))
    actions = list(AuditEvent.objects.order_by("pk").values_list("action", flat=True))
    assert actions == ["login_failed", "login", "logout"]
    assert "wrong-password" not in str(AuditEvent.objects.get(action="login_failed").detail)


def test_a_denied_request_is_audited(client, trainee):
    client.force_login(trainee)
    assert client.get(reverse("my_cohorts")).status_code == 403
    event = AuditEvent.objects.get(action="access_denied")
    assert event.actor == trainee and event.detail["path"] == reverse("my_cohorts")


def test_password_and_mfa_changes_are_audited(client, trainee):
    client.force_login(trainee)
    client.post(
        reverse("account_change_password"),
        {
            "oldpassword": "correct-horse-battery",
            "password1": "a-new-long-passphrase",
            "password2": "a-new-long-passphrase",
        },
    )
    assert AuditEvent.objects.filter(action="password_changed", actor=trainee).exists()
    from allauth.mfa import signals

    from tests.factories import with_mfa

    with_mfa(trainee)
    authenticator = trainee.authenticator_set.get()
    signals.authenticator_added.send(
        sender=type(authenticator), request=None, user=trainee, authenticator=authenticator
    )
    assert AuditEvent.objects.get(action="mfa_added").detail == {"authenticator": "totp"}
