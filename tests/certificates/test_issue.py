from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from coursesite.audit.models import AuditEvent
from coursesite.certificates.models import Certificate, CompletionRule, new_verification_code, normalise_code
from coursesite.certificates.services import (
    CertificateNotIssued,
    add_months,
    certificate_issue,
    certificate_reissue,
    certificate_revoke,
    rule_exception_grant,
    sign_off_grant,
)
from coursesite.progress.services import completion_record
from tests.factories import CertificateFactory

pytestmark = pytest.mark.django_db


def complete_all(learner, course):
    for step in course.get_children().live():
        completion_record(learner=learner, step=step, course=course)


@pytest.fixture(autouse=True)
def _no_background_render(monkeypatch):
    """These tests are about issuing; rendering has its own tests (and costs 0.25 s a PDF)."""
    from coursesite.certificates import tasks

    monkeypatch.setattr(tasks, "certificate_render_task", SimpleNamespace(enqueue=lambda **kwargs: None))


def test_the_rule_not_met_means_no_certificate(trainee, course):
    with pytest.raises(CertificateNotIssued) as error:
        certificate_issue(learner=trainee, course=course)
    assert "“Lesson 1” is not passed yet." in error.value.reasons
    assert not Certificate.objects.exists()


def test_issuing_snapshots_the_learner_course_rule_and_content_revisions(trainee, course):
    course.certificate_valid_months = 12
    course.save()
    complete_all(trainee, course)
    certificate = certificate_issue(learner=trainee, course=course)
    assert certificate.status == "valid" and certificate.learner_name == trainee.display_name
    assert certificate.course_title == course.title and certificate.hours == course.estimated_hours
    assert certificate.expires_at == add_months(certificate.issued_at, 12)
    revisions = {s.pk: s.latest_revision_id for s in course.get_children()}
    assert {s["step"]: s["content_revision"] for s in certificate.evidence["steps"]} == revisions
    assert certificate.evidence["rule"]["all_live_steps_passed"] is True
    assert AuditEvent.objects.filter(
        action="certificate_issued", target=f"certificates.certificate:{certificate.pk}"
    ).exists()


def test_a_course_valid_for_zero_months_gives_a_certificate_that_never_expires(trainee, course):
    course.certificate_valid_months = 0
    course.save()
    complete_all(trainee, course)
    certificate = certificate_issue(learner=trainee, course=course)
    assert certificate.expires_at is None and certificate.public_status == "valid"


def test_issuing_is_idempotent(trainee, course):
    complete_all(trainee, course)
    first = certificate_issue(learner=trainee, course=course)
    assert certificate_issue(learner=trainee, course=course) == first
    assert Certificate.objects.count() == 1
    assert AuditEvent.objects.filter(action="certificate_issued").count() == 1


def test_the_database_refuses_two_current_certificates_for_one_learner_and_course(trainee, course):
    CertificateFactory(learner=trainee, course=course)
    with pytest.raises(IntegrityError), transaction.atomic():
        CertificateFactory(learner=trainee, course=course)
    CertificateFactory(learner=trainee, course=course, status="superseded")  # history is fine


def test_verification_codes_are_long_random_and_typed_forgivingly():
    codes = {new_verification_code() for _ in range(200)}
    assert len(codes) == 200 and all(len(code) == 16 and code.isalnum() for code in codes)
    assert normalise_code("abcd-efgh ijkl mnop") == "ABCDEFGHIJKLMNOP"


def test_completing_the_last_step_issues_the_certificate_after_commit(
    trainee, course, django_capture_on_commit_callbacks
):
    *first, last = course.get_children()
    for step in first:
        completion_record(learner=trainee, step=step, course=course)
    with django_capture_on_commit_callbacks(execute=True):
        completion_record(learner=trainee, step=last, course=course)
    assert Certificate.objects.filter(learner=trainee, course=course, status="valid").count() == 1


def test_a_rolled_back_completion_issues_nothing(trainee, course, django_capture_on_commit_callbacks):
    *first, last = course.get_children()
    for step in first:
        completion_record(learner=trainee, step=step, course=course)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                completion_record(learner=trainee, step=last, course=course)
                raise RuntimeError("the quiz submission failed after recording")
        except RuntimeError:
            pass
    assert callbacks == [] and not Certificate.objects.exists()


