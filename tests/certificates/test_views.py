from datetime import UTC, datetime

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from coursesite.audit.models import AuditEvent
from coursesite.certificates.models import Certificate, RuleException, SignOff
from coursesite.progress.services import completion_record
from tests.factories import CertificateFactory, UserFactory

pytestmark = pytest.mark.django_db


def stored_pdf(certificate: Certificate, content: bytes = b"%PDF-1.7 cached") -> Certificate:
    certificate.pdf.save(f"{certificate.code}.pdf", ContentFile(content))
    return certificate


def complete_all(learner, course):
    for step in course.get_children().live():
        completion_record(learner=learner, step=step, course=course)


# Trainee: My certificates and downloads


def test_my_certificates_lists_current_and_past_in_a_fixed_number_of_queries(
    client, trainee, course, django_assert_max_num_queries
):
    CertificateFactory(learner=trainee, course=course, course_title="Current course")
    CertificateFactory(learner=trainee, course=None, course_title="Replaced course", status="superseded")
    CertificateFactory(
        learner=trainee, course_title="Revoked course", status="revoked", revoked_reason="Issued in error"
    )
    CertificateFactory(
        learner=trainee,
        course_title="Old course",
        issued_at=datetime(2020, 1, 1, tzinfo=UTC),
        expires_at=datetime(2021, 1, 1, tzinfo=UTC),
    )
    CertificateFactory(course_title="Somebody else's course")
    client.force_login(trainee)
    # 6 for the page and its certificates, 1 for the (empty) list of courses being worked towards.
    with django_assert_max_num_queries(7):
        response = client.get(reverse("my_certificates"))
    current, past = response.context["certificates"].current, response.context["certificates"].past
    assert [c.course_title for c in current] == ["Current course"]
    assert {c.course_title for c in past} == {"Replaced course", "Revoked course", "Old course"}
    assert "Somebody else" not in response.content.decode()
    assert "Your PDF is being prepared." in response.content.decode()  # the current one is not rendered yet


