"""Taking a quiz through the browser: start, autosave, submit, results, and the rules around them."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from coursesite.progress.models import Completion
from quizzes.models import Attempt, Response
from quizzes.services import attempt_start
from tests.factories import QuestionFactory, make_course, make_quiz

pytestmark = pytest.mark.django_db


def start(client, quiz) -> Attempt:
    response = client.post(quiz.url + "start/")
    assert response.status_code == 302, response
    return Attempt.objects.latest("pk")


def test_a_trainee_takes_a_quiz_from_start_to_results(client, trainee, quiz, quiz_course, right_form):
    client.force_login(trainee)
    intro = client.get(quiz.url).content.decode()
    assert "Pass mark: 80%" in intro and "Start the quiz" in intro
    attempt = start(client, quiz)
    page = client.get(quiz.url + f"attempt/{attempt.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count("<fieldset") == 7 and html.count("<legend>") == 7

    response = client.post(quiz.url + f"attempt/{attempt.pk}/submit/", right_form(attempt))
    assert response.status_code == 302 and response["Location"].endswith(f"attempt/{attempt.pk}/results/")
    attempt.refresh_from_db()
    assert attempt.score == 100 and attempt.passed
    results = client.get(response["Location"]).content.decode()
    assert "100%" in results and "Passed" in results and "SECRET-GENERAL-FEEDBACK" in results

    completion = Completion.objects.get(learner=trainee, step=quiz)
    assert completion.passed and completion.score == 100 and completion.course_id == quiz_course.pk
    outline = client.get(quiz_course.url).content.decode()
    assert "badge--passed" in outline and "score 100%" in outline


def test_the_attempt_page_holds_no_right_answers_or_feedback(client, trainee, quiz):
    client.force_login(trainee)
    attempt = start(client, quiz)
    html = client.get(quiz.url + f"attempt/{attempt.pk}/").content.decode()
    for secret in (
        "SECRET-GENERAL-FEEDBACK",
        "SECRET-RIGHT-FEEDBACK",
        "SECRET-WRONG-FEEDBACK",
        "correct",
        "35.00",
        "CO-45",
    ):
        assert secret not in html, secret


def test_score_only_review_shows_no_answers_after_submitting(client, trainee, quiz_course, questions, right_form):
    quiz = make_quiz(quiz_course, questions=questions, slug="score-only", review="score")
    client.force_login(trainee)
    attempt = start(client, quiz)
    client.post(quiz.url + f"attempt/{attempt.pk}/submit/", right_form(attempt))
    html = client.get(quiz.url + f"attempt/{attempt.pk}/results/").content.decode()
    assert "100%" in html and "SECRET-GENERAL-FEEDBACK" not in html and "SECRET-RIGHT-FEEDBACK" not in html


def test_autosave_keeps_answers_and_flags_without_grading(client, trainee, quiz):
    client.force_login(trainee)
    attempt = start(client, quiz)
    response = client.post(quiz.url + f"attempt/{attempt.pk}/save/", {"q1": "o1", "q4": "12.5", "flag4": "on"})
    assert response.status_code == 302
    saved = {r.position: r for r in attempt.responses.all()}
    assert saved[1].answer == "o1" and saved[4].answer == "12.5" and saved[4].flagged and saved[1].fraction is None
    html = client.get(quiz.url + f"attempt/{attempt.pk}/").content.decode()
    assert 'value="o1" checked' in html and 'value="12.5"' in html

    response = client.post(
        quiz.url + f"attempt/{attempt.pk}/save/", {"answers": {"5": "CO 45"}}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json() == {"saved": True}
    assert attempt.responses.get(position=5).answer == "CO 45"
    attempt.refresh_from_db()
    assert attempt.submitted_at is None


def test_a_second_submit_returns_the_graded_attempt_without_grading_again(client, trainee, quiz, right_form):
    client.force_login(trainee)
    attempt = start(client, quiz)
    client.post(quiz.url + f"attempt/{attempt.pk}/submit/", right_form(attempt))
    first = Attempt.objects.get(pk=attempt.pk)
    response = client.post(quiz.url + f"attempt/{attempt.pk}/submit/", {"q1": "o1"})
    assert response.status_code == 302
    again = Attempt.objects.get(pk=attempt.pk)
    assert (again.score, again.submitted_at) == (first.score, first.submitted_at)
    assert attempt.responses.get(position=1).answer == "o0"
    assert Completion.objects.get(learner=trainee, step=quiz).attempts == 1
    assert client.post(quiz.url + f"attempt/{attempt.pk}/save/", {"q1": "o1"}).status_code == 400


def test_the_attempts_limit_is_enforced(client, trainee, quiz_course, questions):
    quiz = make_quiz(quiz_course, questions=questions, slug="twice", attempts_allowed=2)
    client.force_login(trainee)
    for _ in range(2):
        attempt = start(client, quiz)
        # Starting again while an attempt is open resumes it rather than spending another.
        assert start(client, quiz).pk == attempt.pk
        client.post(quiz.url + f"attempt/{attempt.pk}/submit/", {})
    assert client.post(quiz.url + "start/").status_code == 403
    assert Attempt.objects.filter(learner=trainee, quiz=quiz).count() == 2
    assert "used all your attempts" in client.get(quiz.url).content.decode()


def test_after_the_time_limit_only_answers_saved_in_time_are_graded(client, trainee, quiz_course, questions):
    quiz = make_quiz(quiz_course, questions=questions, slug="timed", time_limit_minutes=10)
    client.force_login(trainee)
    attempt = start(client, quiz)
    assert attempt.deadline is not None
    client.post(quiz.url + f"attempt/{attempt.pk}/save/", {"q1": "o0"})
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(seconds=31))
    assert client.post(quiz.url + f"attempt/{attempt.pk}/save/", {"q3": "false"}).status_code == 400
    client.post(quiz.url + f"attempt/{attempt.pk}/submit/", {"q1": "o0", "q3": "false", "q4": "35"})
    attempt.refresh_from_db()
    graded = {r.position: r.fraction for r in attempt.responses.all()}
    assert graded[1] == 1 and graded[3] == 0 and graded[4] == 0
    assert attempt.score == Decimal("14.29")  # 1 of 7 questions


def test_a_submit_within_the_grace_period_still_counts(client, trainee, quiz_course, questions):
    quiz = make_quiz(quiz_course, questions=questions, slug="grace", time_limit_minutes=10)
    client.force_login(trainee)
    attempt = start(client, quiz)
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(seconds=10))
    client.post(quiz.url + f"attempt/{attempt.pk}/submit/", {"q1": "o0"})
    assert Response.objects.get(attempt=attempt, position=1).fraction == 1


def test_an_expired_open_attempt_is_graded_when_the_next_one_starts(trainee, quiz_course, questions):
    quiz = make_quiz(quiz_course, questions=questions, slug="expired", time_limit_minutes=5)
    first = attempt_start(quiz=quiz, learner=trainee)
    Attempt.objects.filter(pk=first.pk).update(deadline=timezone.now() - timedelta(minutes=1))
    second = attempt_start(quiz=quiz, learner=trainee)
    first.refresh_from_db()
    assert second.number == 2 and first.submitted_at is not None and first.score == 0


@pytest.mark.parametrize("suffix", ["", "save/", "submit/", "results/"])
def test_another_trainees_attempt_is_not_found(client, trainee, other_trainee, quiz, suffix):
    attempt = attempt_start(quiz=quiz, learner=trainee)
    client.force_login(other_trainee)
    method = client.post if suffix in ("save/", "submit/") else client.get
    assert method(quiz.url + f"attempt/{attempt.pk}/{suffix}").status_code == 404


def test_an_anonymous_visitor_is_sent_to_log_in(client, quiz):
    response = client.get(quiz.url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"q1": "o9"}, "option this question does not have"),
        ({"q2": ["o0", "o99"]}, "option this question does not have"),
        ({"q4": "thirty-five"}, "is not a number"),
        ({"q6-0": "c9"}, "item this question does not have"),
        ({"q6-0": "i0"}, "item this question does not have"),  # a stored id is not accepted from the form
        ({"q5": "x" * 500}, "at most 200 characters"),
    ],
)
@pytest.mark.parametrize("action", ["save/", "submit/"])
def test_tampered_or_malformed_answers_are_refused_and_change_nothing(client, trainee, quiz, form, message, action):
    client.force_login(trainee)
    attempt = start(client, quiz)
    client.post(quiz.url + f"attempt/{attempt.pk}/save/", {"q3": "true"})
    response = client.post(quiz.url + f"attempt/{attempt.pk}/{action}", {**form, "q3": "false"})
    assert response.status_code == 400 and message in response.content.decode()
    attempt.refresh_from_db()
    assert attempt.submitted_at is None and attempt.responses.get(position=3).answer == "true"
    assert not Completion.objects.filter(learner=trainee).exists()


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"answers": {"99": "o0"}}, "not part of this attempt"),
        ({"answers": {"one": "o0"}}, "could not be read"),
        ({"answers": {"1": "o0"}, "padding": "x" * 70_000}, "Too much data"),
    ],
)
def test_autosave_json_is_validated(client, trainee, quiz, payload, message):
    client.force_login(trainee)
    attempt = start(client, quiz)
    response = client.post(quiz.url + f"attempt/{attempt.pk}/save/", payload, content_type="application/json")
    assert response.status_code == 400 and message in response.json()["error"]
    assert not attempt.responses.filter(answer__isnull=False).exists()


def test_editing_a_question_keeps_the_version_old_attempts_were_graded_on(client, trainee, quiz, questions, right_form):
    client.force_login(trainee)
    attempt = start(client, quiz)
    client.post(quiz.url + f"attempt/{attempt.pk}/submit/", right_form(attempt))
    single = questions[0]
    single.refresh_from_db()
    old_version = single.current_version
    single.text = "A reworded question?"
    single.data = {"options": [{"text": "New right", "correct": True}, {"text": "New wrong", "correct": False}]}
    single.save()
    second = start(client, quiz)
    new_version = second.responses.get(position=1).question_version
    assert new_version.pk != old_version.pk and new_version.number == old_version.number + 1
    assert attempt.responses.get(position=1).question_version_id == old_version.pk
    assert "Ask for two identifiers" in client.get(quiz.url + f"attempt/{attempt.pk}/results/").content.decode()


def test_draws_prefer_questions_the_learner_has_not_seen(trainee, quiz_course):
    pool = [QuestionFactory(topic="empathy") for _ in range(4)]
    QuestionFactory(topic="empathy", course_slug="another-course")
    quiz = make_quiz(quiz_course, questions=[], slug="drawn", draws=[{"topics": ["empathy"], "count": 2}])
    first = attempt_start(quiz=quiz, learner=trainee)
    Attempt.objects.filter(pk=first.pk).update(submitted_at=timezone.now(), score=0, passed=False)
    second = attempt_start(quiz=quiz, learner=trainee)

    def keys(attempt):
        return {r.question_version.question.key for r in attempt.responses.select_related("question_version__question")}

    assert len(keys(first)) == 2 and len(keys(second)) == 2
    assert keys(first).isdisjoint(keys(second))
    assert keys(first) | keys(second) == {q.key for q in pool}


def test_the_shuffle_is_reproducible_from_the_attempt_seed(trainee, quiz_course):
    questions = [QuestionFactory(type="multiple") for _ in range(8)]
    quiz = make_quiz(quiz_course, questions=questions, slug="shuffled", shuffle_questions=True, shuffle_options=True)
    attempt = attempt_start(quiz=quiz, learner=trainee)
    layout = attempt.layout
    assert sorted(entry["version"] for entry in layout) == sorted(
        r.question_version_id for r in attempt.responses.all()
    )
    assert all(sorted(entry["order"]) == ["o0", "o1", "o2"] for entry in layout)
    # Same seed, same paper: rebuilding the attempt from scratch gives the same layout.
    attempt.delete()
    assert attempt_start(quiz=quiz, learner=trainee).layout == layout


def _render_and_submit_queries(client, learner, quiz) -> tuple[int, int]:
    client.force_login(learner)
    attempt = start(client, quiz)
    form = {f"q{n}": "o0" for n in range(1, len(attempt.layout) + 1)}
    with CaptureQueriesContext(connection) as rendering:
        assert client.get(quiz.url + f"attempt/{attempt.pk}/").status_code == 200
    with CaptureQueriesContext(connection) as submitting:
        assert client.post(quiz.url + f"attempt/{attempt.pk}/submit/", form).status_code == 302
    return len(rendering), len(submitting)


def test_rendering_and_submitting_take_the_same_queries_for_5_or_50_questions(client, trainee, other_trainee):
    quiz_course = make_course(lessons=0, slug="any-order", sequential=False)
    small = make_quiz(quiz_course, questions=[QuestionFactory() for _ in range(5)], slug="small", attempts_allowed=0)
    large = make_quiz(quiz_course, questions=[QuestionFactory() for _ in range(50)], slug="large", attempts_allowed=0)
    assert _render_and_submit_queries(client, trainee, small) == _render_and_submit_queries(
        client, other_trainee, large
    )
    assert Attempt.objects.get(quiz=large).score == 100


def test_opening_an_attempt_after_its_time_ran_out_grades_what_was_saved(client, trainee, quiz_course, questions):
    quiz = make_quiz(quiz_course, questions=questions, slug="late", time_limit_minutes=5, attempts_allowed=1)
    client.force_login(trainee)
    attempt = start(client, quiz)
    client.post(quiz.url + f"attempt/{attempt.pk}/save/", {"q1": "o0"})
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(minutes=1))
    response = client.get(quiz.url + f"attempt/{attempt.pk}/")
    assert response.status_code == 302 and response["Location"].endswith("results/")
    attempt.refresh_from_db()
    assert attempt.submitted_at is not None and attempt.score == Decimal("14.29")


def test_starting_when_the_last_attempt_timed_out_shows_its_results(client, trainee, quiz_course, questions):
    quiz = make_quiz(quiz_course, questions=questions, slug="last-one", time_limit_minutes=5, attempts_allowed=1)
    attempt = attempt_start(quiz=quiz, learner=trainee)
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(minutes=1))
    client.force_login(trainee)
    response = client.post(quiz.url + "start/", follow=True)
    assert response.redirect_chain[-1][0].endswith(f"attempt/{attempt.pk}/results/")
    assert Attempt.objects.get(pk=attempt.pk).submitted_at is not None
    assert Attempt.objects.filter(learner=trainee, quiz=quiz).count() == 1


def test_saved_ordering_and_matching_answers_come_back_selected(client, trainee, quiz, right_form):
    client.force_login(trainee)
    attempt = start(client, quiz)
    form = {name: value for name, value in right_form(attempt).items() if name.startswith(("q6-", "q7-"))}
    client.post(quiz.url + f"attempt/{attempt.pk}/save/", form)
    assert attempt.responses.get(position=6).answer == ["i0", "i1", "i2"]
    html = client.get(quiz.url + f"attempt/{attempt.pk}/").content.decode()
    assert f'<option value="{form["q6-0"]}" selected>Greet</option>' in html
    assert f'<option value="{form["q7-1"]}" selected>Contract</option>' in html
