import pytest
from django.urls import reverse
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from coursesite.progress.models import Completion
from lessons.models import CourseIndexPage, CoursePage, LessonPage
from quizzes.models import QuizPage
from tests.factories import make_course

pytestmark = pytest.mark.django_db


class TestPageTree(WagtailPageTestCase):
    def setUp(self):
        from coursesite.people.models import User
        from tests.factories import UserFactory, with_mfa

        # Wagtail's helpers would create a superuser without MFA, whom the MFA gate turns away.
        self.admin = with_mfa(UserFactory(role=User.Role.ADMIN, is_staff=True, is_superuser=True))
        self.client.force_login(self.admin)

    def test_allowed_parents_and_children(self):
        self.assertAllowedSubpageTypes(CourseIndexPage, {CoursePage})
        from simulations.models import CallPage, SimulationPage

        self.assertAllowedSubpageTypes(CoursePage, {LessonPage, QuizPage, SimulationPage, CallPage})
        self.assertAllowedParentPageTypes(LessonPage, {CoursePage})
        self.assertAllowedSubpageTypes(LessonPage, set())
        self.assertCanNotCreateAt(CourseIndexPage, LessonPage)

    def test_an_editor_can_create_a_lesson_with_every_block(self):
        course = make_course(lessons=0)
        body = streamfield(
            [
                ("text", rich_text("<p>Hello</p>")),
                ("heading", {"text": "A heading", "level": "h2"}),
                ("callout", {"kind": "law", "title": "Law", "text": rich_text("<p>Rule.</p>")}),
                ("citation", {"reference": "45 CFR 164.524", "title": "", "summary": "Access.", "url": ""}),
                ("local_policy", {"title": "Ours", "text": rich_text("<p>Our rule.</p>")}),
            ]
        )
        self.assertCanCreate(
            course,
            LessonPage,
            nested_form_data(
                {"title": "New lesson", "slug": "new-lesson", "summary": "S", "estimated_minutes": 10, "body": body}
            ),
        )

    def test_pages_render_and_preview(self):
        course = make_course(lessons=1)
        lesson = course.get_children().first().specific
        self.assertPageIsRenderable(course)
        self.assertPageIsRenderable(lesson, user=self.admin)
        self.assertPageIsPreviewable(course, user=self.admin)
        # StreamField editors are built by JavaScript, so the form data is given rather than scraped.
        data = nested_form_data(
            {"title": lesson.title, "slug": lesson.slug, "summary": "S", "estimated_minutes": 5,
             "body": streamfield([("text", rich_text("<p>Preview me</p>"))])}
        )  # fmt: skip
        self.assertPageIsPreviewable(lesson, user=self.admin, post_data=data)


def test_a_trainee_reads_a_lesson_and_marks_it_complete(client, trainee, course):
    lesson = course.get_children().first().specific
    client.force_login(trainee)
    response = client.get(lesson.url)
    assert response.status_code == 200
    assert "Verifying the caller" in response.content.decode()
    response = client.post(lesson.url + "complete/")
    assert response.status_code == 302
    completion = Completion.objects.get(learner=trainee, step=lesson)
    assert completion.passed and completion.course_id == course.pk
    # Twice is still one completion.
    client.post(lesson.url + "complete/")
    assert Completion.objects.filter(learner=trainee, step=lesson).count() == 1


def test_the_course_page_shows_status_progress_and_where_to_continue(client, trainee, course):
    first, second, _third = [p.specific for p in course.get_children()]
    client.force_login(trainee)
    client.post(first.url + "complete/")
    page = client.get(course.url).content.decode()
    assert 'value="33"' in page  # the progress bar
    assert "Continue where you left off" in page
    assert f'href="{second.url}"' in page


def test_locked_steps_say_why_and_cannot_be_opened(client, trainee, course):
    third = course.get_children().last().specific
    client.force_login(trainee)
    page = client.get(course.url).content.decode()
    assert "Finish “Lesson 1” first" in page
    response = client.get(third.url)
    assert response.status_code == 403 and "Finish" in response.content.decode()
    assert client.post(third.url + "complete/").status_code == 403
    assert not Completion.objects.filter(step=third).exists()


