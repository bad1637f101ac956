"""Call steps in the curriculum: the loader's `call:` step, the shipped courses, the editor path, the demo."""

import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from wagtail.test.utils import WagtailPageTestCase

from content.models import LoadRecord
from coursesite.people.models import User
from coursesite.progress.models import Completion
from lessons.models import CoursePage
from simulations.models import CallPage, CallSession

CONTENT = Path(__file__).resolve().parents[3] / "content"

COURSE = """\
title: Call Course
slug: call-course
summary: A course with a call.
steps:
  - lesson: intro
  - call: bill-call
    title: "Phone call: a bill"
    call_id: {call_id}
    pass_mark: 75
    axis_minimums: {{compliance: 100}}
    summary: Take the call.
"""
LESSON = "---\ntitle: Intro\nslug: intro\nsummary: Intro.\nestimated_minutes: 5\n---\n\nRead this.\n"


def tree(tmp_path: Path, call_id: str = "t1-angry-bill", extra: str = "") -> Path:
    course = tmp_path / "courses" / "call-course"
    (course / "lessons").mkdir(parents=True)
    (course / "course.yaml").write_text(COURSE.format(call_id=call_id) + extra)
    (course / "lessons" / "intro.md").write_text(LESSON)
    for folder in ("office", "scenarios", "calls"):
        shutil.copytree(CONTENT / folder, tmp_path / folder)
    return tmp_path


def load(root: Path | None = None) -> str:
    out = StringIO()
    call_command("load_content", *(["--root", str(root)] if root else []), stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_a_call_step_is_loaded_in_course_order_and_a_second_load_changes_nothing(tmp_path):
    root = tree(tmp_path)
    load(root)
    page = CallPage.objects.get(slug="bill-call")
    assert (page.call_id, page.pass_mark, page.axis_minimums) == ("t1-angry-bill", 75, {"compliance": 100})
    assert page.live and [p.slug for p in page.get_parent().get_children()] == ["intro", "bill-call"]
    assert LoadRecord.objects.filter(source="courses/call-course/course.yaml#call:bill-call").exists()
    revision = page.latest_revision_id
    output = load(root)
    assert "0 created, 0 updated" in output
    assert CallPage.objects.get().latest_revision_id == revision


@pytest.mark.django_db
def test_a_changed_call_step_updates_its_page(tmp_path):
    root = tree(tmp_path)
    load(root)
    path = root / "courses/call-course/course.yaml"
    path.write_text(path.read_text().replace("pass_mark: 75", "pass_mark: 85"))
    assert "updated   courses/call-course/course.yaml#call:bill-call" in load(root)  # the course file too
    assert CallPage.objects.get().pass_mark == 85


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("call_id", "extra_step", "message"),
    [
        ("no-such-call", "", "no call 'no-such-call' in calls/"),
        ("t1-angry-bill", "  - call: other\n    title: T\n    call_id: t1-angry-bill\n    pass_mark: 120\n", "percentage"),
        ("t1-angry-bill", "  - call: other\n    title: T\n    call_id: t1-angry-bill\n    axis_minimums: {kindness: 50}\n", "axis_minimums"),
        ("t1-angry-bill", "  - call: other\n    title: T\n    call_id: t1-angry-bill\n    caller: x\n", "unknown field 'caller'"),
    ],
)  # fmt: skip
def test_a_bad_call_step_names_the_course_file_and_loads_nothing(tmp_path, call_id, extra_step, message):
    root = tree(tmp_path, call_id=call_id, extra=extra_step)
    with pytest.raises(CommandError) as error:
        load(root)
    assert "call-course/course.yaml" in str(error.value) and message in str(error.value)
    assert not CoursePage.objects.exists() and not CallPage.objects.exists()


@pytest.mark.django_db
def test_the_shipped_courses_have_their_call_steps_and_reload_unchanged():
    load()
    bill = CallPage.objects.get(slug="angry-bill-call")
    family = CallPage.objects.get(slug="family-results-call")
    assert bill.call_id == "t1-angry-bill" and bill.get_parent().slug == "customer-service"
    assert family.call_id == "family-results" and family.axis_minimums == {"compliance": 100}
    siblings = [p.slug for p in bill.get_parent().get_children()]
    assert siblings.index("angry-bill-call") == siblings.index("calming-an-upset-patient") + 1
    siblings = [p.slug for p in family.get_parent().get_children()]
    assert siblings.index("family-results-call") == siblings.index("personal-representatives-and-family") + 1
    assert "0 created, 0 updated" in load()


@pytest.mark.django_db
def test_the_demo_trainee_who_finished_answers_the_call_for_real_and_keeps_the_certificate(
    django_capture_on_commit_callbacks,
):
    from coursesite.certificates.models import Certificate

    load()
    with django_capture_on_commit_callbacks(execute=True):  # certificates are issued once completions commit
        call_command("seed_demo", stdout=StringIO())
    finished = User.objects.get(email="trainee.finished@demo.test")
    page = CallPage.objects.get(slug="angry-bill-call")
    session = CallSession.objects.get(learner=finished, page=page)
    assert session.passed and session.steps.count() == len(session.choices) + len(session.notes)
    assert Completion.objects.get(learner=finished, step_id=page.pk).passed
    assert Certificate.objects.filter(learner=finished, course__slug="customer-service").exists()
    call_command("seed_demo", stdout=StringIO())
    assert CallSession.objects.filter(learner=finished).count() == 1


@pytest.mark.django_db
def test_a_call_page_must_name_a_shipped_call():
    page = CallPage(title="Call", slug="call", call_id="no-such-call", pass_mark=80)
    with pytest.raises(ValidationError) as excinfo:
        page.clean()
    assert "call_id" in excinfo.value.message_dict
    page = CallPage(title="Call", slug="call", call_id="t1-angry-bill", axis_minimums={"kindness": 50})
    with pytest.raises(ValidationError) as excinfo:
        page.clean()
    assert "axis_minimums" in excinfo.value.message_dict


class TestEditorPath(WagtailPageTestCase):
    def test_a_call_step_belongs_under_a_course(self):
        self.assertCanCreateAt(CoursePage, CallPage)
        self.assertAllowedParentPageTypes(CallPage, {CoursePage})

    def test_the_step_renders(self):
        from tests.factories import UserFactory, make_call_page, make_course

        page = make_call_page(make_course(lessons=0, slug="editor-call"))
        self.client.force_login(UserFactory())
        self.assertPageIsRenderable(page)
