"""The shipped courses meet the curriculum brief: enough lessons, each a real lesson."""

import re
from pathlib import Path

import pytest

from content.loader import parse_tree

ROOT = Path(__file__).resolve().parents[2] / "content"
MINIMUM_LESSONS = {"customer-service": 6, "bookkeeping": 6, "confidentiality": 8, "front-office": 4}
CPT_LIKE = re.compile(r"\b(99[2-4]\d\d|9\d{4}|[0-8]\d{4})\b")


@pytest.fixture(scope="module")
def courses():
    return {course.slug: course for course in parse_tree(ROOT)}


def test_the_four_courses_have_their_lessons(courses):
    for slug, minimum in MINIMUM_LESSONS.items():
        assert len(courses[slug].lessons) >= minimum, slug


def test_every_lesson_teaches_with_a_script_or_example_and_checks_understanding(courses):
    for course in courses.values():
        for lesson in course.lessons.values():
            kinds = {block["type"] for block in lesson.body}
            assert kinds & {"script", "worked_example"}, lesson.source
            assert "self_check" in kinds and "key_terms" in kinds, lesson.source


def test_lessons_are_a_real_length(courses):
    for course in courses.values():
        for lesson in course.lessons.values():
            prose = " ".join(b["value"] for b in lesson.body if b["type"] == "text")
            words = len(re.sub(r"<[^>]+>", " ", prose).split())
            assert 600 <= words <= 2500, f"{lesson.source}: {words} words of prose"


def test_the_confidentiality_course_cites_the_rules_and_renews_yearly(courses):
    course = courses["confidentiality"]
    assert course.fields["certificate_valid_months"] == 12
    for lesson in course.lessons.values():
        assert any(b["type"] == "citation" for b in lesson.body), lesson.source


def test_no_cpt_codes_appear_in_the_bookkeeping_examples(courses):
    for lesson in courses["bookkeeping"].lessons.values():
        for block in lesson.body:
            if block["type"] == "worked_example":
                for entry in block["value"]["entries"]:
                    assert not CPT_LIKE.search(entry["description"]), (lesson.source, entry["description"])


FRONT_OFFICE_SCENARIOS = {
    "s1-new-patient-booking", "s3-late-cancel-reschedule", "s4-no-show", "s6-red-flag-call",
    "r1-register-from-intake", "r2-birthday-rule", "c1-transcribe-order", "c2-ambiguous-order",
    "c5-file-lab-report", "c6-correct-by-appending", "s7-recurring-series", "s8-provider-block",
}  # fmt: skip


def test_the_front_office_course_places_each_office_scenario_after_its_lesson(courses):
    course = courses["front-office"]
    assert course.fields["certificate_valid_months"] == 24 and course.fields["sequential"] is True
    assert {sim.scenario for sim in course.simulations.values()} == FRONT_OFFICE_SCENARIOS
    order = [next(iter(k for k in ("lesson", "simulation", "quiz", "call") if k in step)) for step in course.steps]
    assert order[0] == "lesson" and order[-1] == "quiz"  # taught before practised; a final exam last
    scenario_of = {sim.slug: sim.scenario for sim in course.simulations.values()}
    position = {scenario_of[step["simulation"]]: n for n, step in enumerate(course.steps) if "simulation" in step}
    lesson_at = {step["lesson"]: n for n, step in enumerate(course.steps) if "lesson" in step}
    taught_by = {"r": "patient-identification-and-registration", "s": "scheduling-by-the-rules",
                 "c1": "orders-and-abbreviations", "c2": "orders-and-abbreviations",
                 "c5": "filing-and-correcting-the-record", "c6": "filing-and-correcting-the-record"}  # fmt: skip
    for scenario, at in position.items():
        lesson = taught_by.get(scenario.split("-")[0]) or taught_by[scenario[0]]
        assert lesson_at[lesson] < at, scenario
    assert lesson_at["coordination-of-benefits"] < position["r2-birthday-rule"]


def test_the_front_office_course_has_a_full_question_bank(courses):
    course = courses["front-office"]
    questions = course.questions
    assert len(questions) >= 24
    assert {q.fields["type"] for q in questions} == {
        "single",
        "multiple",
        "truefalse",
        "numeric",
        "shorttext",
        "ordering",
        "matching",
    }
    assert all(q.fields["feedback"] for q in questions)
    assert set(course.quizzes) == {"module-1-quiz", "module-2-quiz", "module-3-quiz", "final-exam"}


def test_every_front_office_lesson_cites_its_sources(courses):
    for lesson in courses["front-office"].lessons.values():
        assert any(b["type"] == "citation" for b in lesson.body), lesson.source
    cited = " ".join(
        b["value"]["reference"] for lesson in courses["front-office"].lessons.values() for b in lesson.body
        if b["type"] == "citation"
    )  # fmt: skip
    for source in ("NPSG.01.01.01", "Do Not Use", "ISMP", "164.526", "AHIMA", "NAIC", "NUCC"):
        assert source in cited, source
