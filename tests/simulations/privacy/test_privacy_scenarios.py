"""The privacy scenarios (H1, H2, H4): the worked solution passes every variant (test_scenarios.py); here a
typical wrong answer fails with the right critical error or feedback, citing the rule."""

from dataclasses import replace
from datetime import date

import pytest

from simulations import break_glass_services, incident_services, services
from simulations.models import Patient
from simulations.solutions import SOLUTIONS, _incident_data, patient
from tests.factories import make_simulation, seed_for_variant

JUSTIFICATION = "A treating physician needs the allergy list now; the care team cannot be reached."


def _start(course, trainee, key: str, variant: int):
    page = make_simulation(course, scenario=key, slug=f"{key}-{variant}")
    return services.shift_start(learner=trainee, page=page, seed=seed_for_variant(key, variant))


def _items(shift) -> dict:
    return {i["id"]: i for i in shift.result["items"]}


@pytest.mark.parametrize("variant", [0, 1])
def test_h1_opening_the_co_workers_patient_is_a_critical_error(office_course, trainee, variant):
    shift = _start(office_course, trainee, "h1-celebrity-chart", variant)
    SOLUTIONS["h1-celebrity-chart"](shift)
    d = patient(shift, shift.variant["values"]["d"])
    break_glass_services.break_glass_request(
        shift=shift, patient=d, reason="personal", justification="She asked me to check for her neighbour.",
        sections=["appointments"],
    )  # fmt: skip
    services.chart_open(shift=shift, patient=d, reason="break-glass")
    shift = services.shift_submit(shift=shift)
    assert shift.result["critical_errors"] == ["no-snooping", "glass-misused"]
    assert shift.score == 0 and not shift.passed
    items = _items(shift)
    assert "164.530(e)" in items["no-snooping"]["rule"] and "Critical" in items["no-snooping"]["feedback"]
    assert "164.312(a)(2)(ii)" in items["glass-misused"]["rule"]


def test_h1_even_a_plausible_emergency_reason_does_not_make_the_view_needed(office_course, trainee):
    shift = _start(office_course, trainee, "h1-celebrity-chart", 0)
    SOLUTIONS["h1-celebrity-chart"](shift)
    d = patient(shift, shift.variant["values"]["d"])
    break_glass_services.break_glass_request(
        shift=shift, patient=d, reason="emergency_treatment", justification=JUSTIFICATION, sections=["appointments"]
    )
    shift = services.shift_submit(shift=shift)
    assert shift.result["critical_errors"] == ["no-snooping"]


def test_h1_declining_without_reporting_loses_the_reporting_point_only(office_course, trainee):
    shift = _start(office_course, trainee, "h1-celebrity-chart", 1)
    p = patient(shift, shift.variant["values"]["target"])
    services.chart_open(shift=shift, patient=p, reason="item-1")
    services.identity_verify(shift=shift, patient=p, identifiers=["name", "dob"])
    services.document_file(shift=shift, patient=p, item_key="item-1")
    services.call_close(shift=shift, item_key="item-2", outcome="information", note="Declined: no work reason.")
    shift = services.shift_submit(shift=shift)
    failed = [i["id"] for i in shift.result["items"] if not i["passed"]]
    assert failed == ["reported"] and shift.passed  # 10 of 11 points


@pytest.mark.parametrize("variant", [0, 1])
def test_h2_a_reason_the_policy_rejects_is_a_critical_error(office_course, trainee, variant):
    shift = _start(office_course, trainee, "h2-break-the-glass", variant)
    d = patient(shift, shift.variant["values"]["d"])
    break_glass_services.break_glass_request(
        shift=shift, patient=d, reason="covering_queue", justification=JUSTIFICATION, sections=["entries"]
    )
    services.call_close(shift=shift, item_key="item-1", outcome="information", note="Gave the allergy list.")
    shift = services.shift_submit(shift=shift)
    items = _items(shift)
    assert shift.result["critical_errors"] == ["glass-misused"] and not shift.passed
    assert not items["glass"]["passed"] and "reassign" in items["glass"]["detail"]
    assert "164.312(a)(2)(ii)" in items["glass"]["rule"]


def test_h2_opening_more_than_the_emergency_needs_fails_the_scope_check(office_course, trainee):
    shift = _start(office_course, trainee, "h2-break-the-glass", 0)
    d = patient(shift, shift.variant["values"]["d"])
    break_glass_services.break_glass_request(
        shift=shift, patient=d, reason="emergency_treatment", justification=JUSTIFICATION,
        sections=["entries", "appointments", "billing"],
    )  # fmt: skip
    services.call_close(shift=shift, item_key="item-1", outcome="information", note="Gave the allergy list.")
    shift = services.shift_submit(shift=shift)
    items = _items(shift)
    assert not items["scope"]["passed"] and "appointments, billing" in items["scope"]["detail"]
    assert "164.308(a)(4)" in items["scope"]["rule"]
    assert shift.result["critical_errors"] == []


def test_h2_refusing_the_emergency_fails_the_glass_steps(office_course, trainee):
    shift = _start(office_course, trainee, "h2-break-the-glass", 1)
    services.call_close(shift=shift, item_key="item-1", outcome="message", note="Told them to call back tomorrow.")
    shift = services.shift_submit(shift=shift)
    items = _items(shift)
    assert not items["glass"]["passed"] and not items["notified"]["passed"] and not shift.passed


