from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from coursesite.certificates.models import ExpiryReminder
from coursesite.certificates.services import expiry_reminders_send
from tests.factories import CertificateFactory

pytestmark = pytest.mark.django_db


def expiring_in(days: float, **fields):
    now = timezone.now()
    return CertificateFactory(issued_at=now - timedelta(days=300), expires_at=now + timedelta(days=days), **fields)


def test_each_rung_of_the_ladder_is_sent_once_and_missed_rungs_are_skipped(trainee, settings):
    settings.CERTIFICATE_REMINDER_DAYS = [30, 7, 0, -7]
    certificate = expiring_in(45, learner=trainee, course_title="Confidentiality and the Law")
    now = timezone.now()
    assert expiry_reminders_send(now=now) == 0  # 45 days left: nothing due yet
    assert expiry_reminders_send(now=now + timedelta(days=16)) == 1  # 29 days left: the 30-day one
    assert expiry_reminders_send(now=now + timedelta(days=16)) == 0  # not twice
    assert expiry_reminders_send(now=now + timedelta(days=40)) == 1  # 5 days left: the 7-day one
    assert expiry_reminders_send(now=now + timedelta(days=41)) == 0
    assert expiry_reminders_send(now=now + timedelta(days=45, hours=2)) == 1  # just expired
    assert expiry_reminders_send(now=now + timedelta(days=53)) == 1  # a week overdue
    assert expiry_reminders_send(now=now + timedelta(days=60)) == 0
    rungs = sorted(ExpiryReminder.objects.filter(certificate=certificate).values_list("days_before", flat=True))
    assert rungs == [-7, 0, 7, 30]
    assert len(mail.outbox) == 4 and mail.outbox[0].to == [trainee.email]
    assert "Confidentiality and the Law" in mail.outbox[0].subject and "/certificates/" in mail.outbox[0].body
    assert "expires soon" in mail.outbox[0].subject and "has expired" in mail.outbox[-1].subject
    assert "ago" in mail.outbox[-1].body

    late = expiring_in(3)  # first seen a few days before expiry: only the most urgent rung goes out
    mail.outbox.clear()
    assert expiry_reminders_send() == 1
    assert list(ExpiryReminder.objects.filter(certificate=late).values_list("days_before", flat=True)) == [7]


def test_the_trainees_supervisors_get_a_copy(trainee, supervisor, other_supervisor):
    expiring_in(5, learner=trainee)
    assert expiry_reminders_send() == 1
    assert mail.outbox[0].to == [trainee.email] and mail.outbox[0].cc == [supervisor.email]


def test_no_reminder_for_certificates_that_never_expire_are_replaced_revoked_long_expired_or_far_off(trainee):
    CertificateFactory(learner=trainee, expires_at=None)
    expiring_in(10, learner=trainee, status="superseded")
    expiring_in(10, learner=trainee, status="revoked", revoked_reason="Error")
    expiring_in(-30, learner=trainee)
    expiring_in(200, learner=trainee)
    assert expiry_reminders_send() == 0 and mail.outbox == []


def test_the_daily_command_queues_the_reminder_task(trainee):
    expiring_in(20, learner=trainee)
    call_command("certificate_reminders", stdout=StringIO())
    assert len(mail.outbox) == 1  # the test settings run tasks immediately
