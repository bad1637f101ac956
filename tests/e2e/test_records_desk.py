"""A confidentiality shift in a real browser: an insurer's records request from the records desk's inbox,
through verification and a minimum-necessary release, to the graded, rule-citing result."""

import pytest

from simulations.services import shift_start
from tests.e2e.test_journeys import log_in
from tests.factories import make_course, make_simulation, seed_for_variant

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_trainee_verifies_an_insurer_and_releases_only_the_date_of_service(page, trainee):
    course = make_course(lessons=0, slug="records-course")
    step = make_simulation(course, scenario="h07-payer-minimum-necessary", slug="payer-records")
    # The insurer's request whose call back confirms it (variant 0), started as the trainee's open shift.
    shift_start(learner=trainee, page=step, seed=seed_for_variant("h07-payer-minimum-necessary", 0))
    log_in(page, trainee.email)
    page.wait_for_url("**/training/")
    page.goto(step.url)
    page.get_by_role("link", name="Continue your shift").click()

    # The inbox points to the records desk; the desk lists the request.
    page.wait_for_url("**/office/shifts/**")
    page.get_by_role("link", name="Records desk").click()
    page.get_by_role("link", name="Bluecrest Health").click()
    assert "12 January" in page.locator(".inbox-text").inner_text()

    # Verify the payer by calling back the number on file, not the one on the call.
    page.get_by_role("button", name="Call back the number on file").click()
    assert "they confirm the request" in page.locator(".messages").inner_text()

    # Release the minimum necessary: only the note of the date the claim concerns, by fax to a verified number.
    page.get_by_label("Release the minimum necessary").check()
    page.get_by_label("Visit note, 12 Jan 2026").check()
    page.get_by_label("Fax to a verified number").check()
    page.get_by_label("Limited to the minimum necessary").check()
    page.get_by_role("button", name="Record the decision").click()
    assert "Decision recorded" in page.locator(".messages").inner_text()

    # A payment disclosure is not accountable: nothing to add to the log. Submit the shift.
    page.get_by_role("link", name="Inbox").click()
    page.get_by_role("button", name="Submit the shift for grading").click()
    page.wait_for_url("**/result/")
    body = page.locator("main").inner_text()
    assert "100" in body and "Passed" in body
    assert "45 CFR 164.506(c)(1)" in body  # the rules module's citation, quoted in the feedback
