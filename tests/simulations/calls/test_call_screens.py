"""The call screens, as each role sees them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from simulations.call_services import call_session_choose
from simulations.calls import ideal_path
from simulations.calls_registry import call_definition
from simulations.models import CallSession, CallStep
from simulations.solutions import call_work_ideal
from tests.factories import make_call_page, make_course


@pytest.fixture
def as_trainee(client, trainee):
    client.force_login(trainee)
    return client


def test_the_step_page_explains_the_call_and_post_starts_a_session(as_trainee, call_page, trainee):
    response = as_trainee.get(call_page.url)
    assert response.status_code == 200
    assert b"Pass mark: 80%" in response.content and b"Take the call" in response.content
    response = as_trainee.post(call_page.url)
    session = CallSession.objects.get(learner=trainee, page=call_page)
    assert response.status_code == 302 and response["Location"] == reverse("call_session", args=[session.pk])
    as_trainee.post(call_page.url)  # a second start resumes
    assert CallSession.objects.filter(learner=trainee).count() == 1
    assert b"Continue your call" in as_trainee.get(call_page.url).content


def test_a_locked_step_cannot_be_started(as_trainee, trainee):
    course = make_course(lessons=1, slug="locked-call", sequential=True)
    page = make_call_page(course, slug="later-call")
    assert as_trainee.post(page.url).status_code == 403
    assert not CallSession.objects.filter(learner=trainee).exists()


def test_the_call_screen_shows_the_caller_and_the_choices_as_a_labelled_radio_group(as_trainee, session):
    response = as_trainee.get(reverse("call_session", args=[session.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    definition = call_definition("t1-angry-bill")
    patient = definition.values(session.variant)["patient"]
    assert f"This is {patient}" in html
    assert "<fieldset" in html and "<legend>What do you say?</legend>" in html
    for choice_id in ("empathise", "neutral", "blame"):
        assert f'id="choice-{choice_id}"' in html and f'<label for="choice-{choice_id}">' in html
    assert 'name="step" value="1"' in html


def test_answering_moves_the_call_on_and_shows_the_line_in_the_transcript(as_trainee, session):
    url = reverse("call_session", args=[session.pk])
    response = as_trainee.post(url, {"step": 1, "choice": "empathise"})
    assert response.status_code == 302
    html = as_trainee.get(url).content.decode()
    assert "I&#x27;m sorry this bill came as a surprise" in html
    assert 'name="step" value="2"' in html and 'id="choice-two-identifiers"' in html


def test_an_illegal_answer_is_refused_with_a_message(as_trainee, session):
    response = as_trainee.post(reverse("call_session", args=[session.pk]), {"step": 1, "choice": "nonsense"})
    assert response.status_code == 400
    assert b"Choose one of the answers offered." in response.content
    assert not CallStep.objects.exists()


def test_a_resent_form_records_nothing_and_says_so(as_trainee, session):
    url = reverse("call_session", args=[session.pk])
    as_trainee.post(url, {"step": 1, "choice": "empathise"})
    response = as_trainee.post(url, {"step": 1, "choice": "blame"}, follow=True)
    assert response.status_code == 200 and b"answered already" in response.content
    assert list(CallStep.objects.values_list("choice_id", flat=True)) == ["empathise"]


def test_the_note_step_shows_a_labelled_text_box(as_trainee, session):
    choices, _ = ideal_path(call_definition("t1-angry-bill"), session.variant)
    for number, choice in enumerate(choices, start=1):
        session = call_session_choose(session=session, step=number, choice_id=choice)
    html = as_trainee.get(reverse("call_session", args=[session.pk])).content.decode()
    assert '<label for="call-note">Write the account note' in html and '<textarea id="call-note"' in html
    assert "<fieldset" not in html


def test_the_last_answer_scores_the_call_and_shows_the_result(as_trainee, session, trainee):
    url = reverse("call_session", args=[session.pk])
    definition = call_definition("t1-angry-bill")
    path = ["empathise", "name-only", "deductible", "payment-plan", "thank"]
    for number, choice in enumerate(path, start=1):
        as_trainee.post(url, {"step": number, "choice": choice})
    _, notes = ideal_path(definition, session.variant)
    response = as_trainee.post(url, {"step": 6, "note": notes["document"]})
    assert response.status_code == 302 and response["Location"] == reverse("call_result", args=[session.pk])
    session.refresh_from_db()
    assert session.submitted_at is not None
    html = as_trainee.get(response["Location"]).content.decode()
    assert "Score by axis" in html and '<th scope="row">Compliance</th>' in html
    assert '<progress max="100"' in html and "%</span>" in html  # the number is written, not only drawn
    assert "Better answers" in html
    assert "To protect your privacy, could you confirm your date of birth" in html  # the better answer
    assert "A name alone is not verification" in html
    assert "Not passed" in html
    # The finished call now opens on its result, and the call screen sends there too.
    assert as_trainee.get(url)["Location"] == reverse("call_result", args=[session.pk])


def test_a_critical_error_is_named_on_the_result(as_trainee, session):
    session = call_session_choose(session=session, step=1, choice_id="blame")
    definition = call_definition("t1-angry-bill")
    choices, notes = ideal_path(definition, session.variant)
    for number, choice in enumerate(choices[1:], start=2):
        session = call_session_choose(session=session, step=number, choice_id=choice)
    session = call_session_choose(session=session, step=len(choices) + 1, note=notes["document"])
    from simulations.call_services import call_session_finish

    call_session_finish(session=session)
    html = as_trainee.get(reverse("call_result", args=[session.pk])).content.decode()
    assert "Critical:" in html and "Blaming the caller" in html


def test_another_trainees_session_is_not_found(client, other_trainee, session):
    client.force_login(other_trainee)
    for name in ("call_session", "call_result"):
        assert client.get(reverse(name, args=[session.pk])).status_code == 404
    assert client.post(reverse("call_session", args=[session.pk]), {"step": 1, "choice": "blame"}).status_code == 404
    assert not CallStep.objects.exists()


def test_the_cohorts_supervisor_reads_the_transcript_and_result(client, supervisor, other_supervisor, session, trainee):
    session = call_work_ideal(session)
    url = reverse("call_transcript", args=[session.pk])
    client.force_login(supervisor)
    html = client.get(url).content.decode()
    assert "Trainee:" in html and "Score by axis" in html and "Trainee note:" in html
    client.force_login(other_supervisor)
    assert client.get(url).status_code == 404


def test_the_supervisor_reads_a_call_in_progress(client, supervisor, session):
    session = call_session_choose(session=session, step=1, choice_id="empathise")
    client.force_login(supervisor)
    html = client.get(reverse("call_transcript", args=[session.pk])).content.decode()
    assert "The call so far" in html and "I&#x27;m sorry this bill came as a surprise" in html


def _queries(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_call_screen_takes_a_fixed_number_of_queries_however_long_the_call(as_trainee, session):
    url = reverse("call_session", args=[session.pk])
    at_start = _queries(as_trainee, url)
    for number, choice in enumerate(["empathise", "two-identifiers", "deductible", "payment-plan"], start=1):
        session = call_session_choose(session=session, step=number, choice_id=choice)
    assert _queries(as_trainee, url) == at_start
    assert at_start <= 6


def test_the_result_names_an_axis_below_its_minimum_in_words(client, trainee, call_course):
    from simulations.call_services import call_session_finish, call_session_start

    page = make_call_page(call_course, slug="strict-screen", pass_mark=50, axis_minimums={"service": 100})
    session = call_session_start(learner=trainee, page=page)
    definition = call_definition("t1-angry-bill")
    choices, notes = ideal_path(definition, session.variant)
    choices[-1] = "abrupt"  # a poor closing line costs service points
    for number, choice in enumerate(choices, start=1):
        session = call_session_choose(session=session, step=number, choice_id=choice)
    session = call_session_choose(session=session, step=len(choices) + 1, note=notes["document"])
    call_session_finish(session=session)
    client.force_login(trainee)
    html = client.get(reverse("call_result", args=[session.pk])).content.decode()
    assert "Below minimum" in html and "Not passed" in html
