import pytest
from django.core import mail
from django.urls import reverse

from coursesite.audit.models import AuditEvent
from coursesite.people.models import Cohort, Invitation, Membership

pytestmark = pytest.mark.django_db


def test_a_supervisor_creates_a_cohort_and_manages_it(client, supervisor):
    client.force_login(supervisor)
    response = client.post(
        reverse("cohort_create"), {"name": "Evening class", "organisation": "Riverside", "key_enabled": "on"}
    )
    cohort = Cohort.objects.get(name="Evening class")
    assert response["Location"] == reverse("cohort_detail", args=[cohort.pk])
    assert Membership.objects.filter(cohort=cohort, user=supervisor, role=Membership.Role.SUPERVISOR).exists()
    assert AuditEvent.objects.filter(action="cohort_created", actor=supervisor).exists()


def test_a_cohort_must_end_after_it_starts(client, supervisor):
    client.force_login(supervisor)
    response = client.post(
        reverse("cohort_create"), {"name": "Backwards", "starts_on": "2026-09-01", "ends_on": "2026-08-01"}
    )
    assert response.status_code == 200 and not Cohort.objects.filter(name="Backwards").exists()


def test_rotating_the_key_invalidates_the_old_one(client, supervisor, cohort):
    client.force_login(supervisor)
    old = cohort.enrolment_key
    client.post(reverse("cohort_rotate_key", args=[cohort.pk]))
    cohort.refresh_from_db()
    assert cohort.enrolment_key != old
    assert not Cohort.objects.filter(enrolment_key=old).exists()


def test_inviting_by_email_sends_one_personal_link_each(client, supervisor, cohort):
    client.force_login(supervisor)
    client.post(
        reverse("cohort_invite", args=[cohort.pk]), {"emails": "a@example.test, b@example.test\na@example.test"}
    )
    assert Invitation.objects.filter(cohort=cohort).count() == 2
    assert len(mail.outbox) == 2
    assert all("/join/" in message.body for message in mail.outbox)


def test_a_bad_address_in_the_invite_list_sends_nothing(client, supervisor, cohort):
    client.force_login(supervisor)
    response = client.post(reverse("cohort_invite", args=[cohort.pk]), {"emails": "a@example.test\nnot-an-email"})
    assert response.status_code == 400 and "not-an-email" in response.content.decode()
    assert not Invitation.objects.exists() and not mail.outbox


def test_the_cohort_page_lists_members_in_a_fixed_number_of_queries(
    client, supervisor, cohort, django_assert_max_num_queries
):
    from tests.factories import MembershipFactory

    MembershipFactory.create_batch(40, cohort=cohort)
    client.force_login(supervisor)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("cohort_detail", args=[cohort.pk]))
    assert response.content.decode().count("<tr>") >= 41


def test_my_cohorts_shows_only_my_cohorts(client, supervisor, cohort, other_cohort):
    client.force_login(supervisor)
    page = client.get(reverse("my_cohorts")).content.decode()
    assert cohort.name in page and other_cohort.name not in page
