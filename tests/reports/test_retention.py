import datetime
from io import StringIO

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from coursesite.audit.models import AuditEvent
from coursesite.audit.services import audit_record
from coursesite.certificates.models import Certificate
from coursesite.people.models import Membership, User
from coursesite.progress.models import Completion
from coursesite.reports.retention import (
    learner_retained_until,
    retention_cutoff,
    training_record_purge,
    training_records_due,
)
from coursesite.reports.tasks import training_records_purge_task
from simulations.call_services import call_session_choose, call_session_start
from simulations.models import ActionLog, CallSession, CallStep, Shift
from simulations.services import shift_start
from tests.factories import CertificateFactory, make_call_page, make_course, make_simulation

from .conftest import add_trainees, steps_of

DAY = datetime.timedelta(days=1)


@pytest.fixture
def now():
    return timezone.now()


def _old_trainee(cohort, *, last_activity: datetime.datetime, course, prefix="t") -> User:
    """A trainee who joined long ago and whose newest completion is at `last_activity`."""
    (learner,) = add_trainees(cohort, 1, prefix=prefix)
    joined = last_activity - datetime.timedelta(days=400)
    User.objects.filter(pk=learner.pk).update(date_joined=joined, last_login=joined)
    Completion.objects.create(
        learner=learner,
        step=steps_of(course)[0],
        course=course,
        first_completed_at=last_activity,
        completed_at=last_activity,
    )
    return learner


def _due(now) -> set[int]:
    return {candidate.learner_id for candidate in training_records_due(now=now)}


def test_a_record_goes_the_day_after_six_years_and_not_the_day_before(cohort, quiz_course, now):
    cutoff = retention_cutoff(now=now)
    assert cutoff.year == now.year - 6
    past = _old_trainee(cohort, last_activity=cutoff - DAY, course=quiz_course, prefix="past")
    inside = _old_trainee(cohort, last_activity=cutoff + DAY, course=quiz_course, prefix="inside")
    assert _due(now) == {past.pk}
    assert training_record_purge(learner_id=inside.pk, now=now) is None  # refused inside the period
    assert Completion.objects.filter(learner=inside).exists()
    assert training_record_purge(learner_id=past.pk, now=now)["completions"] == 1
    assert not Completion.objects.filter(learner=past).exists()


def test_any_recent_activity_restarts_the_clock(cohort, quiz_course, now):
    cutoff = retention_cutoff(now=now)
    learner = _old_trainee(cohort, last_activity=cutoff - DAY * 30, course=quiz_course)
    assert _due(now) == {learner.pk}
    User.objects.filter(pk=learner.pk).update(last_login=cutoff + DAY)
    assert _due(now) == set()


def test_a_certificate_keeps_the_record_until_six_years_after_it_stops_being_in_effect(cohort, quiz_course, now):
    cutoff = retention_cutoff(now=now)
    learner = _old_trainee(cohort, last_activity=cutoff - DAY * 900, course=quiz_course)
    certificate = CertificateFactory(
        learner=learner, course=quiz_course, issued_at=cutoff - DAY * 900, expires_at=cutoff + DAY
    )
    assert _due(now) == set()  # it expired less than six years ago
    assert learner_retained_until(learner).date() == (certificate.expires_at + (now - cutoff)).date()
    Certificate.objects.filter(pk=certificate.pk).update(expires_at=cutoff - DAY)
    assert _due(now) == {learner.pk}
    # A current certificate that never expires is in effect: the record is kept indefinitely.
    Certificate.objects.filter(pk=certificate.pk).update(expires_at=None)
    assert _due(now) == set() and learner_retained_until(learner) is None
    # Revoked: in effect until it was revoked.
    Certificate.objects.filter(pk=certificate.pk).update(
        status="revoked", revoked_at=cutoff + DAY, revoked_reason="Issued in error"
    )
    assert _due(now) == set()
    Certificate.objects.filter(pk=certificate.pk).update(revoked_at=cutoff - DAY)
    assert _due(now) == {learner.pk}


