import pytest
from django.urls import reverse

from coursesite.people.models import User
from tests.factories import UserFactory, with_mfa

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", [User.Role.SUPERVISOR, User.Role.EDITOR, User.Role.ADMIN])
def test_staff_without_mfa_are_sent_to_set_it_up_before_anything_else(client, role):
    client.force_login(UserFactory(role=role))
    for url in (reverse("my_cohorts"), reverse("my_training"), "/cms/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == reverse("mfa_activate_totp")
    # The set-up screens themselves stay reachable (allauth first asks for the password again).
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 200 or response["Location"].startswith("/accounts/reauthenticate/")
    assert client.get("/accounts/reauthenticate/").status_code == 200


def test_staff_with_mfa_get_through(client):
    client.force_login(with_mfa(UserFactory(role=User.Role.SUPERVISOR)))
    assert client.get(reverse("my_cohorts")).status_code == 200


def test_trainees_are_not_asked_for_mfa(client, trainee):
    client.force_login(trainee)
    assert client.get(reverse("my_training")).status_code == 200


def test_the_setting_turns_the_gate_off_and_exempt_demo_accounts_pass(client, settings):
    supervisor = UserFactory(role=User.Role.SUPERVISOR, email="supervisor@demo.test")
    client.force_login(supervisor)
    settings.MFA_EXEMPT_EMAILS = {"supervisor@demo.test"}
    assert client.get(reverse("my_cohorts")).status_code == 200
    settings.MFA_EXEMPT_EMAILS = set()
    assert client.get(reverse("my_cohorts")).status_code == 302
    settings.REQUIRE_MFA_FOR_STAFF = False
    assert client.get(reverse("my_cohorts")).status_code == 200
