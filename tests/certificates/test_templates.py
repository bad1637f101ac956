"""Editors word and design certificates with a CertificateTemplate snippet, and preview a sample."""

from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from pypdf import PdfReader

from coursesite.certificates.fetcher import BASE_URL, SafeURLFetcher
from coursesite.certificates.models import Certificate, CertificateTemplate
from coursesite.certificates.rendering import certificate_html, certificate_pdf_bytes
from coursesite.certificates.selectors import certificate_template_for
from coursesite.certificates.services import certificate_issue
from coursesite.progress.services import completion_record
from tests.factories import CertificateFactory, make_course, make_image

pytestmark = pytest.mark.django_db


def default_template() -> CertificateTemplate:
    return CertificateTemplate.objects.get(course__isnull=True)


def complete(learner, course):
    for step in course.get_children().live():
        completion_record(learner=learner, step=step, course=course)


def form_data(template: CertificateTemplate, **changes) -> dict:
    data = {
        "name": template.name,
        "course": template.course_id or "",
        "heading": template.heading,
        "intro": template.intro,
        "body": template.body,
        "issuer": template.issuer,
        "signatory_name": template.signatory_name,
        "signatory_title": template.signatory_title,
        "signature": template.signature_id or "",
        "logo": template.logo_id or "",
        "primary_colour": template.primary_colour,
        "accent_colour": template.accent_colour,
        "paper": template.paper,
    }
    return {**data, **changes}


def test_a_default_template_is_installed_with_the_issuer_from_settings(settings):
    template = default_template()
    assert template.issuer == settings.CERTIFICATE_ISSUER and template.paper == "a4-landscape"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("primary_colour", "#ffff00", "contrast of 1.07:1"),
        ("primary_colour", "#b38b2d", "text needs at least 4.5:1"),
        ("accent_colour", "#dddddd", "a line or frame needs at least 3:1"),
        ("primary_colour", "red", "six hexadecimal digits"),
        ("accent_colour", "#12345", "six hexadecimal digits"),
    ],
)
def test_colours_must_be_hex_and_legible_on_white(field, value, message):
    template = default_template()
    setattr(template, field, value)
    with pytest.raises(ValidationError) as error:
        template.full_clean()
    assert message in str(error.value.message_dict[field])


def test_a_certificate_copies_issuer_and_signatory_from_its_course_template_and_keeps_them(trainee, course):
    CertificateTemplate.objects.create(
        name="Course", course=course, issuer="Northside Clinic", signatory_name="Dana Ng", signatory_title="CEO"
    )
    complete(trainee, course)
    certificate = certificate_issue(learner=trainee, course=course)
    assert (certificate.issuer, certificate.signatory_name, certificate.signatory_title) == (
        "Northside Clinic",
        "Dana Ng",
        "CEO",
    )
    CertificateTemplate.objects.filter(course=course).update(
        issuer="Renamed Clinic", signatory_name="Someone Else", heading="Certificate of Training"
    )
    certificate = Certificate.objects.get(pk=certificate.pk)
    assert certificate.issuer == "Northside Clinic" and certificate.signatory_name == "Dana Ng"
    html = certificate_html(certificate)
    # What the certificate says stays; how it looks follows the template as it is now.
    assert "Northside Clinic" in html and "Renamed Clinic" not in html and "Certificate of Training" in html


def test_a_course_without_its_own_template_uses_the_default(trainee, course):
    template = default_template()
    template.issuer, template.signatory_name = "Academy Default", "Pat Default"
    template.save()
    other = make_course(slug="with-own")
    CertificateTemplate.objects.create(name="Other", course=other, issuer="Other Issuer")
    assert certificate_template_for(course.pk).pk == template.pk
    assert certificate_template_for(other.pk).issuer == "Other Issuer"
    complete(trainee, course)
    assert certificate_issue(learner=trainee, course=course).issuer == "Academy Default"


def test_the_pdf_follows_the_paper_size_and_embeds_logo_and_signature_from_wagtail_images(trainee, monkeypatch):
    fetched: list[str] = []
    original = SafeURLFetcher.fetch

    def spy(self, url, headers=None):
        fetched.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(SafeURLFetcher, "fetch", spy)
    template = default_template()
    template.paper = "letter-portrait"
    template.logo = make_image(title="Logo")
    template.signature = make_image(title="Signature", colour="#000000")
    template.signatory_name = "Dana Ng"
    template.save()
    certificate = CertificateFactory(learner=trainee, signatory_name="Dana Ng")
    reader = PdfReader(BytesIO(certificate_pdf_bytes(certificate)))
    box = reader.pages[0].mediabox
    assert len(reader.pages) == 1 and (round(float(box.width)), round(float(box.height))) == (612, 792)
    media = [url for url in fetched if url.startswith(f"{BASE_URL}media/")]
    assert len(media) == 2, fetched  # both images came from our storage through the safe fetcher
    assert len(reader.pages[0].images) >= 2