def test_the_issue_task_takes_ids_and_is_idempotent(trainee, course):
    from coursesite.certificates.tasks import certificate_issue_task

    complete_all(trainee, course)
    first = certificate_issue_task.enqueue(learner_id=trainee.pk, course_id=course.pk)
    second = certificate_issue_task.enqueue(learner_id=trainee.pk, course_id=course.pk)
    assert first.return_value == second.return_value == Certificate.objects.get().pk


def test_revoking_needs_a_reason_and_is_audited(trainee, supervisor, course):
    complete_all(trainee, course)
    certificate = certificate_issue(learner=trainee, course=course)
    with pytest.raises(ValidationError):
        certificate_revoke(certificate=certificate, actor=supervisor, reason="  ")
    certificate_revoke(certificate=certificate, actor=supervisor, reason="Issued in error")
    certificate.refresh_from_db()
    assert certificate.status == "revoked" and certificate.revoked_by == supervisor
    assert AuditEvent.objects.filter(action="certificate_revoked", actor=supervisor).exists()


def test_a_revoked_certificate_is_not_reissued_automatically(trainee, supervisor, course):
    complete_all(trainee, course)
    certificate = certificate_issue(learner=trainee, course=course)
    certificate_revoke(certificate=certificate, actor=supervisor, reason="Identity not confirmed")
    with pytest.raises(CertificateNotIssued, match="revoked"):
        certificate_issue(learner=trainee, course=course)


def test_reissuing_links_the_new_certificate_and_supersedes_the_old(trainee, supervisor, course):
    complete_all(trainee, course)
    old = certificate_issue(learner=trainee, course=course)
    trainee.display_name = "Corrected Name"
    trainee.save()
    new = certificate_reissue(certificate=old, actor=supervisor, reason="Name corrected")
    old.refresh_from_db()
    assert old.status == "superseded" and new.previous == old and new.status == "valid"
    assert new.learner_name == "Corrected Name" and new.code != old.code
    assert new.expires_at == old.expires_at  # a correction, not a renewal
    assert AuditEvent.objects.filter(action="certificate_reissued", actor=supervisor).exists()
    with pytest.raises(CertificateNotIssued):
        certificate_reissue(certificate=old, actor=supervisor)


def test_an_expired_certificate_is_renewed_only_after_the_steps_are_completed_again(trainee, course):
    complete_all(trainee, course)
    old = certificate_issue(learner=trainee, course=course)
    Certificate.objects.filter(pk=old.pk).update(
        issued_at=datetime(2020, 1, 1, tzinfo=UTC), expires_at=datetime(2021, 1, 1, tzinfo=UTC)
    )
    old.refresh_from_db()
    assert old.public_status == "expired"
    from coursesite.progress.models import Completion

    Completion.objects.filter(learner=trainee).update(completed_at=datetime(2019, 12, 1, tzinfo=UTC))
    with pytest.raises(CertificateNotIssued, match="again"):
        certificate_issue(learner=trainee, course=course)
    complete_all(trainee, course)
    renewed = certificate_issue(learner=trainee, course=course)
    old.refresh_from_db()
    assert renewed.previous == old and old.status == "superseded" and renewed.public_status == "valid"


def test_a_certificate_can_be_renewed_early_in_the_window_with_no_gap(trainee, course, settings):
    settings.CERTIFICATE_RENEWAL_WINDOW_DAYS = 30
    complete_all(trainee, course)
    old = certificate_issue(learner=trainee, course=course)
    soon = timezone.now() + timedelta(days=20)
    Certificate.objects.filter(pk=old.pk).update(issued_at=timezone.now() - timedelta(days=345), expires_at=soon)
    from coursesite.progress.models import Completion

    Completion.objects.filter(learner=trainee).update(completed_at=timezone.now() - timedelta(days=346))
    assert certificate_issue(learner=trainee, course=course) == old, "until the steps are redone, the old one stands"
    complete_all(trainee, course)
    renewed = certificate_issue(learner=trainee, course=course)
    old.refresh_from_db()
    assert renewed != old and renewed.previous == old and old.status == "superseded"
    assert renewed.issued_at <= soon, "no gap: the new certificate starts before the old one ends"
    assert Certificate.objects.current().filter(learner=trainee).count() == 1


