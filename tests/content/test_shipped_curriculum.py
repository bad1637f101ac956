"""The shipped courses meet the curriculum brief: enough lessons, each a real lesson."""

import re
from pathlib import Path

import pytest

from content.loader import parse_tree

ROOT = Path(__file__).resolve().parents[2] / "content"
MINIMUM_LESSONS = {"customer-service": 6, "bookkeeping": 6, "confidentiality": 8}
CPT_LIKE = re.compile(r"\b(99[2-4]\d\d|9\d{4}|[0-8]\d{4})\b")


@pytest.fixture(scope="module")
def courses():
    return {course.slug: course for course in parse_tree(ROOT)}


def test_the_three_courses_have_their_lessons(courses):
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