def test_downloading_serves_the_stored_pdf_as_an_attachment_without_rendering_again(
    client, trainee, course, monkeypatch
):
    from coursesite.certificates import rendering

    monkeypatch.setattr(rendering, "certificate_pdf_bytes", lambda c: pytest.fail("rendered again"))
    certificate = stored_pdf(CertificateFactory(learner=trainee, course=course, course_title='Front "Desk"/../ 101'))
    client.force_login(trainee)
    response = client.get(reverse("certificate_download", args=[certificate.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="certificate-front-desk-101-{certificate.code}.pdf"'
    )
    assert b"".join(response.streaming_content) == b"%PDF-1.7 cached"


def test_downloading_before_the_background_render_renders_once_and_keeps_the_file(client, trainee, course):
    certificate = CertificateFactory(learner=trainee, course=course)
    client.force_login(trainee)
    response = client.get(reverse("certificate_download", args=[certificate.pk]))
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    certificate.refresh_from_db()
    assert certificate.pdf_ready


def test_a_learner_cannot_download_someone_elses_or_a_revoked_certificate(client, trainee, other_trainee):
    theirs = stored_pdf(CertificateFactory(learner=other_trainee))
    revoked = stored_pdf(CertificateFactory(learner=trainee, status="revoked", revoked_reason="Fraud"))
    client.force_login(trainee)
    assert client.get(reverse("certificate_download", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("certificate_download", args=[revoked.pk])).status_code == 404
    assert client.get(reverse("certificate_download", args=[999999])).status_code == 404


# Public verification


def test_verification_shows_only_name_course_dates_issuer_and_status(client, trainee, course):
    certificate = CertificateFactory(
        learner=trainee, course=course, learner_name="Finley Finished", expires_at=datetime(2099, 1, 1, 12, tzinfo=UTC)
    )
    response = client.get(reverse("certificate_verify", args=[certificate.code.lower()]))
    page = response.content.decode()
    assert response.status_code == 200 and "Valid" in page
    for shown in ("Finley Finished", certificate.course_title, "January 1, 2099", "Front Desk Academy"):
        assert shown in page
    assert trainee.email not in page and "noindex" in page


def test_verification_says_revoked_with_the_reason_and_expired(client, trainee):
    revoked = CertificateFactory(learner=trainee, status="revoked", revoked_reason="Identity could not be confirmed")
    expired = CertificateFactory(
        learner=trainee, issued_at=datetime(2020, 1, 1, tzinfo=UTC), expires_at=datetime(2021, 1, 1, tzinfo=UTC)
    )
    superseded = CertificateFactory(learner=trainee, status="superseded")
    page = client.get(reverse("certificate_verify", args=[revoked.code])).content.decode()
    assert "Revoked" in page and "Identity could not be confirmed" in page
    assert "Expired" in client.get(reverse("certificate_verify", args=[expired.code])).content.decode()
    assert "Replaced by a newer" in client.get(reverse("certificate_verify", args=[superseded.code])).content.decode()


def test_an_unknown_code_is_not_found(client, db):
    response = client.get(reverse("certificate_verify", args=["AAAABBBBCCCCDDDD"]))
    assert response.status_code == 404 and "Certificate not found" in response.content.decode()


def test_the_verification_form_accepts_codes_as_people_type_them(client, trainee):
    certificate = CertificateFactory(learner=trainee)
    spaced = " ".join(certificate.display_code.lower().split("-"))
    response = client.get(reverse("verify"), {"code": spaced})
    assert response.status_code == 302 and response["Location"] == reverse(
        "certificate_verify", args=[certificate.code]
    )
    assert client.get(reverse("verify"), {"code": "short"}).status_code == 400


def test_verification_lookups_are_rate_limited_per_ip(client, settings, trainee):
    settings.VERIFY_RATE_LIMIT_PER_MINUTE = 3
    certificate = CertificateFactory(learner=trainee)
    url = reverse("certificate_verify", args=[certificate.code])
    assert [client.get(url).status_code for _ in range(3)] == [200, 200, 200]
    response = client.get(url)
    assert response.status_code == 429 and response["Retry-After"] == "60"
    assert "Too many lookups" in response.content.decode()
    assert client.get(url, REMOTE_ADDR="10.0.0.9").status_code == 200  # another address has its own budget


# Supervisor: revoke, reissue, sign-off, exceptions


def test_the_cohort_page_lists_its_trainees_certificates_in_a_fixed_number_of_queries(
    client, supervisor, cohort, trainee, other_trainee, django_assert_max_num_queries
):
    from tests.factories import MembershipFactory

    for _ in range(5):
        MembershipFactory(cohort=cohort, user=(learner := UserFactory()))
        CertificateFactory(learner=learner)
    CertificateFactory(learner=other_trainee, course_title="Outside the cohort")
    client.force_login(supervisor)
    with django_assert_max_num_queries(14):  # session, user, MFA, cohort, certificates, decisions, form choices
        response = client.get(reverse("cohort_certificates", args=[cohort.pk]))
    assert len(response.context["certificates"]) == 5
    assert "Outside the cohort" not in response.content.decode()


def test_a_supervisor_revokes_with_a_reason_shown_on_the_verification_page(client, supervisor, cohort, trainee):
    certificate = CertificateFactory(learner=trainee)
    client.force_login(supervisor)
    url = reverse("certificate_revoke", args=[cohort.pk, certificate.pk])
    assert client.post(url, {"reason": ""}).status_code == 400
    response = client.post(url, {"reason": "Completed under another learner's account"})
    assert response.status_code == 302
    certificate.refresh_from_db()
    assert certificate.status == "revoked" and certificate.revoked_by == supervisor
    page = client.get(reverse("certificate_verify", args=[certificate.code])).content.decode()
    assert "Completed under another learner&#x27;s account" in page
    assert AuditEvent.objects.filter(action="certificate_revoked", actor=supervisor).count() == 1


def test_a_supervisor_cannot_act_on_certificates_outside_their_cohort(
    client, supervisor, cohort, other_trainee, other_cohort
):
    theirs = CertificateFactory(learner=other_trainee)
    client.force_login(supervisor)
    assert client.post(reverse("certificate_revoke", args=[cohort.pk, theirs.pk]), {"reason": "x"}).status_code == 404
    assert client.post(reverse("certificate_reissue", args=[cohort.pk, theirs.pk])).status_code == 404
    assert (
        client.post(reverse("certificate_revoke", args=[other_cohort.pk, theirs.pk]), {"reason": "x"}).status_code
        == 404
    )
    theirs.refresh_from_db()
    assert theirs.status == "valid"


def test_a_supervisor_reissues_a_certificate_when_the_rule_is_still_met(
    client, supervisor, cohort, trainee, course, monkeypatch
):
    from types import SimpleNamespace

    from coursesite.certificates import tasks
    from coursesite.certificates.services import certificate_issue

    monkeypatch.setattr(tasks, "certificate_render_task", SimpleNamespace(enqueue=lambda **kwargs: None))
    complete_all(trainee, course)
    old = certificate_issue(learner=trainee, course=course)
    client.force_login(supervisor)
    response = client.post(reverse("certificate_reissue", args=[cohort.pk, old.pk]), {"reason": "Name changed"})
    assert response.status_code == 302
    new = Certificate.objects.get(status="valid")
    assert new.previous == old and new.pk != old.pk
    assert Certificate.objects.get(pk=old.pk).status == "superseded"


def test_a_supervisor_signs_off_and_grants_an_exception_for_their_trainee_only(
    client, supervisor, cohort, trainee, other_trainee, course
):
    step = course.get_children().first()
    client.force_login(supervisor)
    url = reverse("certificate_sign_off", args=[cohort.pk])
    assert client.post(url, {"learner": other_trainee.pk, "course": course.pk}).status_code == 400
    assert client.post(url, {"learner": trainee.pk, "course": course.pk, "note": "Observed"}).status_code == 302
    assert SignOff.objects.get().signed_by == supervisor
    url = reverse("certificate_rule_exception", args=[cohort.pk])
    assert client.post(url, {"learner": trainee.pk, "step": step.pk, "reason": ""}).status_code == 400
    assert client.post(url, {"learner": trainee.pk, "step": step.pk, "reason": "Prior CHAA"}).status_code == 302
    exception = RuleException.objects.get()
    assert (exception.learner, exception.step_id, exception.granted_by) == (trainee, step.pk, supervisor)


def test_my_certificates_is_in_the_navigation(client, trainee):
    client.force_login(trainee)
    response = client.get(reverse("my_certificates"))
    assert {"label": "My certificates", "url": "/certificates/", "current": True} in response.context["nav_items"]


def test_a_supervisor_downloads_the_cohorts_current_certificates_as_one_zip(
    client, supervisor, cohort, trainee, other_trainee
):
    import zipfile
    from io import BytesIO

    mine = stored_pdf(CertificateFactory(learner=trainee, learner_name="Finley Finished", course_title="HIPAA"))
    stored_pdf(CertificateFactory(learner=trainee, status="superseded"))
    stored_pdf(CertificateFactory(learner=other_trainee))
    client.force_login(supervisor)
    response = client.get(reverse("cohort_certificates_zip", args=[cohort.pk]))
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment;")
    bundle = zipfile.ZipFile(BytesIO(b"".join(response.streaming_content)))
    assert bundle.namelist() == [f"finley-finished-hipaa-{mine.code}.pdf"]
    assert bundle.read(bundle.namelist()[0]) == b"%PDF-1.7 cached"
    event = AuditEvent.objects.get(action="certificates_exported")
    assert event.actor == supervisor and event.detail["certificates"] == [mine.pk]


def test_the_zip_waits_until_every_pdf_is_rendered(client, supervisor, cohort, trainee, monkeypatch):
    from types import SimpleNamespace

    from coursesite.certificates import tasks

    queued = []
    monkeypatch.setattr(tasks, "certificate_render_task", SimpleNamespace(enqueue=lambda **kw: queued.append(kw)))
    certificate = CertificateFactory(learner=trainee)
    client.force_login(supervisor)
    response = client.get(reverse("cohort_certificates_zip", args=[cohort.pk]))
    assert response.status_code == 302 and queued == [{"certificate_id": certificate.pk}]
    assert not AuditEvent.objects.filter(action="certificates_exported").exists()