def test_outside_the_renewal_window_completing_again_changes_nothing(trainee, course):
    complete_all(trainee, course)
    first = certificate_issue(learner=trainee, course=course)
    complete_all(trainee, course)
    assert certificate_issue(learner=trainee, course=course) == first
    assert Certificate.objects.count() == 1


def test_sign_off_issues_the_certificate_when_it_was_the_last_missing_piece(
    trainee, supervisor, course, django_capture_on_commit_callbacks
):
    CompletionRule.objects.create(course=course, require_signoff=True)
    complete_all(trainee, course)
    with pytest.raises(CertificateNotIssued):
        certificate_issue(learner=trainee, course=course)
    with django_capture_on_commit_callbacks(execute=True):
        sign_off_grant(learner=trainee, course=course, actor=supervisor)
    assert Certificate.objects.get().evidence["sign_off"]["by"] == supervisor.pk
    assert AuditEvent.objects.filter(action="certificate_signed_off", actor=supervisor).exists()


def test_an_exception_needs_a_reason_a_step_of_the_course_and_is_audited(
    trainee, supervisor, course, django_capture_on_commit_callbacks
):
    from tests.factories import make_course

    *first, last = course.get_children()
    for step in first:
        completion_record(learner=trainee, step=step, course=course)
    with pytest.raises(ValidationError):
        rule_exception_grant(learner=trainee, course=course, step=last, actor=supervisor, reason="")
    elsewhere = make_course(lessons=1, slug="elsewhere").get_children().first()
    with pytest.raises(ValidationError):
        rule_exception_grant(learner=trainee, course=course, step=elsewhere, actor=supervisor, reason="x")
    with django_capture_on_commit_callbacks(execute=True):
        rule_exception_grant(learner=trainee, course=course, step=last, actor=supervisor, reason="Prior training")
    certificate = Certificate.objects.get()
    assert certificate.evidence["steps"][-1] == {"step": last.pk, "title": last.title, "exception": "Prior training"}
    assert AuditEvent.objects.filter(action="certificate_rule_exception", actor=supervisor).exists()


def test_adding_months_clamps_to_the_end_of_the_month():
    assert add_months(datetime(2026, 1, 31, tzinfo=UTC), 1) == datetime(2026, 2, 28, tzinfo=UTC)
    assert add_months(datetime(2026, 11, 15, tzinfo=UTC), 14) == datetime(2028, 1, 15, tzinfo=UTC)
    assert add_months(datetime(2026, 3, 1, tzinfo=UTC), 0) - datetime(2026, 3, 1, tzinfo=UTC) == timedelta(0)


def test_losing_the_race_between_read_and_insert_returns_the_winners_certificate(trainee, course, monkeypatch):
    from coursesite.certificates import services

    complete_all(trainee, course)
    original = services.rule_evaluate
    winner = {}

    def another_worker_issues_meanwhile(**kwargs):
        result = original(**kwargs)
        winner["certificate"] = CertificateFactory(learner=trainee, course=course)
        return result

    monkeypatch.setattr(services, "rule_evaluate", another_worker_issues_meanwhile)
    assert certificate_issue(learner=trainee, course=course) == winner["certificate"]
    assert Certificate.objects.count() == 1
    assert not AuditEvent.objects.filter(action="certificate_issued").exists()


def test_an_expired_certificate_cannot_be_reissued(trainee, supervisor, course):
    complete_all(trainee, course)
    old = certificate_issue(learner=trainee, course=course)
    Certificate.objects.filter(pk=old.pk).update(
        issued_at=datetime(2020, 1, 1, tzinfo=UTC), expires_at=datetime(2021, 1, 1, tzinfo=UTC)
    )
    old.refresh_from_db()
    with pytest.raises(CertificateNotIssued, match="expired"):
        certificate_reissue(certificate=old, actor=supervisor)
    assert Certificate.objects.count() == 1


def test_with_the_database_queue_a_completion_queues_the_issue_task_with_ids_only(
    trainee, course, settings, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        completion_record(learner=trainee, step=course.get_children().first(), course=course)
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "coursesite.certificates.tasks.certificate_issue_task"
    assert queued.args_kwargs == {"args": [], "kwargs": {"learner_id": trainee.pk, "course_id": course.pk}}
    assert not Certificate.objects.exists()  # nothing runs until a worker picks it up
