import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_deactivating_a_user_ends_their_sessions(client, trainee):
    client.force_login(trainee)
    assert client.get(reverse("my_training")).status_code == 200
    trainee.is_active = False
    trainee.save()
    assert client.get(reverse("my_training")).status_code == 302


def test_a_password_change_ends_the_users_other_sessions(client, trainee):
    from django.test import Client

    other_device = Client()
    other_device.force_login(trainee)
    client.force_login(trainee)
    response = client.post(
        reverse("account_change_password"),
        {
            "oldpassword": "correct-horse-battery",
            "password1": "a-new-long-passphrase",
            "password2": "a-new-long-passphrase",
        },
    )
    assert response.status_code == 302
    assert client.get(reverse("my_training")).status_code == 200, "the device that changed it stays in"
    assert other_device.get(reverse("my_training")).status_code == 302, "every other device is signed out"


def test_the_session_is_cycled_on_login(client, trainee):
    client.get(reverse("account_login"))
    before = client.session.session_key
    client.post(reverse("account_login"), {"login": trainee.email, "password": "correct-horse-battery"})
    assert client.session.session_key != before


def test_activity_slides_the_idle_timeout_with_at_most_one_session_write_a_minute(client, trainee, settings):
    from datetime import timedelta

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    from coursesite.people.middleware import TOUCHED_KEY

    assert settings.SESSION_COOKIE_AGE <= 60 * 60
    client.force_login(trainee)
    client.get(reverse("my_training"))
    row = Session.objects.get(session_key=client.session.session_key)
    assert row.expire_date > timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE - 60)

    # Within the minute: no write. Past it: the expiry moves forward again.
    row.expire_date = timezone.now() + timedelta(seconds=120)
    row.save()
    client.get(reverse("my_training"))
    assert Session.objects.get(pk=row.pk).expire_date < timezone.now() + timedelta(seconds=121)

    session = client.session
    session[TOUCHED_KEY] -= settings.SESSION_TOUCH_SECONDS
    session.save()
    Session.objects.filter(pk=row.pk).update(expire_date=timezone.now() + timedelta(seconds=120))
    client.get(reverse("my_training"))
    assert Session.objects.get(pk=row.pk).expire_date > timezone.now() + timedelta(
        seconds=settings.SESSION_COOKIE_AGE - 60
    )


def test_an_idle_session_ends(client, trainee):
    from datetime import timedelta

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    client.force_login(trainee)
    client.get(reverse("my_training"))
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    assert client.get(reverse("my_training")).status_code == 302