def test_a_purge_deletes_the_whole_record_keeps_the_audit_trail_and_anonymises_the_account(
    cohort, supervisor, quiz_course, now
):
    cutoff = retention_cutoff(now=now)
    learner = _old_trainee(cohort, last_activity=cutoff - DAY * 10, course=quiz_course)
    office_course = make_course(lessons=0, slug="office-retention")
    shift = shift_start(learner=learner, page=make_simulation(office_course, slug="booking"), seed="old")
    session = call_session_start(learner=learner, page=make_call_page(office_course, slug="bill"))
    call_session_choose(session=session, step=1, choice_id="empathise")
    ActionLog.objects.create(shift=shift, seq=1, kind="patient_viewed", at_sim=shift.clock_start, at_real=now)
    Shift.objects.filter(pk=shift.pk).update(started_at=cutoff - DAY * 10)
    CallSession.objects.filter(pk=session.pk).update(started_at=cutoff - DAY * 10)
    first = CertificateFactory(learner=learner, course=quiz_course, issued_at=cutoff - DAY * 800, status="superseded")
    CertificateFactory(
        learner=learner, course=quiz_course, issued_at=cutoff - DAY * 400, expires_at=cutoff - DAY * 20, previous=first
    )
    audit_record(action="login", actor=learner)
    events_before = AuditEvent.objects.count()
    assert ActionLog.objects.filter(shift=shift).exists() and CallStep.objects.filter(session=session).exists()

    out = StringIO()
    call_command("purge_training_records", stdout=out)

    assert f"Purged learner {learner.pk}" in out.getvalue() and "2 certificates" in out.getvalue()
    for model in (Completion, Shift, CallSession, Certificate):
        assert not model.objects.filter(learner=learner).exists(), model
    assert not ActionLog.objects.filter(shift_id=shift.pk).exists()
    assert not Membership.objects.filter(user=learner).exists()
    learner.refresh_from_db()
    assert learner.email == f"learner-{learner.pk}@purged.invalid" and learner.display_name == "Former trainee"
    assert not learner.is_active and not learner.has_usable_password()
    # Nothing of the audit trail went; one row records the purge, without a name or an address.
    assert AuditEvent.objects.count() == events_before + 1
    purged = AuditEvent.objects.get(action="training_record_purged")
    assert purged.target == f"people.user:{learner.pk}" and purged.detail["counts"]["completions"] == 1
    assert AuditEvent.objects.filter(actor=learner, action="login").exists()
    # The supervisor, whose account is no training record, and a second run: nothing more.
    assert User.objects.get(pk=supervisor.pk).is_active
    assert list(training_records_due(now=now)) == []


def test_a_dry_run_lists_what_would_go_and_changes_nothing(cohort, quiz_course, now):
    learner = _old_trainee(cohort, last_activity=retention_cutoff(now=now) - DAY, course=quiz_course)
    out = StringIO()
    call_command("purge_training_records", "--dry-run", stdout=out)
    assert f"Would purge learner {learner.pk}" in out.getvalue() and "1 completions, 1 cohort memberships" in (
        out.getvalue()
    )
    assert "1 training record would be purged (6-year retention)." in out.getvalue()
    assert Completion.objects.filter(learner=learner).exists()
    assert not AuditEvent.objects.filter(action="training_record_purged").exists()


def test_a_retention_shorter_than_hipaas_six_years_is_refused(settings):
    settings.TRAINING_RECORD_RETENTION_YEARS = 5
    with pytest.raises(ImproperlyConfigured, match="164.530"):
        call_command("purge_training_records", "--dry-run", stdout=StringIO())


def test_a_longer_retention_from_the_setting_keeps_more(settings, cohort, quiz_course, now):
    learner = _old_trainee(cohort, last_activity=retention_cutoff(now=now) - DAY, course=quiz_course)
    settings.TRAINING_RECORD_RETENTION_YEARS = 7
    assert _due(now) == set()
    settings.TRAINING_RECORD_RETENTION_YEARS = 6
    assert _due(now) == {learner.pk}


def test_the_background_task_purges_what_is_due(cohort, quiz_course, now):
    _old_trainee(cohort, last_activity=retention_cutoff(now=now) - DAY, course=quiz_course, prefix="a")
    _old_trainee(cohort, last_activity=now - DAY, course=quiz_course, prefix="b")
    result = training_records_purge_task.enqueue()
    assert result.return_value == 1
    assert Completion.objects.count() == 1


def test_the_trainee_record_says_how_long_it_is_kept(client, supervisor, cohort, trainee):
    client.force_login(supervisor)
    page = client.get(reverse("trainee_record", args=[cohort.pk, trainee.pk])).content.decode()
    assert "45 CFR 164.530(j)(2)" in page and "Kept at least until" in page
