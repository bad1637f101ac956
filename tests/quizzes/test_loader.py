"""Loading questions.yaml and quiz steps: validation with file:line, idempotence, versions, order."""

from pathlib import Path

import pytest

from content.loader import ContentError, parse_tree, write_tree
from content.models import LoadRecord
from lessons.models import CoursePage
from quizzes.models import Question, QuestionVersion, QuizPage

pytestmark = pytest.mark.django_db

SHIPPED = Path(__file__).resolve().parents[2] / "content"

COURSE = """\
title: Mini
slug: mini
summary: A tiny course.
steps:
  - lesson: one
  - quiz: check
    title: Check
    pass_mark: 75
    attempts_allowed: 2
    time_limit_minutes: 5
    questions: [mini-01]
    draws:
      - {topics: [calls], count: 1}
"""
LESSON = "---\ntitle: One\nslug: one\nsummary: S.\nestimated_minutes: 5\n---\n\nSome text.\n"
QUESTIONS = """\
questions:
  - id: mini-01
    type: single
    topic: calls
    text: Pick one.
    options:
      - {text: Right, correct: true, feedback: Yes.}
      - {text: Wrong, feedback: No.}
    feedback: Because.
  - id: mini-02
    type: numeric
    topic: calls
    text: How much?
    answer: "46.00"
    tolerance: "0.00"
    feedback: Because.
"""


def write_content(root: Path, questions: str = QUESTIONS, course: str = COURSE) -> Path:
    folder = root / "courses" / "mini"
    (folder / "lessons").mkdir(parents=True, exist_ok=True)
    (folder / "course.yaml").write_text(course)
    (folder / "lessons" / "one.md").write_text(LESSON)
    (folder / "questions.yaml").write_text(questions)
    return root


def load(root: Path):
    return write_tree(parse_tree(root), root)


def test_the_shipped_quizzes_load_and_a_second_load_changes_nothing():
    first = load(SHIPPED)
    assert QuizPage.objects.count() == 17 and Question.objects.count() == 240
    assert QuestionVersion.objects.count() == 240
    assert any("#quiz:final-exam" in source for source in first.created)
    second = load(SHIPPED)
    assert second.created == second.updated == second.kept_editor_changes == []
    assert QuestionVersion.objects.count() == 240
    course = CoursePage.objects.get(slug="customer-service")
    slugs = [p.slug for p in course.get_children().order_by("path")]
    assert slugs.index("module-1-quiz") == slugs.index("active-listening-and-empathy") + 1
    assert slugs[-1] == "final-exam"


def test_a_quiz_step_has_the_rules_from_course_yaml(tmp_path):
    load(write_content(tmp_path))
    quiz = QuizPage.objects.get(slug="check")
    assert (quiz.pass_mark, quiz.attempts_allowed, quiz.time_limit_minutes) == (75, 2, 5)
    assert quiz.fixed_questions == ["mini-01"] and quiz.draws == [{"topics": ["calls"], "count": 1}]
    assert quiz.live and quiz.get_parent().slug == "mini"
    question = Question.objects.get(key="mini-01")
    assert question.course_slug == "mini" and question.current_version.number == 1
    assert question.current_version.content["data"]["options"][0] == {
        "id": "o0", "text": "Right", "correct": True, "feedback": "Yes.",
    }  # fmt: skip


def test_quizzes_added_to_a_loaded_course_go_where_course_yaml_puts_them(tmp_path):
    root = write_content(tmp_path)
    load(root)
    quiz = QuizPage.objects.get(slug="check")
    LoadRecord.objects.filter(page=quiz).delete()
    quiz.delete()
    course_yaml = COURSE.replace(
        "steps:\n", "steps:\n  - quiz: warm-up\n    title: Warm-up\n    questions: [mini-02]\n"
    )
    report = load(write_content(root, course=course_yaml))
    assert "courses/mini/course.yaml#quiz:warm-up" in report.created
    course = CoursePage.objects.get(slug="mini")
    assert [p.slug for p in course.get_children().order_by("path")] == ["warm-up", "one", "check"]


def test_a_changed_question_gets_a_new_version_and_others_keep_theirs(tmp_path):
    root = write_content(tmp_path)
    load(root)
    report = load(write_content(root, questions=QUESTIONS.replace("How much?", "How much is owed?")))
    assert report.updated == ["courses/mini/questions.yaml#mini-02"]
    assert Question.objects.get(key="mini-02").current_version.number == 2
    assert Question.objects.get(key="mini-01").current_version.number == 1
    assert QuestionVersion.objects.filter(question__key="mini-02", number=1, content__text="How much?").exists()


def test_a_question_an_editor_changed_is_left_alone(tmp_path):
    root = write_content(tmp_path)
    load(root)
    Question.objects.filter(key="mini-01").update(text="Edited in the admin.")
    report = load(write_content(root, questions=QUESTIONS.replace("Pick one.", "Pick exactly one.")))
    assert report.kept_editor_changes == ["courses/mini/questions.yaml#mini-01"]
    assert Question.objects.get(key="mini-01").text == "Edited in the admin."


@pytest.mark.parametrize(
    ("old", "new", "line", "message"),
    [
        ("{text: Wrong, feedback: No.}", "{text: Wrong, correct: true}", 2, "exactly one correct option, not 2"),
        ("type: numeric", "type: essay", 10, "unknown question type 'essay'"),
        ('answer: "46.00"', 'answer: "forty-six"', 10, "answer 'forty-six' is not a number"),
        ("id: mini-02", "id: mini-01", 10, "question id 'mini-01' is already used on line 2"),
        ("    feedback: Because.\n  - id: mini-02", "  - id: mini-02", 2, "missing required field.*: feedback"),
    ],
)
def test_a_malformed_question_is_reported_with_file_and_line(tmp_path, old, new, line, message):
    root = write_content(tmp_path, questions=QUESTIONS.replace(old, new, 1))
    with pytest.raises(ContentError, match=message) as caught:
        parse_tree(root)
    assert caught.value.source == "courses/mini/questions.yaml" and caught.value.line == line


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("questions: [mini-01]", "questions: [mini-99]", "unknown question id"),
        ("count: 1", "count: 5", "the bank holds 1"),
        ("pass_mark: 75", "pass_mark: 150", "pass_mark must be"),
        ("    title: Check\n", "", "needs a title"),
    ],
)
def test_a_malformed_quiz_step_is_reported(tmp_path, old, new, message):
    with pytest.raises(ContentError, match=message):
        parse_tree(write_content(tmp_path, course=COURSE.replace(old, new)))


def test_a_question_id_used_in_two_courses_is_refused(tmp_path):
    root = write_content(tmp_path)
    other = root / "courses" / "other"
    (other / "lessons").mkdir(parents=True)
    (other / "course.yaml").write_text(COURSE.replace("slug: mini", "slug: other"))
    (other / "lessons" / "one.md").write_text(LESSON)
    (other / "questions.yaml").write_text(QUESTIONS)
    with pytest.raises(ContentError, match="'mini-01' is already used in courses/mini/questions.yaml"):
        parse_tree(root)
