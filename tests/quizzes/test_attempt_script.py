"""The attempt page's script hooks: CSP-safe (no inline script), and the autosave it makes is honoured."""

import re
from datetime import datetime

import pytest
from django.contrib.staticfiles import finders

from quizzes.models import Attempt
from quizzes.services import attempt_start

pytestmark = pytest.mark.django_db


def open_attempt(client, quiz) -> tuple[Attempt, str]:
    client.post(quiz.url + "start/")
    attempt = Attempt.objects.latest("pk")
    return attempt, client.get(quiz.url + f"attempt/{attempt.pk}/").content.decode()


def test_attempt_page_loads_the_script_from_a_file_and_has_no_inline_script(client, trainee, quiz):
    client.force_login(trainee)
    attempt, html = open_attempt(client, quiz)
    assert re.search(r'<script src="[^"]*quizzes/attempt(\.[0-9a-f]+)?\.js" defer></script>', html)
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline scripts break the CSP"
    assert f'data-autosave="{quiz.url}attempt/{attempt.pk}/save/"' in html
    assert 'role="status" aria-live="polite"' in html
    assert "data-deadline" not in html and "data-timer" not in html  # untimed quiz: no countdown
    assert finders.find("quizzes/attempt.js") and finders.find("quizzes/attempt.css")


def test_a_timed_attempt_gives_the_script_the_server_deadline(client, trainee, quiz):
    quiz.time_limit_minutes = 15
    quiz.save()
    client.force_login(trainee)
    attempt, html = open_attempt(client, quiz)
    deadline = re.search(r'data-deadline="([^"]+)"', html).group(1)
    assert datetime.fromisoformat(deadline) == attempt.deadline and "data-now=" in html
    assert "data-timer hidden" in html  # shown by the script only; the deadline text is always there


def test_background_autosave_of_the_form_gets_a_json_answer(client, trainee, quiz):
    client.force_login(trainee)
    attempt, _html = open_attempt(client, quiz)
    response = client.post(
        quiz.url + f"attempt/{attempt.pk}/save/", {"q3": "true", "flag2": "on"}, HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 200 and response.json() == {"saved": True}
    assert attempt.responses.get(position=3).answer == "true" and attempt.responses.get(position=2).flagged
    response = client.post(quiz.url + f"attempt/{attempt.pk}/save/", {"q1": "o9"}, HTTP_ACCEPT="application/json")
    assert response.status_code == 400 and "Question 1" in response.json()["error"]


def test_a_multipart_save_is_read_like_the_form(trainee, quiz):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)  # the CSRF check reads POST first, as in production
    client.force_login(trainee)
    attempt = attempt_start(quiz=quiz, learner=trainee)
    client.get(quiz.url + f"attempt/{attempt.pk}/")
    token = client.cookies["csrftoken"].value
    # The test client posts multipart by default, as a browser's FormData does.
    response = client.post(
        quiz.url + f"attempt/{attempt.pk}/save/",
        {"q3": "false", "csrfmiddlewaretoken": token},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 200, response.content
    assert attempt.responses.get(position=3).answer == "false"
