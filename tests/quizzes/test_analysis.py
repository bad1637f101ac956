"""Item analysis: statistics on a hand-computed example, flags, scoping and query count."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from quizzes.analysis import correlation, item_statistics, quiz_item_analysis
from quizzes.services import attempt_start, attempt_submit
from tests.factories import MembershipFactory, QuestionFactory, UserFactory, make_course, make_quiz

# Four attempts at three questions (versions 1, 2, 3): (attempt, version, fraction).
EXAMPLE = [
    (1, 1, 1.0), (1, 2, 1.0), (1, 3, 0.0),
    (2, 1, 1.0), (2, 2, 0.0), (2, 3, 1.0),
    (3, 1, 0.0), (3, 2, 0.0), (3, 3, 1.0),
    (4, 1, 1.0), (4, 2, 1.0), (4, 3, 1.0),
]  # fmt: skip


def by_version(stats):
    return {item.version_id: item for item in stats}


def test_statistics_match_the_hand_computed_example():
    stats = by_version(item_statistics(EXAMPLE))
    # Question 1: fractions 1,1,0,1; rest of each attempt 0.5,0.5,0.5,1 → facility .75,
    # r = 0.125 / sqrt(0.75 × 0.1875) = 1/3.
    assert stats[1].responses == 4 and stats[1].facility == 0.75 and stats[1].right_share == 0.75
    assert stats[1].discrimination == pytest.approx(1 / 3)
    # Question 2: fractions 1,0,0,1; rest 0.5,1,0.5,1 → cov 0, so r = 0.
    assert stats[2].facility == 0.5 and stats[2].discrimination == pytest.approx(0.0)
    # Question 3: fractions 0,1,1,1; rest 1,0.5,0,1 → r = -0.375 / sqrt(0.75 × 0.6875) ≈ -0.5222.
    assert stats[3].discrimination == pytest.approx(-0.375 / (0.75 * 0.6875) ** 0.5)


def test_partial_credit_counts_in_facility_but_not_in_fully_right():
    stats = by_version(item_statistics([(1, 1, 0.5), (1, 2, 1.0), (2, 1, 1.0), (2, 2, 0.0)]))
    assert stats[1].facility == 0.75 and stats[1].right_share == 0.5


def test_correlation_is_undefined_without_spread():
    assert correlation([1.0, 1.0, 1.0], [0.2, 0.5, 0.9]) is None
    assert correlation([1.0], [1.0]) is None


def test_flags_need_enough_responses():
    stats = by_version(item_statistics(EXAMPLE, min_responses=4))
    assert stats[1].problems == []
    assert any("separate" in p for p in stats[2].problems) and any("separate" in p for p in stats[3].problems)
    assert not any(item.looks_broken for item in item_statistics(EXAMPLE, min_responses=5))


def test_too_easy_and_too_hard_are_flagged():
    rows = [(a, 1, 1.0) for a in range(10)] + [(a, 2, 0.0) for a in range(10)]
    rows += [(a, 3, float(a % 2)) for a in range(10)]
    stats = by_version(item_statistics(rows))
    assert any("very easy" in p for p in stats[1].problems)
    assert any("very hard" in p for p in stats[2].problems)


@pytest.fixture
def answered_quiz(cohort, other_cohort):
    """Three questions; two trainees in `cohort` and one in `other_cohort` submit an attempt each."""
    questions = [QuestionFactory(type="truefalse"), QuestionFactory(type="truefalse"), QuestionFactory()]
    quiz = make_quiz(make_course(lessons=0, slug="analysis-course"), questions=questions)
    for group, answers in ((cohort, {1: "false", 2: "true", 3: "o0"}), (cohort, {1: "false"}), (other_cohort, {})):
        learner = UserFactory()
        MembershipFactory(cohort=group, user=learner)
        attempt_submit(attempt=attempt_start(quiz=quiz, learner=learner), answers=answers)
    return quiz


@pytest.mark.django_db
def test_analysis_reads_submitted_attempts_in_two_queries(answered_quiz):
    with CaptureQueriesContext(connection) as queries:
        stats = quiz_item_analysis(quiz=answered_quiz)
    assert len(queries) == 2
    assert sorted((item.key[:2], item.responses) for item in stats) == [("q-", 3)] * 3
    first = next(item for item in stats if item.type == "truefalse" and item.facility > 0.5)
    assert first.facility == pytest.approx(2 / 3)


@pytest.mark.django_db
def test_supervisor_sees_only_their_cohorts_and_editor_sees_all(client, answered_quiz, supervisor, editor):
    url = reverse("quiz_analysis", kwargs={"quiz_id": answered_quiz.pk})
    client.force_login(supervisor)
    response = client.get(url)
    assert response.status_code == 200 and {item.responses for item in response.context["items"]} == {2}
    client.force_login(editor)
    response = client.get(url)
    assert {item.responses for item in response.context["items"]} == {3}
    assert b"Item analysis" in response.content


@pytest.mark.django_db
def test_analysis_page_queries_do_not_grow_with_attempts(client, answered_quiz, editor, cohort):
    url = reverse("quiz_analysis", kwargs={"quiz_id": answered_quiz.pk})
    client.force_login(editor)
    client.get(url)  # the first request of a session also loads what later ones find cached
    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
        for _ in range(3):
            learner = UserFactory()
            attempt_submit(attempt=attempt_start(quiz=answered_quiz, learner=learner), answers={1: "true"})
    assert counts[0] == counts[1], counts


@pytest.mark.django_db
def test_quiz_page_links_the_analysis_for_staff_only(client, answered_quiz, trainee, editor):
    link = reverse("quiz_analysis", kwargs={"quiz_id": answered_quiz.pk})
    client.force_login(trainee)
    assert link not in client.get(answered_quiz.url).content.decode()
    client.force_login(editor)
    assert link in client.get(answered_quiz.url).content.decode()
