from io import BytesIO

import pytest
from pypdf import PdfReader

from coursesite.certificates.models import Certificate
from coursesite.certificates.rendering import (
    BASE_URL,
    RenderError,
    SafeURLFetcher,
    certificate_html,
    certificate_pdf_bytes,
)
from coursesite.certificates.tasks import certificate_render_task
from tests.factories import CertificateFactory

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(content)).pages)


def test_the_certificate_is_a_one_page_a4_landscape_pdf_naming_learner_course_and_code(trainee, course):
    certificate = CertificateFactory(learner=trainee, course=course, learner_name="Finley Finished")
    content = certificate_pdf_bytes(certificate)
    assert content.startswith(b"%PDF")
    reader = PdfReader(BytesIO(content))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert round(float(box.width)) == 842 and round(float(box.height)) == 595  # A4 landscape in points
    text = pdf_text(content)
    assert "Finley Finished" in text and course.title in text and certificate.display_code in text
    html = certificate_html(certificate)
    assert f"/verify/{certificate.code}/" in html and 'src="data:image/svg+xml;base64,' in html


def test_markup_in_a_name_is_escaped_and_fetches_nothing(trainee, monkeypatch):
    fetched: list[str] = []
    original = SafeURLFetcher.fetch

    def spy(self, url, headers=None):
        fetched.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(SafeURLFetcher, "fetch", spy)
    name = '<img src="file:///etc/passwd"><link rel="stylesheet" href="http://169.254.169.254/">'
    certificate = CertificateFactory(learner=trainee, learner_name=name)
    html = certificate_html(certificate)
    assert '<img src="file:' not in html and "&lt;img src=&quot;file:///etc/passwd&quot;&gt;" in html
    content = certificate_pdf_bytes(certificate)
    assert all(url.startswith("data:") for url in fetched), fetched
    assert "root:" not in pdf_text(content)


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://169.254.169.254/latest/meta-data/",
        "https://example.com/static/css/site.css",
        f"{BASE_URL}etc/passwd",
        f"{BASE_URL}static/../../../../etc/passwd",
        f"{BASE_URL}static/%2e%2e/%2e%2e/settings/base.py",
    ],
)
def test_the_url_fetcher_refuses_anything_but_data_and_our_static_files(url):
    with pytest.raises(ValueError):
        SafeURLFetcher().fetch(url)


def test_the_url_fetcher_serves_our_own_static_files_and_data_uris():
    assert b"Certificates" in SafeURLFetcher().fetch(f"{BASE_URL}static/css/site.css").read()
    assert SafeURLFetcher().fetch("data:text/plain;base64,aGk=").read() == b"hi"


@pytest.mark.parametrize("name", ["W" * 150, "Ann " * 2000])
def test_a_huge_or_unbreakable_name_still_renders_one_page(trainee, name):
    # Unsaved: the column holds 150 characters, but the renderer must not rely on that.
    certificate = CertificateFactory.build(learner=trainee, learner_name=name)
    assert len(PdfReader(BytesIO(certificate_pdf_bytes(certificate))).pages) == 1


def test_a_document_past_the_page_cap_is_refused(trainee, settings):
    settings.CERTIFICATE_MAX_PAGES = 0
    with pytest.raises(RenderError):
        certificate_pdf_bytes(CertificateFactory(learner=trainee))


def test_the_render_task_stores_one_file_and_is_idempotent(trainee):
    certificate = CertificateFactory(learner=trainee)
    assert certificate_render_task.enqueue(certificate_id=certificate.pk).return_value is True
    assert certificate_render_task.enqueue(certificate_id=certificate.pk).return_value is False
    certificate.refresh_from_db()
    assert certificate.pdf.name == f"certificates/{certificate.code}.pdf" and certificate.pdf_rendered_at
    assert certificate.pdf.read().startswith(b"%PDF")


def test_a_losing_concurrent_render_deletes_its_duplicate_file(trainee):
    from django.core.files.storage import default_storage

    from coursesite.certificates.services import certificate_pdf_store

    certificate = CertificateFactory(learner=trainee)
    stale = Certificate.objects.get(pk=certificate.pk)  # a second worker that read it before the first stored
    certificate_pdf_store(certificate=certificate, content=b"%PDF-first")
    certificate_pdf_store(certificate=stale, content=b"%PDF-second")
    stale.refresh_from_db()
    assert stale.pdf.read() == b"%PDF-first"
    _, files = default_storage.listdir("certificates")  # the in-memory storage outlives one test
    assert [name for name in files if name.startswith(certificate.code)] == [f"{certificate.code}.pdf"]


def test_the_pdf_is_tagged_for_accessibility(trainee, course):
    from io import BytesIO

    from pypdf import PdfReader

    from coursesite.certificates.rendering import certificate_pdf_bytes
    from tests.factories import CertificateFactory

    pdf = PdfReader(BytesIO(certificate_pdf_bytes(CertificateFactory(learner=trainee, course=course))))
    catalog = pdf.trailer["/Root"]
    assert catalog["/MarkInfo"]["/Marked"] and "/StructTreeRoot" in catalog
    assert catalog["/Lang"] == "en"