def test_h4_fax_concluding_no_breach_for_a_breach_is_a_critical_error(office_course, trainee):
    shift = _start(office_course, trainee, "h4-misdirected-fax", 1)
    incident_services.privacy_officer_notify(shift=shift, item_key="item-1", note="Fax misdirected.")
    data = _incident_data(shift, discovered="2026-04-07", individuals=1, residents=1, device="none", recipient="public")
    low = replace(
        data, nature_and_extent="low", recipient_risk="low", acquired_or_viewed="low", mitigation="low",
        individual_notice_by=None,
    )  # fmt: skip
    incident_services.incident_report_file(shift=shift, item_key="item-1", data=low)
    shift = services.shift_submit(shift=shift)
    items = _items(shift)
    assert shift.result["critical_errors"] == ["underreported"] and shift.score == 0
    assert not items["conclusion"]["passed"] and not items["deadlines"]["passed"]
    assert "164.404(a)" in items["underreported"]["rule"]


def test_h4_fax_the_send_date_is_not_the_discovery_date(office_course, trainee):
    shift = _start(office_course, trainee, "h4-misdirected-fax", 1)
    incident_services.privacy_officer_notify(shift=shift, item_key="item-1", note="Fax misdirected.")
    data = _incident_data(shift, discovered="2026-04-03", individuals=1, residents=1, device="none", recipient="public")
    incident_services.incident_report_file(
        shift=shift, item_key="item-1", data=replace(data, individual_notice_by=date(2026, 6, 2))
    )
    shift = services.shift_submit(shift=shift)
    items = _items(shift)
    assert not items["facts"]["passed"] and "discovered 04/03/2026, not 04/07/2026" in items["facts"]["detail"]
    assert not items["deadlines"]["passed"] and "164.404(b)" in items["deadlines"]["rule"]
    assert items["conclusion"]["passed"] and shift.result["critical_errors"] == []


def test_h4_fax_a_late_notice_date_fails_the_deadline_check(office_course, trainee):
    shift = _start(office_course, trainee, "h4-misdirected-fax", 1)
    data = _incident_data(shift, discovered="2026-04-07", individuals=1, residents=1, device="none", recipient="public")
    incident_services.incident_report_file(
        shift=shift, item_key="item-1", data=replace(data, individual_notice_by=date(2026, 6, 30))
    )
    shift = services.shift_submit(shift=shift)
    items = _items(shift)
    assert "later than the 60-day limit" in items["deadlines"]["detail"]
    assert not items["officer"]["passed"]


def test_h4_laptop_calling_an_unencrypted_laptop_encrypted_is_a_critical_error(office_course, trainee):
    shift = _start(office_course, trainee, "h4-lost-laptop", 2)
    values = shift.variant["values"]
    data = _incident_data(
        shift, discovered="2026-05-15", individuals=values["individuals"], residents=values["residents"],
        device="encrypted", recipient="unknown",
    )  # fmt: skip
    incident_services.incident_report_file(shift=shift, item_key="item-1", data=data)
    shift = services.shift_submit(shift=shift)
    items = _items(shift)
    assert shift.result["critical_errors"] == ["underreported"]
    assert "device “encrypted”, not “unencrypted”" in items["facts"]["detail"]


def test_h4_laptop_reporting_an_encrypted_laptop_as_a_breach_over_reports(office_course, trainee):
    shift = _start(office_course, trainee, "h4-lost-laptop", 0)
    values = shift.variant["values"]
    data = _incident_data(
        shift, discovered="2026-05-15", individuals=values["individuals"], residents=values["residents"],
        device="unencrypted", recipient="unknown",
    )  # fmt: skip
    data = replace(data, nature_and_extent="high", recipient_risk="high", acquired_or_viewed="high", mitigation="high")
    incident_services.incident_report_file(shift=shift, item_key="item-1", data=data)
    shift = services.shift_submit(shift=shift)
    items = _items(shift)
    assert not items["conclusion"]["passed"] and "74 FR 42740" in items["conclusion"]["rule"]
    assert shift.result["critical_errors"] == []  # over-reporting is wrong, not critical


def test_h4_laptop_large_unencrypted_breach_needs_hhs_and_media_notice(office_course, trainee):
    shift = _start(office_course, trainee, "h4-lost-laptop", 2)
    SOLUTIONS["h4-lost-laptop"](shift)
    report = shift.incident_reports.get()
    assert [(n["to"], n["due"], n["citation"]) for n in report.notifications] == [
        ("individuals", "2026-07-14", "45 CFR 164.404(b)"),
        ("hhs", "2026-07-14", "45 CFR 164.408(b)"),
        ("media", "2026-07-14", "45 CFR 164.406"),
    ]


def test_the_work_queue_leaves_other_scenarios_untouched(office_course, trainee):
    shift = _start(office_course, trainee, "h4-misdirected-fax", 0)
    services.chart_open(shift=shift, patient=Patient.objects.for_shift(shift).first(), reason="")


@pytest.mark.parametrize(("key", "variant"), [("h2-break-the-glass", 0), ("h4-lost-laptop", 2)])
def test_grading_a_privacy_shift_reads_its_rows_in_one_more_query(office_course, trainee, key, variant):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from simulations.selectors import grading_input

    other = _start(office_course, trainee, "s2-follow-up-two-weeks", 0)
    with CaptureQueriesContext(connection) as plain:
        assert grading_input(shift=other).privacy == {"reports": {}, "grants": []}  # no privacy queries
    shift = _start(office_course, trainee, key, variant)
    SOLUTIONS[key](shift)
    with CaptureQueriesContext(connection) as privacy:
        g = grading_input(shift=shift)
    assert len(privacy.captured_queries) == len(plain.captured_queries) + 1  # its grants or its reports
    assert g.privacy["grants"] or g.privacy["reports"]