def test_a_course_that_is_not_sequential_locks_nothing(client, trainee):
    course = make_course(lessons=3, slug="open-course", sequential=False)
    client.force_login(trainee)
    assert client.get(course.get_children().last().url).status_code == 200


def test_anonymous_visitors_must_log_in_to_read_a_lesson(client, course):
    lesson = course.get_children().first()
    response = client.get(lesson.url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_course_outline_and_lesson_run_a_fixed_number_of_queries_whatever_the_course_size(client, trainee):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    big = make_course(lessons=30, slug="big-course")
    small = make_course(lessons=3, slug="small-course")
    client.force_login(trainee)
    counts = {}
    for name, course in (("small", small), ("big", big)):
        client.post(course.get_children().first().url + "complete/")
        second = course.get_children()[1]
        for kind, url in (("outline", course.url), ("lesson", second.url)):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            counts[name, kind] = len(queries)
    # Session, user, site, page routing, view restrictions, steps, completions (no session write: it is throttled).
    assert counts["small", "outline"] == counts["big", "outline"] <= 11, counts
    assert counts["small", "lesson"] == counts["big", "lesson"] <= 12, counts


def test_my_training_lists_courses_with_progress(client, trainee, course, django_assert_max_num_queries):
    make_course(lessons=5, slug="second-course")
    client.force_login(trainee)
    client.post(course.get_children().first().url + "complete/")
    # Session, user, view restrictions, courses, step counts, completions, due dates, site, session save...
    with django_assert_max_num_queries(11):
        page = client.get(reverse("my_training")).content.decode()
    assert "Course test-course" in page and "33% done" in page and "0% done" in page


def test_my_training_shows_the_due_date_and_flags_an_overdue_course(client, trainee, cohort, course):
    import datetime

    from coursesite.people.models import Assignment, AssignmentOverride

    second = make_course(lessons=2, slug="second-course")
    Assignment.objects.create(cohort=cohort, course=course, due_on=datetime.date(2020, 1, 15))
    late = Assignment.objects.create(cohort=cohort, course=second, due_on=datetime.date(2020, 2, 1))
    AssignmentOverride.objects.create(
        assignment=late, learner=trainee, due_on=datetime.date(2099, 3, 9), reason="Joined late"
    )
    client.force_login(trainee)
    page = client.get(reverse("my_training")).content.decode()
    assert "Overdue:" in page and "Jan 15, 2020" in page
    # The personal date replaces the cohort's, and a course due later is not overdue.
    assert "Mar 9, 2099" in page and "Feb 1, 2020" not in page and page.count("Overdue:") == 1


def test_printable_lesson_and_glossary(client, trainee, course):
    lesson = course.get_children().first()
    client.force_login(trainee)
    printable = client.get(lesson.url + "print/")
    assert printable.status_code == 200 and "site-header" not in printable.content.decode()
    glossary = client.get(course.url + "glossary/").content.decode()
    assert "<dt>PHI</dt>" in glossary


def test_search_finds_lessons(client, trainee, course):
    client.force_login(trainee)
    page = client.get(reverse("search"), {"q": "identifiers"}).content.decode()
    assert "Lesson 1" in page
    assert "No lessons match" in client.get(reverse("search"), {"q": "zzzzqqq"}).content.decode()


def test_worked_example_rejects_wrong_arithmetic():
    from django.core.exceptions import ValidationError

    from lessons.blocks import WorkedExampleBlock

    block = WorkedExampleBlock()
    value = block.to_python(
        {
            "title": "t",
            "entries": [{"date": "2026-03-02", "description": "Visit", "charge": "150.00"}],
            "expected_balance": "140.00",
        }
    )
    with pytest.raises(ValidationError):
        block.clean(value)


def test_headings_are_in_order_and_images_need_alt_text():
    from lessons.blocks import ImageBlock, VideoBlock

    assert ImageBlock().child_blocks["alt"].required
    assert VideoBlock().child_blocks["transcript"].required
