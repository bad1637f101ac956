"""The editor's path: quiz pages in the tree, and question snippets in the admin."""

import pytest
from django.urls import reverse
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import nested_form_data

from coursesite.people.models import User
from lessons.models import CoursePage, LessonPage
from quizzes.models import Question, QuizPage
from tests.factories import QuestionFactory, UserFactory, make_course, make_quiz, with_mfa

pytestmark = pytest.mark.django_db


class TestQuizPageInTheTree(WagtailPageTestCase):
    def setUp(self):
        self.admin = with_mfa(UserFactory(role=User.Role.ADMIN, is_staff=True, is_superuser=True))
        self.client.force_login(self.admin)

    def test_a_quiz_lives_only_under_a_course(self):
        self.assertAllowedParentPageTypes(QuizPage, {CoursePage})
        self.assertAllowedSubpageTypes(QuizPage, set())
        self.assertCanNotCreateAt(LessonPage, QuizPage)

    def test_an_editor_can_create_a_quiz(self):
        course = make_course(lessons=0)
        data = nested_form_data(
            {"title": "Module quiz", "slug": "module-quiz", "summary": "", "pass_mark": 80, "attempts_allowed": 3,
             "time_limit_minutes": 15, "retry_delay_minutes": 0, "fixed_questions": "[]", "draws": '[{"topics": ["calls"], "count": 2}]',
             "shuffle_questions": "on", "shuffle_options": "on", "attempt_counts": "highest", "review": "full"}
        )  # fmt: skip
        self.assertCanCreate(course, QuizPage, data)

    def test_the_quiz_intro_renders(self):
        course = make_course(lessons=0)
        quiz = make_quiz(course, questions=[QuestionFactory()])
        self.assertPageIsRenderable(quiz, user=self.admin)


def test_editing_a_question_in_the_admin_freezes_a_new_version(client, admin_user):
    question = QuestionFactory(type="truefalse", data={"answer": True})
    client.force_login(admin_user)
    url = reverse("wagtailsnippets_quizzes_question:edit", args=[question.pk])
    assert client.get(url).status_code == 200
    form = {
        "key": question.key, "type": "truefalse", "course_slug": "test-course", "topic": "calls", "lesson_slug": "",
        "scenario": "", "text": "Changed in the admin?", "data": '{"answer": false}', "feedback": "Because.",
    }  # fmt: skip
    response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    question = Question.objects.get(pk=question.pk)
    assert question.text == "Changed in the admin?"
    assert question.current_version.content["data"] == {"answer": False}
