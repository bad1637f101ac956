from io import BytesIO

import pytest
from django.urls import reverse
from pypdf import PdfReader

from coursesite.certificates.transcript import learner_transcript
from coursesite.progress.services import completion_record
from tests.factories import CertificateFactory, make_course

pytestmark = pytest.mark.django_db


def test_the_transcript_groups_a_learners_completions_by_course_and_lists_every_certificate(
    trainee, other_trainee, django_assert_max_num_queries
):
    first, second = make_course(lessons=3, slug="first"), make_course(lessons=2, slug="second")
    for course in (first, second):
        for step in course.get_children().live():
            completion_record(learner=trainee, step=step, course=course, seconds=600)
    completion_record(learner=other_trainee, step=first.get_children().first(), course=first)
    revoked = CertificateFactory(learner=trainee, course=first, status="revoked", revoked_reason="Issued in error.")
    current = CertificateFactory(learner=trainee, course=second)
    CertificateFactory(learner=other_trainee, course=first)

    with django_assert_max_num_queries(2):
        courses, certificates = learner_transcript(learner=trainee)
    assert [entry.course.pk for entry in courses] == [first.pk, second.pk]
    assert [len(entry.completions) for entry in courses] == [3, 2]
    assert str(courses[0].hours) == "0.5"  # 3 × 10 minutes
    assert {c.pk for c in certificates} == {revoked.pk, current.pk}, "another trainee's never appears"


def test_a_trainee_downloads_their_own_transcript_as_a_tagged_pdf(client, trainee, other_trainee):
    course = make_course(lessons=2, slug="transcript-course")
    completion_record(learner=trainee, step=course.get_children().first(), course=course)
    CertificateFactory(learner=other_trainee, course=course, learner_name="Someone Else")
    client.force_login(trainee)
    response = client.get(reverse("my_transcript"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="training-transcript-')
    catalog = PdfReader(BytesIO(response.content)).trailer["/Root"]
    assert catalog["/MarkInfo"]["/Marked"] and "/StructTreeRoot" in catalog and catalog["/Lang"] == "en"
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(response.content)).pages)
    assert "Training transcript" in text and course.title in text and "Someone Else" not in text


def test_the_transcript_escapes_what_the_learner_controls(client, trainee):
    from django.template.loader import render_to_string

    trainee.display_name = '<img src="file:///etc/passwd">'
    html = render_to_string("certificates/transcript_pdf.html", {"learner": trainee, "courses": [], "certificates": []})
    assert "<img" not in html and "&lt;img" in html


def test_my_certificates_links_to_the_transcript(client, trainee):
    client.force_login(trainee)
    assert reverse("my_transcript").encode() in client.get(reverse("my_certificates")).content
