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


def test_each_rung_of_the_ladder_is_sent_once_and_missed_rungs_are_skipped(trainee):
    certificate = expiring_in(45, learner=trainee, course_title="Confidentiality and the Law")
    now = timezone.now()
    assert expiry_reminders_send(now=now) == 1  # the 60-day reminder
    assert expiry_reminders_send(now=now) == 0  # not twice
    assert expiry_reminders_send(now=now + timedelta(days=16)) == 1  # 29 days left: the 30-day one
    assert expiry_reminders_send(now=now + timedelta(days=40)) == 1  # 5 days left: the 7-day one
    assert expiry_reminders_send(now=now + timedelta(days=41)) == 0
    assert sorted(ExpiryReminder.objects.filter(certificate=certificate).values_list("days_before", flat=True)) == [
        7,
        30,
        60,
    ]
    assert len(mail.outbox) == 3 and mail.outbox[0].to == [trainee.email]
    assert "Confidentiality and the Law" in mail.outbox[0].subject and "/certificates/" in mail.outbox[0].body

    late = expiring_in(3)  # first seen a few days before expiry: only the most urgent rung goes out
    mail.outbox.clear()
    assert expiry_reminders_send() == 1
    assert list(ExpiryReminder.objects.filter(certificate=late).values_list("days_before", flat=True)) == [7]


def test_no_reminder_for_certificates_that_never_expire_are_replaced_revoked_expired_or_far_off(trainee):
    CertificateFactory(learner=trainee, expires_at=None)
    expiring_in(10, learner=trainee, status="superseded")
    expiring_in(10, learner=trainee, status="revoked", revoked_reason="Error")
    expiring_in(-1, learner=trainee)
    expiring_in(200, learner=trainee)
    assert expiry_reminders_send() == 0 and mail.outbox == []


def test_the_daily_command_queues_the_reminder_task(trainee):
    expiring_in(20, learner=trainee)
    call_command("certificate_reminders", stdout=StringIO())
    assert len(mail.outbox) == 1  # the test settings run tasks immediately
