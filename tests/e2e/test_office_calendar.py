"""A recurring series in a real browser, by keyboard: preview, see the conflicts, confirm, pass."""

import re

import pytest

from tests.e2e.test_journeys import log_in
from tests.factories import make_course, make_simulation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_trainee_books_a_weekly_series_around_a_holiday_and_a_block_by_keyboard(page, trainee):
    course = make_course(lessons=0, slug="office-course")
    step = make_simulation(course, scenario="s7-recurring-series", slug="allergy-series")
    log_in(page, trainee.email)
    page.wait_for_url("**/training/")
    page.goto(step.url)
    page.get_by_role("button", name="Start the shift").click()

    page.wait_for_url("**/office/shifts/**")
    order = page.locator(".inbox-text").first.inner_text()
    found = re.search(
        r"From (Dr\. [^:]+): please book (.+?) \(DOB (\d\d)/(\d\d)/(\d{4})\).*week of (\d\d)/(\d\d)/(\d{4}), \w+s at (\d\d:\d\d)",
        order,
    )
    provider, name, month, day, year, first_m, first_d, first_y, at = found.groups()
    page.get_by_role("link", name="Find a patient").click()
    page.get_by_label("Name (any part)").fill(name.split()[-1])
    page.get_by_label("Date of birth").fill(f"{year}-{month}-{day}")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name=f"Open chart of {name} ({month}/{day}/{year})", exact=True).click()
    page.get_by_role("link", name=f"Book an appointment for {name}").click()
    page.get_by_role("link", name="Book a recurring series").click()

    page.get_by_label("Provider").select_option(label=provider)
    page.get_by_label("Appointment type").select_option(label="Allergy injection (nurse visit) (15 min)")
    page.get_by_label("First date").fill(f"{first_y}-{first_m}-{first_d}")
    page.get_by_label("Time").fill(at)
    page.get_by_label("Number of visits").fill("6")
    page.get_by_role("button", name="Preview the series").focus()
    page.keyboard.press("Enter")

    table = page.get_by_role("table")
    table.wait_for()
    text = table.inner_text()
    assert "Office holiday" in text and "Provider block" in text
    assert table.get_by_role("columnheader", name="Suggested alternative").count() == 1
    page.get_by_role("button", name="Confirm and book 6 visits").focus()
    page.keyboard.press("Enter")

    page.wait_for_url("**/series/**")
    assert page.get_by_role("table").locator("tbody tr").count() == 6
    page.get_by_role("link", name="Inbox").click()
    page.get_by_role("button", name="Submit the shift for grading").click()
    page.wait_for_url("**/result/")
    body = page.locator("main").inner_text()
    assert "100" in body and "Passed" in body
