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


def right_answers(attempt) -> dict:
    """The attempt form filled in right, reading the per-attempt choice tokens from its layout."""
    form = {"q1": "o0", "q2": ["o0", "o1"], "q3": "false", "q4": "35", "q5": "co-45"}
    for position, prefix in ((6, "i"), (7, "m")):
        order = attempt.layout[position - 1]["order"]
        for slot in range(len(order)):
            form[f"q{position}-{slot}"] = f"c{order.index(f'{prefix}{slot}')}"
    return form


@pytest.fixture
def right_form():
    return right_answers
