from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from coursesite.people.models import Invitation, Membership, User

pytestmark = pytest.mark.django_db

SIGNUP = {
    "display_name": "Jordan Rivera",
    "email": "jordan@example.test",
    "password1": "a-long-unique-passphrase",
    "password2": "a-long-unique-passphrase",
}


def test_signup_with_the_cohort_key_creates_a_trainee_in_that_cohort_and_sends_verification(client, cohort):
    response = client.post(reverse("account_signup"), {**SIGNUP, "enrolment_key": cohort.enrolment_key.lower()})
    assert response.status_code == 302
    user = User.objects.get(email="jordan@example.test")
    assert user.display_name == "Jordan Rivera" and user.role == User.Role.TRAINEE
    assert Membership.objects.filter(user=user, cohort=cohort, role=Membership.Role.TRAINEE).exists()
    assert len(mail.outbox) == 1 and "confirm" in mail.outbox[0].body.lower()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"enrolment_key": "NOPE123456"}, "not valid"),
        ({"enrolment_key": ""}, "Enter the enrolment key"),
    ],
)
def test_signup_with_a_wrong_key_creates_nothing_and_says_why(client, cohort, change, message):
    response = client.post(reverse("account_signup"), {**SIGNUP, **change})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.filter(email="jordan@example.test").exists()
    assert not mail.outbox


def test_signup_with_a_disabled_or_expired_key_creates_nothing(client, cohort):
    cohort.key_enabled = False
    cohort.save()
    response = client.post(reverse("account_signup"), {**SIGNUP, "enrolment_key": cohort.enrolment_key})
    assert "turned off" in response.content.decode()
    cohort.key_enabled, cohort.key_expires_at = True, timezone.now() - timedelta(minutes=1)
    cohort.save()
    response = client.post(reverse("account_signup"), {**SIGNUP, "enrolment_key": cohort.enrolment_key})
    assert "expired" in response.content.decode()
    assert not User.objects.exists()


def test_an_invitation_link_lets_the_invited_address_join_without_a_key(client, cohort, supervisor):
    invitation = Invitation.objects.create(cohort=cohort, email="jordan@example.test", invited_by=supervisor)
    response = client.get(reverse("invitation_accept", args=[invitation.token]))
    assert response["Location"] == reverse("account_signup")
    client.post(reverse("account_signup"), SIGNUP)
    user = User.objects.get(email="jordan@example.test")
    assert Membership.objects.filter(user=user, cohort=cohort).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None


def test_an_invitation_is_only_for_its_own_address(client, cohort, supervisor):
    invitation = Invitation.objects.create(cohort=cohort, email="someone.else@example.test", invited_by=supervisor)
    client.get(reverse("invitation_accept", args=[invitation.token]))
    response = client.post(reverse("account_signup"), SIGNUP)
    assert "invitation was sent to" in response.content.decode()
    assert not User.objects.filter(email="jordan@example.test").exists()


def test_an_expired_or_used_invitation_is_not_found(client, cohort, supervisor):
    expired = Invitation.objects.create(
        cohort=cohort, email="a@example.test", expires_at=timezone.now() - timedelta(days=1)
    )
    used = Invitation.objects.create(cohort=cohort, email="b@example.test", accepted_at=timezone.now())
    assert client.get(reverse("invitation_accept", args=[expired.token])).status_code == 404
    assert client.get(reverse("invitation_accept", args=[used.token])).status_code == 404


def test_verify_email_then_log_in_and_out(client, cohort):
    client.post(reverse("account_signup"), {**SIGNUP, "enrolment_key": cohort.enrolment_key})
    body = mail.outbox[0].body
    confirm_url = next(word for word in body.split() if "/accounts/confirm-email/" in word)
    client.post(confirm_url[confirm_url.index("/accounts/") :])
    client.logout()
    response = client.post(reverse("account_login"), {"login": "jordan@example.test", "password": SIGNUP["password1"]})
    assert response.status_code == 302
    assert client.get(reverse("home"))["Location"] == reverse("my_training")
    client.post(reverse("account_logout"))
    assert client.get(reverse("my_training")).status_code == 302


def test_password_reset_sends_a_link_and_does_not_reveal_unknown_accounts(client, trainee):
    client.post(reverse("account_reset_password"), {"email": trainee.email})
    assert len(mail.outbox) == 1 and "/accounts/password/reset/key/" in mail.outbox[0].body
    response = client.post(reverse("account_reset_password"), {"email": "nobody@example.test"})
    assert response.status_code == 302  # same answer as for a real account


def test_login_attempts_are_rate_limited(client, trainee):
    for _ in range(5):
        client.post(reverse("account_login"), {"login": trainee.email, "password": "wrong-password"})
    response = client.post(reverse("account_login"), {"login": trainee.email, "password": "correct-horse-battery"})
    assert response.status_code in (200, 429)
    assert "_auth_user_id" not in client.session, "the right password must not get in while the account is throttled"
