"""Incident reports (H4): the report screen files the facts and the four-factor assessment, the office
computes the conclusion and the notice deadlines (breach.py), and bad input changes nothing."""

from datetime import date

import pytest
from django.urls import reverse

from coursesite.audit.models import AuditEvent
from simulations import incident_services, services
from simulations.incident_services import IncidentData
from simulations.models import ActionLog, IncidentReport
from simulations.services import OfficeActionError
from tests.factories import make_simulation, seed_for_variant


@pytest.fixture
def fax_shift(office_course, trainee):
    page = make_simulation(office_course, scenario="h4-misdirected-fax", slug="h4")
    return services.shift_start(learner=trainee, page=page, seed=seed_for_variant("h4-misdirected-fax", 1))


@pytest.fixture
def as_trainee(client, trainee):
    client.force_login(trainee)
    return client


BREACH = {
    "what_happened": "Lab report faxed to a local business.",
    "occurred_on": "2026-04-03",
    "discovered_on": "2026-04-07",
    "phi_elements": ["name", "dob", "results"],
    "individuals": "1",
    "residents_of_one_state": "1",
    "device": "none",
    "recipient": "public",
    "nature_and_extent": "high",
    "recipient_risk": "high",
    "acquired_or_viewed": "high",
    "mitigation": "high",
    "exception": "",
    "individual_notice_by": "2026-04-20",
}


def _url(shift, item="item-1"):
    return reverse("office_incident", args=[shift.pk, item])


def test_the_inbox_links_the_incident_report(as_trainee, fax_shift):
    body = as_trainee.get(reverse("office_home", args=[fax_shift.pk])).content.decode()
    assert "Privacy incident" in body and _url(fax_shift) in body


def test_filing_a_report_computes_the_conclusion_and_deadlines_and_is_logged_and_audited(as_trainee, fax_shift):
    response = as_trainee.post(_url(fax_shift), BREACH)
    assert response.status_code == 302
    report = IncidentReport.objects.for_shift(fax_shift).get()
    assert report.conclusion == "breach" and report.individual_notice_by == date(2026, 4, 20)
    assert [(n["to"], n["due"]) for n in report.notifications] == [
        ("individuals", "2026-06-06"),
        ("hhs", "2027-03-01"),
    ]
    log = ActionLog.objects.for_shift(fax_shift).get(kind="incident_reported")
    assert log.target == "inbox:item-1" and log.after["conclusion"] == "breach"
    audit = AuditEvent.objects.get(action="incident_reported")
    assert audit.target == f"simulations.incidentreport:{report.pk}" and audit.detail["conclusion"] == "breach"
    page = as_trainee.get(_url(fax_shift)).content.decode()
    assert "2026-06-06" in page and "45 CFR 164.404(b)" in page and "164.408(c)" in page


def test_all_four_factors_low_documents_a_low_probability_and_no_notice(as_trainee, fax_shift):
    low = {**BREACH, "recipient": "covered_entity", "returned_or_destroyed": "on", "individual_notice_by": ""}
    low.update(nature_and_extent="low", recipient_risk="low", acquired_or_viewed="low", mitigation="low")
    as_trainee.post(_url(fax_shift), low)
    report = IncidentReport.objects.for_shift(fax_shift).get()
    assert report.conclusion == "low_probability" and report.notifications == []
    assert "No notification is required" in as_trainee.get(_url(fax_shift)).content.decode()


def test_an_encrypted_device_is_secured_phi_not_a_breach(fax_shift):
    data = IncidentData(
        what_happened="Laptop lost.", discovered_on=date(2026, 4, 7), individuals=700, residents_of_one_state=650,
        device="encrypted", recipient="unknown", nature_and_extent="high", recipient_risk="high",
        acquired_or_viewed="high", mitigation="high", phi_elements=["name"],
    )  # fmt: skip
    report = incident_services.incident_report_file(shift=fax_shift, item_key="item-1", data=data)
    assert report.conclusion == "secured" and report.notifications == []


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"discovered_on": "2026-04-09"}, "cannot be after today in the office"),
        ({"occurred_on": "2026-04-08", "discovered_on": "2026-04-07"}, "cannot have happened after it was discovered"),
        ({"individuals": "-3"}, "greater than or equal to 1"),
        ({"individuals": "0"}, "greater than or equal to 1"),
        ({"residents_of_one_state": "-1"}, "greater than or equal to 0"),
        ({"residents_of_one_state": "5"}, "more than the individuals involved"),
        ({"phi_elements": []}, "This field is required"),
        ({"phi_elements": ["name", "horoscope"]}, "Select a valid choice"),
        ({"nature_and_extent": "medium"}, "Select a valid choice"),
        ({"individual_notice_by": "2026-04-01"}, "cannot be before the incident was discovered"),
        ({"discovered_on": "not a date"}, "Enter a valid date"),
    ],
)
def test_bad_input_gets_a_clear_message_and_changes_nothing(as_trainee, fax_shift, change, message):
    response = as_trainee.post(_url(fax_shift), {**BREACH, **change})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not IncidentReport.objects.exists()
    assert not ActionLog.objects.for_shift(fax_shift).exists()
    assert not AuditEvent.objects.filter(action="incident_reported").exists()


