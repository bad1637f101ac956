"""A practice-office shift in a real browser: from the inbox to the graded, rule-citing result."""

import re

import pytest

from tests.e2e.test_journeys import log_in
from tests.factories import make_course, make_simulation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_trainee_enters_a_faxed_order_verbatim_and_passes_the_shift(page, trainee):
    course = make_course(lessons=0, slug="office-course")
    step = make_simulation(course, scenario="c1-transcribe-order", slug="enter-an-order")
    log_in(page, trainee.email)
    page.wait_for_url("**/training/")
    page.goto(step.url)
    page.get_by_role("button", name="Start the shift").click()

    # The inbox: read the fax for the patient's name, date of birth and the order, word for word.
    page.wait_for_url("**/office/shifts/**")
    fax = page.locator(".inbox-text").first.inner_text()
    name = re.search(r"Patient: (.+?)\s+DOB:", fax).group(1).strip()
    dob = re.search(r"DOB: (\d\d)/(\d\d)/(\d{4})", fax)
    order = re.search(r"Order: (.+)", fax).group(1).strip()

    # Find the patient by name AND date of birth; look-alikes are listed too.
    page.get_by_role("link", name="Find a patient").click()
    page.get_by_label("Name (any part)").fill(name.split()[-1])
    page.get_by_label("Date of birth").fill(f"{dob.group(3)}-{dob.group(1)}-{dob.group(2)}")
    page.get_by_role("button", name="Search").click()
    born = f"{dob.group(1)}/{dob.group(2)}/{dob.group(3)}"
    page.get_by_role("link", name=f"Open chart of {name} ({born})", exact=True).click()

    page.get_by_label("Order, exactly as written").fill(order)
    page.get_by_role("button", name="Enter order").click()
    page.get_by_role("link", name="Inbox").click()
    page.get_by_role("button", name="Submit the shift for grading").click()

    page.wait_for_url("**/result/")
    body = page.locator("main").inner_text()
    assert "100" in body and "Passed" in body
    assert "45 CFR 164.502(b)" in body  # every check cites its rule
