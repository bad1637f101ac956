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


def test_sessions_expire_after_the_idle_timeout(settings):
    assert settings.SESSION_SAVE_EVERY_REQUEST and settings.SESSION_COOKIE_AGE <= 60 * 60
