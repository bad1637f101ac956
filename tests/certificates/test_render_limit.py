"""PDF renders run in a worker process under a hard time limit, and a failed render is reported."""

import time

import pytest
from django.urls import reverse

from coursesite.certificates import pdf
from coursesite.certificates.pdf import RenderError, RenderTimeout, run_guarded
from coursesite.certificates.rendering import certificate_pdf_bytes
from coursesite.certificates.tasks import certificate_render_task
from tests.certificates.slow_jobs import fail_with_value_error, sleep_then_return
from tests.factories import CertificateFactory


@pytest.fixture
def worker(settings):
    """The real worker process (the test settings render in-process), stopped after the test."""
    settings.CERTIFICATE_RENDER_TIMEOUT_SECONDS = 3
    yield
    pdf._drop_worker()


def test_a_render_past_the_time_limit_is_killed_and_a_new_worker_serves_the_next_job(worker):
    first_pid = run_guarded(sleep_then_return, 0)  # starts the worker; a quick job comes back
    started = time.monotonic()
    with pytest.raises(RenderTimeout, match="longer than 3 seconds"):
        run_guarded(sleep_then_return, 60)
    assert time.monotonic() - started < 10
    assert pdf._worker is None  # the stuck process was killed, not left running
    assert run_guarded(sleep_then_return, 0) != first_pid


def test_the_worker_stays_up_between_renders_and_reports_errors_without_dying(worker):
    pid = run_guarded(sleep_then_return, 0)
    with pytest.raises(RenderError, match="ValueError: broken input"):
        run_guarded(fail_with_value_error)
    assert run_guarded(sleep_then_return, 0) == pid


@pytest.mark.django_db
def test_the_worker_renders_a_real_certificate(worker, settings, trainee):
    settings.CERTIFICATE_RENDER_TIMEOUT_SECONDS = 30  # the first render includes the worker's start-up
    content = certificate_pdf_bytes(CertificateFactory(learner=trainee))
    assert content.startswith(b"%PDF") and pdf._worker is not None


def test_in_process_failures_are_render_errors_too(settings):
    settings.CERTIFICATE_RENDER_TIMEOUT_SECONDS = 0
    with pytest.raises(RenderError, match="ValueError: broken input"):
        run_guarded(fail_with_value_error)


@pytest.fixture
def render_times_out(monkeypatch):
    def stuck(html, *, max_pages=None):
        raise RenderTimeout("Producing the PDF took longer than 20 seconds and was stopped.")

    monkeypatch.setattr("coursesite.certificates.rendering.render_pdf", stuck)


@pytest.mark.django_db
def test_a_failed_background_render_is_recorded_and_the_trainee_is_told_not_left_waiting(
    client, trainee, render_times_out
):
    certificate = CertificateFactory(learner=trainee)
    assert certificate_render_task.call(certificate_id=certificate.pk) is False
    certificate.refresh_from_db()
    assert not certificate.pdf and "longer than 20 seconds" in certificate.pdf_error and certificate.pdf_failed_at
    client.force_login(trainee)
    body = client.get(reverse("my_certificates")).content.decode()
    assert "We could not produce your PDF" in body and "Try again" in body
    assert "Your PDF is being prepared." not in body


@pytest.mark.django_db
def test_a_failed_download_render_redirects_with_a_message_and_a_retry_clears_the_failure(client, trainee, monkeypatch):
    certificate = CertificateFactory(learner=trainee)
    client.force_login(trainee)
    url = reverse("certificate_download", args=[certificate.pk])

    def stuck(html, *, max_pages=None):
        raise RenderTimeout("stopped")

    with monkeypatch.context() as patch:
        patch.setattr("coursesite.certificates.rendering.render_pdf", stuck)
        response = client.get(url, follow=True)
    assert response.redirect_chain[-1][0] == reverse("my_certificates")
    assert "could not produce your certificate PDF" in response.content.decode()
    certificate.refresh_from_db()
    assert certificate.pdf_failed
    response = client.get(url)  # the retry renders for real
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    certificate.refresh_from_db()
    assert certificate.pdf_ready and certificate.pdf_error == "" and certificate.pdf_failed_at is None


@pytest.mark.django_db
def test_a_training_record_pdf_that_cannot_be_rendered_sends_the_supervisor_back_with_a_message(
    client, supervisor, cohort, trainee, monkeypatch
):
    def stuck(html, *, max_pages=None):
        raise RenderTimeout("Producing the PDF took longer than 20 seconds and was stopped.")

    monkeypatch.setattr("coursesite.reports.record_pdf.render_pdf", stuck)
    client.force_login(supervisor)
    url = reverse("trainee_record_pdf", kwargs={"cohort_id": cohort.pk, "user_id": trainee.pk})
    response = client.get(url, follow=True)
    assert response.redirect_chain[-1][0] == reverse(
        "trainee_record", kwargs={"cohort_id": cohort.pk, "user_id": trainee.pk}
    )
    assert "could not be produced" in response.content.decode()