def test_the_signature_image_is_left_out_when_the_template_names_another_signatory(trainee):
    template = default_template()
    template.signature, template.signatory_name = make_image(title="Signature"), "New Director"
    template.save()
    certificate = CertificateFactory(learner=trainee, signatory_name="Former Director")
    html = certificate_html(certificate)
    assert "Signature of" not in html and "Former Director" in html


@pytest.mark.parametrize(
    "url",
    [
        "https://images.example.com/media/original_images/logo.png",
        "http://certificate.invalid/media/original_images/logo.png",
        "file:///srv/media/original_images/logo.png",
        f"{BASE_URL}media/../../coursesite/settings/base.py",
        f"{BASE_URL}media/original_images/missing.png",
    ],
)
def test_the_fetcher_refuses_images_from_other_hosts_files_or_outside_our_media(url):
    with pytest.raises(ValueError):
        SafeURLFetcher().fetch(url)


def test_the_fetcher_serves_images_from_our_media_storage_but_not_other_file_types():
    image = make_image(title="Served")
    body = SafeURLFetcher().fetch(f"{BASE_URL}media/{image.file.name}").read()
    assert body.startswith(b"\x89PNG")
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    name = default_storage.save("exports/secret.csv", ContentFile(b"a,b"))
    with pytest.raises(ValueError):
        SafeURLFetcher().fetch(f"{BASE_URL}media/{name}")


# ---- the editor's path --------------------------------------------------------------------------


def test_an_editor_edits_the_default_template_in_the_admin(client, editor):
    template = default_template()
    client.force_login(editor)
    url = reverse("wagtailsnippets_certificates_certificatetemplate:edit", args=[template.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, form_data(template, heading="Certificate of Training", paper="a4-portrait"))
    assert response.status_code == 302, response.content.decode()[:3000]
    template.refresh_from_db()
    assert template.heading == "Certificate of Training" and template.paper == "a4-portrait"


def test_an_illegible_colour_or_a_second_default_is_refused_in_the_admin(client, editor):
    template = default_template()
    client.force_login(editor)
    url = reverse("wagtailsnippets_certificates_certificatetemplate:edit", args=[template.pk])
    response = client.post(url, form_data(template, primary_colour="#eeeeee"))
    assert response.status_code == 200 and "against the white page" in response.content.decode()
    add = reverse("wagtailsnippets_certificates_certificatetemplate:add")
    response = client.post(add, form_data(template, name="Second default"))
    assert response.status_code == 200 and CertificateTemplate.objects.count() == 1
    template.refresh_from_db()
    assert template.primary_colour == "#0b5c75"


def test_the_editor_previews_a_sample_certificate_as_a_page_and_as_a_pdf(client, editor):
    template = default_template()
    client.force_login(editor)
    url = reverse("wagtailsnippets_certificates_certificatetemplate:preview_on_edit", args=[template.pk])
    response = client.post(url, form_data(template, heading="Unsaved Heading", logo=make_image().pk))
    assert response.status_code == 200 and response.json()["is_valid"]
    page = client.get(url)
    body = page.content.decode()
    assert page.status_code == 200 and "Unsaved Heading" in body and "Alex Sample-Learner" in body
    assert 'alt="Front Desk Academy logo"' in body
    pdf = client.get(url, {"mode": "pdf"})
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert (
        pdf.content.startswith(b"%PDF") and "Unsaved Heading" in PdfReader(BytesIO(pdf.content)).pages[0].extract_text()
    )
    template.refresh_from_db()
    assert template.heading == "Certificate of Completion"  # previewing saves nothing


@pytest.mark.parametrize("who", ["supervisor", "trainee"])
def test_non_editors_can_neither_edit_nor_preview_templates(client, request, who):
    template = default_template()
    client.force_login(request.getfixturevalue(who))
    edit = reverse("wagtailsnippets_certificates_certificatetemplate:edit", args=[template.pk])
    preview = reverse("wagtailsnippets_certificates_certificatetemplate:preview_on_edit", args=[template.pk])
    assert client.get(edit).status_code in (302, 403)
    assert client.post(edit, form_data(template, heading="Hacked")).status_code in (302, 403)
    assert client.get(preview).status_code in (302, 403)
    template.refresh_from_db()
    assert template.heading == "Certificate of Completion"