def test_a_filed_report_is_final(as_trainee, fax_shift):
    as_trainee.post(_url(fax_shift), BREACH)
    response = as_trainee.post(_url(fax_shift), {**BREACH, "individuals": "9"})
    assert response.status_code == 400 and "filed already" in response.content.decode()
    assert IncidentReport.objects.get().individuals == 1


def test_a_tampered_item_key_is_404_and_the_service_refuses_it(as_trainee, fax_shift):
    assert as_trainee.get(_url(fax_shift, "item-9")).status_code == 404
    assert as_trainee.post(_url(fax_shift, "item-9"), BREACH).status_code == 404
    with pytest.raises(OfficeActionError, match="not in the inbox"):
        incident_services.incident_report_file(
            shift=fax_shift, item_key="item-9", data=IncidentData(**{**_data(), "individuals": 1})
        )
    assert not IncidentReport.objects.exists()


def _data() -> dict:
    return {
        "what_happened": "x", "discovered_on": date(2026, 4, 7), "individuals": 1, "device": "none",
        "recipient": "public", "nature_and_extent": "high", "recipient_risk": "high", "acquired_or_viewed": "high",
        "mitigation": "high", "phi_elements": ["name"],
    }  # fmt: skip


def test_routing_to_the_privacy_officer_is_logged_and_audited(as_trainee, fax_shift):
    url = reverse("office_privacy_officer", args=[fax_shift.pk])
    response = as_trainee.post(url, {"item": "item-1", "note": "Fax went to Quick Lube."})
    assert response.status_code == 302 and response["Location"] == _url(fax_shift)
    log = ActionLog.objects.for_shift(fax_shift).get()
    assert log.kind == "privacy_officer_notified" and log.target == "inbox:item-1"
    assert AuditEvent.objects.filter(action="privacy_officer_notified").count() == 1


@pytest.mark.parametrize("data", [{"item": "item-1", "note": "  "}, {"item": "item-7", "note": "x"}, {}])
def test_routing_with_no_note_or_a_tampered_item_changes_nothing(as_trainee, fax_shift, data):
    url = reverse("office_privacy_officer", args=[fax_shift.pk])
    response = as_trainee.post(url, data, follow=True)
    assert "privacy officer" in response.content.decode() or "does not exist" in response.content.decode()
    assert not ActionLog.objects.for_shift(fax_shift).exists()


def test_another_trainees_incident_screens_are_404(client, other_trainee, fax_shift):
    client.force_login(other_trainee)
    assert client.get(_url(fax_shift)).status_code == 404
    assert client.post(_url(fax_shift), BREACH).status_code == 404
    assert (
        client.post(reverse("office_privacy_officer", args=[fax_shift.pk]), {"item": "item-1", "note": "x"}).status_code
        == 404
    )
    assert not IncidentReport.objects.exists() and not ActionLog.objects.for_shift(fax_shift).exists()


def test_a_submitted_shift_refuses_a_report(as_trainee, fax_shift):
    services.shift_submit(shift=fax_shift)
    response = as_trainee.post(_url(fax_shift), BREACH)
    assert response.status_code == 400 and "has been submitted" in response.content.decode()
    assert not IncidentReport.objects.exists()


def test_the_incident_screen_runs_a_bounded_number_of_queries(as_trainee, fax_shift, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        assert as_trainee.get(_url(fax_shift)).status_code == 200
    as_trainee.post(_url(fax_shift), BREACH)
    with django_assert_max_num_queries(10):
        assert as_trainee.get(_url(fax_shift)).status_code == 200
