import pytest
from django.db import transaction
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


def _event():
    from coursesite.audit.services import audit_record

    return audit_record(action="chart_opened", target=None, reason="item-1")


def test_audit_events_cannot_be_changed_or_deleted_through_the_orm(db):
    """Application code cannot rewrite history: save() of an existing row, delete(), and the queryset's
    update(), delete() and bulk_update() all refuse, and the row is unchanged."""
    from coursesite.audit.models import AppendOnlyError

    event = _event()
    event.action = "something_else"
    attempts = [
        event.save,
        event.delete,
        lambda: AuditEvent.objects.filter(pk=event.pk).update(action="x"),
        lambda: AuditEvent.objects.all().delete(),
        lambda: AuditEvent.objects.filter(pk=event.pk).delete(),
        lambda: AuditEvent.objects.bulk_update([event], ["action"]),
    ]
    for attempt in attempts:
        with pytest.raises(AppendOnlyError), transaction.atomic():  # a savepoint: bulk_update is atomic itself
            attempt()
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.action == "chart_opened" and stored.detail == {"reason": "item-1"}


def test_no_user_can_change_or_delete_audit_events_in_the_admin(client, trainee, admin_user):
    event = _event()
    change = reverse("admin:audit_auditevent_change", args=[event.pk])
    delete = reverse("admin:audit_auditevent_delete", args=[event.pk])
    client.force_login(trainee)  # not staff: sent to the login page
    assert client.post(change, {"action": "x"}).status_code == 302
    assert client.post(delete, {"post": "yes"}).status_code == 302
    client.force_login(admin_user)  # even a superuser may only read
    assert client.post(change, {"action": "x"}).status_code == 403
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert AuditEvent.objects.get(pk=event.pk).action == "chart_opened"
