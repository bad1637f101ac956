import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from content.models import LoadRecord
from lessons.models import CoursePage, LessonPage

pytestmark = pytest.mark.django_db

COURSE_YAML = """\
title: Test Course
slug: test-course
summary: A course for the loader tests.
objectives: [Do one thing.]
estimated_hours: 1
sequential: true
certificate_valid_months: 12
steps:
  - lesson: first-lesson
"""

LESSON = """\
---
title: First lesson
slug: first-lesson
summary: The first lesson.
estimated_minutes: 10
---

Some **prose**.

## A heading

```callout
kind: tip
text: Smile while you dial.
```

```worked-example
title: A visit
entries:
  - {date: 2026-03-02, description: Visit, charge: "150.00"}
  - {date: 2026-03-20, description: Payment, payment: "88.00"}
expected_balance: "62.00"
```
"""


@pytest.fixture
def tree(tmp_path) -> Path:
    course = tmp_path / "courses" / "test-course"
    (course / "lessons").mkdir(parents=True)
    (course / "course.yaml").write_text(COURSE_YAML)
    (course / "lessons" / "first-lesson.md").write_text(LESSON)
    return tmp_path


def load(root: Path) -> str:
    from io import StringIO

    out = StringIO()
    call_command("load_content", root=root, stdout=out)
    return out.getvalue()


def test_first_load_creates_published_pages_with_their_blocks(tree):
    output = load(tree)
    assert "2 created" in output
    lesson = LessonPage.objects.get(slug="first-lesson")
    assert lesson.live and lesson.get_parent().specific.title == "Test Course"
    assert [b.block_type for b in lesson.body] == ["text", "heading", "callout", "worked_example"]


def test_second_load_changes_nothing(tree):
    load(tree)
    revisions = LessonPage.objects.get().latest_revision_id
    assert "2 unchanged" in load(tree)
    assert LessonPage.objects.get().latest_revision_id == revisions
    assert LessonPage.objects.count() == 1 and CoursePage.objects.count() == 1


def test_a_changed_file_updates_its_page(tree):
    load(tree)
    path = tree / "courses/test-course/lessons/first-lesson.md"
    path.write_text(path.read_text().replace("The first lesson.", "A better summary."))
    assert "1 updated" in load(tree)
    assert LessonPage.objects.get().summary == "A better summary."


def test_a_page_edited_in_the_admin_is_left_alone_and_the_loader_says_so(tree):
    load(tree)
    lesson = LessonPage.objects.get()
    lesson.summary = "Edited by an editor."
    lesson.save_revision().publish()
    path = tree / "courses/test-course/lessons/first-lesson.md"
    path.write_text(path.read_text().replace("The first lesson.", "Changed in git."))
    output = load(tree)
    assert "left alone" in output and "first-lesson.md" in output
    assert LessonPage.objects.get().summary == "Edited by an editor."


@pytest.mark.parametrize(
    ("broken", "where", "message"),
    [
        ("```callout\nkind: [unclosed\n```\n", "first-lesson.md:", "invalid YAML"),
        ("```callout\nkind: tip\n", "first-lesson.md:", "never closed"),
        ("```unknown-block\na: 1\n```\n", "first-lesson.md:", "unknown block type"),
        ("```worked-example\ntitle: t\nentries:\n  - {date: 2026-01-01, description: x, charge: '10.00'}\nexpected_balance: '9.00'\n```\n", "first-lesson.md:", "worked_example"),
        ("# A level-one heading\n", "first-lesson.md:", "level-1 heading"),
    ],
)  # fmt: skip
def test_a_malformed_file_names_the_file_and_line_and_loads_nothing(tree, broken, where, message):
    path = tree / "courses/test-course/lessons/first-lesson.md"
    path.write_text(path.read_text() + "\n" + broken)
    with pytest.raises(CommandError) as error:
        load(tree)
    text = str(error.value)
    assert where in text and message in text and "Nothing was loaded" in text
    line = int(text.split("first-lesson.md:")[1].split(":")[0])
    assert path.read_text().splitlines()[line - 1].strip(), "the reported line points at real content"
    assert not LessonPage.objects.exists() and not CoursePage.objects.exists() and not LoadRecord.objects.exists()


def test_the_shipped_curriculum_loads_completely_and_idempotently(tmp_path):
    root = Path(__file__).resolve().parents[2] / "content"
    for folder in ("courses", "office", "scenarios", "calls"):  # steps can send learners to the office or a call
        shutil.copytree(root / folder, tmp_path / folder)
    load(tmp_path)
    assert CoursePage.objects.count() == 4
    assert "0 created, 0 updated" in load(tmp_path)
