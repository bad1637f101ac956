import pytest

from tests.factories import QuestionFactory, make_course, make_quiz


@pytest.fixture
def quiz_course(db):
    return make_course(lessons=0, slug="test-course")


@pytest.fixture
def questions(db):
    """One question of every type, in a fixed order."""
    return [
        QuestionFactory(type=kind)
        for kind in ("single", "multiple", "truefalse", "numeric", "shorttext", "ordering", "matching")
    ]


@pytest.fixture
def quiz(quiz_course, questions):
    return make_quiz(quiz_course, questions=questions)


RIGHT_FORM = {
    "q1": "o0",
    "q2": ["o0", "o1"],
    "q3": "false",
    "q4": "35",
    "q5": "co-45",
    "q6-0": "i0", "q6-1": "i1", "q6-2": "i2",
    "q7-0": "m0", "q7-1": "m1",
}  # fmt: skip


@pytest.fixture
def right_form():
    return dict(RIGHT_FORM)
