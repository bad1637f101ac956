"""The main journeys, in a real browser (Playwright driving Debian's Chromium)."""

import re

import pytest

from coursesite.people.models import User
from tests.factories import PASSWORD, current_totp_code, make_course

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, email: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()


def test_a_trainee_logs_in_reads_a_lesson_and_sees_progress(page, trainee):
    course = make_course(lessons=3)
    log_in(page, trainee.email)
    page.wait_for_url("**/training/")
    assert page.get_by_role("heading", name="My training").is_visible()
    page.get_by_role("link", name=course.title).click()
    page.get_by_role("link", name="Start the course").click()
    assert page.get_by_role("heading", name="Lesson 1", level=1).is_visible()
    page.get_by_role("button", name="Mark as read and continue").click()
    page.wait_for_url("**/lesson-2/")
    page.goto(course.url)
    assert page.get_by_text("33% done").is_visible()
    assert page.get_by_role("link", name="Continue where you left off").is_visible()


def test_the_skip_link_is_the_first_thing_the_keyboard_reaches(page, db):
    page.goto("/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused.strip() == "Skip to main content"


def test_a_supervisor_creates_a_cohort_and_sees_its_key(page, supervisor):
    assert supervisor.role == User.Role.SUPERVISOR
    log_in(page, supervisor.email)
    # Supervisors have MFA: the login asks for the authenticator code next.
    page.get_by_label("Code").fill(current_totp_code())
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/cohorts/")
    page.get_by_role("link", name="New cohort").click()
    page.get_by_label("Name").fill("Spring medical office class")
    page.get_by_role("button", name="Save").click()
    assert page.get_by_role("heading", name="Spring medical office class").is_visible()
    assert page.locator(".enrolment-key").inner_text().strip()


def test_a_newcomer_signs_up_with_an_enrolment_key(page, cohort):
    page.goto("/accounts/signup/")
    page.get_by_label("Full name").fill("Jordan Rivera")
    page.get_by_label("Email").fill("jordan@example.test")
    page.locator("#id_password1").fill("a-long-unique-passphrase")
    page.locator("#id_password2").fill("a-long-unique-passphrase")
    page.get_by_label("Enrolment key").fill("WRONGKEY00")
    page.get_by_role("button", name="Sign Up").click()
    assert page.get_by_text("That enrolment key is not valid").is_visible()
    page.locator("#id_password1").fill("a-long-unique-passphrase")
    page.locator("#id_password2").fill("a-long-unique-passphrase")
    page.get_by_label("Enrolment key").fill(cohort.enrolment_key)
    page.get_by_role("button", name="Sign Up").click()
    page.wait_for_url("**/confirm-email/**")
    assert User.objects.filter(email="jordan@example.test").exists()


def test_a_timed_attempt_counts_down_and_autosaves_a_changed_answer(page, trainee):
    from quizzes.models import Response
    from tests.factories import QuestionFactory, make_quiz

    quiz = make_quiz(
        make_course(lessons=0, slug="timed"), questions=[QuestionFactory(type="truefalse")], time_limit_minutes=10
    )
    log_in(page, trainee.email)
    page.goto(quiz.url)
    page.get_by_role("button", name="Start the quiz").click()
    timer = page.locator("[data-timer]")
    timer.wait_for(state="visible")
    assert timer.inner_text().startswith(("Time left: 9:", "Time left: 10:"))
    page.get_by_label("True").check()
    page.get_by_role("status").filter(has_text=re.compile(r"^Saved \d")).wait_for()
    assert Response.objects.get(attempt__learner=trainee, position=1).answer == "true"


def test_a_trainee_answers_a_phone_call_and_sees_it_graded(page, trainee):
    from simulations.calls import ideal_path
    from simulations.calls_registry import call_definition
    from simulations.models import CallSession
    from tests.factories import make_call_page

    step = make_call_page(make_course(lessons=0, slug="calls"), call_id="t1-angry-bill", slug="angry-bill")
    log_in(page, trainee.email)
    page.wait_for_url("**/training/")
    page.goto(step.url)
    page.get_by_role("button", name="Take the call").click()
    page.wait_for_url("**/calls/*/")
    session = CallSession.objects.get(learner=trainee)
    definition = call_definition("t1-angry-bill")
    choices, notes = ideal_path(definition, session.variant)
    texts = {(node.id, choice.id): definition.render(choice.text, session.variant)
             for node in definition.nodes.values() for choice in node.choices}  # fmt: skip
    node = definition.start
    for choice_id in choices:
        group = page.get_by_role("group", name="What do you say?")
        group.get_by_label(texts[(node, choice_id)]).check()  # keyboard-reachable radio, found by its label
        page.get_by_role("button", name="Say it").click()
        page.wait_for_load_state()
        node = definition.nodes[node].choice(choice_id).next
    page.get_by_label(re.compile("Write the account note")).fill(notes["document"])
    page.get_by_role("button", name="Save the note").click()
    page.wait_for_url("**/result/")
    assert page.get_by_role("heading", name="Score by axis").is_visible()
    assert page.get_by_text("Passed", exact=True).is_visible()
    assert page.get_by_text("Every answer was the best one.").is_visible()
    session.refresh_from_db()
    assert session.passed and session.score == 100
