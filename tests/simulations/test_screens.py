"""The office's screens through the test client: each renders, acts through its service, and says why
when the office refuses."""

from datetime import date

import pytest
from django.urls import reverse

from coursesite.progress.models import Completion
from simulations.models import ActionLog, Appointment, ChartEntry, Patient, Shift


@pytest.fixture
def as_trainee(client, trainee):
    client.force_login(trainee)
    return client


def target(shift) -> Patient:
    return Patient.objects.for_shift(shift).get(key=shift.variant["values"]["target"])


def test_simulation_step_starts_a_shift_and_resumes_it(as_trainee, sim_page, trainee):
    response = as_trainee.get(sim_page.url)
    assert response.status_code == 200
    assert b"Start the shift" in response.content
    response = as_trainee.post(sim_page.url)
    shift = Shift.objects.get(learner=trainee)
    assert response["Location"] == reverse("office_home", args=[shift.pk])
    as_trainee.post(sim_page.url)
    assert Shift.objects.filter(learner=trainee).count() == 1
    assert b"Continue your shift" in as_trainee.get(sim_page.url).content


def test_simulation_step_sends_anonymous_visitors_to_log_in(client, sim_page):
    response = client.get(sim_page.url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_inbox_shows_the_brief_and_this_shifts_variant(as_trainee, shift):
    response = as_trainee.get(reverse("office_home", args=[shift.pk]))
    assert response.status_code == 200
    assert target(shift).first_name in response.content.decode()
    assert "Office time" in response.content.decode()


def test_closing_a_call_from_the_inbox_is_logged(as_trainee, shift):
    url = reverse("office_home", args=[shift.pk])
    assert "Close this call" in as_trainee.get(url).content.decode()
    assert as_trainee.post(url, {"item": "item-1", "outcome": "booked", "note": ""}).status_code == 400
    assert as_trainee.post(url, {"item": "nope", "outcome": "booked", "note": "x"}).status_code == 400
    assert as_trainee.post(url, {"item": "item-1", "outcome": "booked", "note": "Booked follow-up"}).status_code == 302
    entry = ActionLog.objects.for_shift(shift).get(kind="call_closed")
    assert entry.target == "inbox:item-1" and entry.after["outcome"] == "booked"


def test_calendar_day_lists_each_providers_appointments(as_trainee, shift):
    appt = Appointment.objects.for_shift(shift).filter(date=date(2026, 3, 10)).select_related("patient").first()
    response = as_trainee.get(reverse("office_calendar", args=[shift.pk]), {"date": "2026-03-10"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Dr. Adaeze Okafor" in body and appt.patient.last_name in body
    wednesday = as_trainee.get(reverse("office_calendar", args=[shift.pk]), {"date": "2026-03-11"})
    assert "Not working this day" in wednesday.content.decode()  # Dr. Lindqvist does not work on Wednesdays


def test_next_open_slot_is_found_and_offered_for_booking(as_trainee, shift):
    p = target(shift)
    response = as_trainee.get(
        reverse("office_calendar", args=[shift.pk]),
        {"patient": p.pk, "find_provider": "okafor", "find_type": "new-patient"},
    )
    assert response.status_code == 200
    assert "First open slot" in response.content.decode()
    assert "Book this slot" in response.content.decode()


def test_week_view_shows_five_days(as_trainee, shift):
    response = as_trainee.get(reverse("office_week", args=[shift.pk]), {"provider": "lindqvist", "date": "2026-03-10"})
    assert response.status_code == 200
    assert response.content.decode().count('id="day-') == 5


def test_booking_through_the_form_and_refusal_messages(as_trainee, shift):
    p = target(shift)
    url = reverse("office_book", args=[shift.pk])
    assert as_trainee.get(url, {"patient": p.pk}).status_code == 200
    bad = as_trainee.post(
        url, {"patient": p.pk, "provider": "okafor", "type": "new-patient", "date": "2026-03-11", "start": "13:00"}
    )
    assert bad.status_code == 400
    assert "morning only" in bad.content.decode() and "lunch" not in bad.content.decode()
    good = as_trainee.post(
        url,
        {
            "patient": p.pk,
            "provider": "whitfield",
            "type": "counseling-session",
            "date": "2026-04-08",
            "start": "17:00",
        },
    )
    assert good.status_code == 400 and "prior-authorization" in good.content.decode()
    response = as_trainee.post(
        url,
        {"patient": p.pk, "provider": "whitfield", "type": "counseling-session", "date": "2026-04-08",
         "start": "17:00", "auth_number": "PA-123"},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode().split("messages")[1][:600]
    assert Appointment.objects.for_shift(shift).filter(patient=p, type_key="counseling-session").exists()


def test_cancel_and_mark_appointment(as_trainee, shift):
    appt = Appointment.objects.for_shift(shift).filter(date=date(2026, 3, 10), status="booked").first()
    url = reverse("office_appointment", args=[shift.pk, appt.pk])
    assert as_trainee.get(url).status_code == 200
    assert as_trainee.post(url, {"action": "cancel", "reason": ""}).status_code == 400
    assert as_trainee.post(url, {"action": "cancel", "late": "on", "reason": "Sick"}).status_code == 302
    appt.refresh_from_db()
    assert appt.status == "cancelled_late"
    other = Appointment.objects.for_shift(shift).filter(date=date(2026, 3, 10), status="booked").first()
    as_trainee.post(reverse("office_appointment", args=[shift.pk, other.pk]), {"action": "arrived"})
    other.refresh_from_db()
    assert other.status == "arrived"


def test_future_appointment_cannot_be_a_no_show(as_trainee, shift):
    appt = Appointment.objects.for_shift(shift).filter(date__gt=date(2026, 3, 10), status="booked").first()
    response = as_trainee.post(reverse("office_appointment", args=[shift.pk, appt.pk]), {"action": "noshow"})
    assert response.status_code == 400 and "future" in response.content.decode()


def test_patient_search_lists_look_alikes_and_is_logged(as_trainee, shift):
    response = as_trainee.get(reverse("office_patients", args=[shift.pk]), {"name": "Khan"})
    body = response.content.decode()
    assert "Aisha" in body and "Ayesha" in body and "02/29/1992" in body
    assert ActionLog.objects.for_shift(shift).filter(kind="patient_search").count() == 1
    response = as_trainee.get(reverse("office_patients", args=[shift.pk]), {"name": "Khan", "dob": "1992-02-29"})
    assert "2 matches" in response.content.decode()


def test_registering_a_patient(as_trainee, shift):
    url = reverse("office_register", args=[shift.pk])
    assert as_trainee.get(url).status_code == 200
    data = {"first_name": "Ana", "last_name": "Ruiz", "dob": "1990-01-02", "sex": "F", "phone": "(555) 010-1111",
            "address": "1 A St", "primary-payer_key": "bluepine", "primary-member_id": "",
            "primary-group_number": "G1", "primary-relationship": "self"}  # fmt: skip
    response = as_trainee.post(url, data)
    assert response.status_code == 400 and "member ID" in response.content.decode()
    assert not Patient.objects.for_shift(shift).filter(last_name="Ruiz").exists()
    response = as_trainee.post(url, {**data, "primary-member_id": "BL1"})
    assert response.status_code == 302
    ruiz = Patient.objects.for_shift(shift).get(last_name="Ruiz")
    assert ruiz.registered_in_shift
    [coverage] = ruiz.coverages.all()
    assert (coverage.rank, coverage.payer_key, coverage.member_id) == (1, "bluepine", "BL1")
    assert (coverage.subscriber_last_name, coverage.subscriber_dob, coverage.subscriber_sex) == ("Ruiz", ruiz.dob, "F")


def test_chart_open_is_logged_with_its_reason(as_trainee, shift):
    p = target(shift)
    response = as_trainee.get(reverse("office_chart", args=[shift.pk, p.pk]), {"reason": "item-1"})
    assert response.status_code == 200
    assert "Return visit in 2 weeks" in response.content.decode()
    log = ActionLog.objects.for_shift(shift).get(kind="chart_view")
    assert log.patient_key == p.key and log.after == {"reason": "item-1"}


def test_filing_a_fax_from_the_chart(client, trainee, office_course):
    from simulations import services
    from tests.factories import make_simulation

    page = make_simulation(office_course, scenario="c5-file-lab-report", slug="c5")
    shift = services.shift_start(learner=trainee, page=page, seed="x")
    client.force_login(trainee)
    url = reverse("office_chart", args=[shift.pk, target(shift).pk])
    assert "File an inbox document" in client.get(url).content.decode()
    assert client.post(url, {"action": "file", "item": "nope"}).status_code == 400
    assert client.post(url, {"action": "file", "item": "item-1"}).status_code == 302
    assert "Filed document" in client.get(url).content.decode()
    assert ActionLog.objects.for_shift(shift).get(kind="document_filed").patient_key == target(shift).key


def test_chart_actions_verify_order_query_correct_edit(as_trainee, shift):
    p = target(shift)
    url = reverse("office_chart", args=[shift.pk, p.pk])
    assert as_trainee.post(url, {"action": "verify", "identifiers": ["name"]}).status_code == 400
    assert as_trainee.post(url, {"action": "verify", "identifiers": ["name", "dob"]}).status_code == 302
    assert as_trainee.post(url, {"action": "order", "text": "Ibuprofen 200 mg"}).status_code == 302
    assert as_trainee.post(url, {"action": "query", "question": "Which strength?"}).status_code == 302
    assert as_trainee.post(url, {"action": "contact", "channel": "fax", "note": "x"}).status_code == 400
    assert as_trainee.post(url, {"action": "contact", "channel": "letter", "note": "Asked to call"}).status_code == 302
    order = ChartEntry.objects.for_shift(shift).get(kind="order", by_trainee=True)
    assert as_trainee.post(url, {"action": "correct", "entry": order.pk, "text": "x", "reason": ""}).status_code == 400
    response = as_trainee.post(
        url, {"action": "correct", "entry": order.pk, "text": "Ibuprofen 400 mg", "reason": "typo"}
    )
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.text == "Ibuprofen 200 mg"  # the original is kept
    page = as_trainee.get(url).content.decode()
    assert "Ibuprofen 200 mg" in page and "Ibuprofen 400 mg" in page and "Reason: typo" in page
    seeded = ChartEntry.objects.for_shift(shift).get(key="order")
    response = as_trainee.post(url, {"action": "edit", "entry": seeded.pk, "text": "changed"})
    assert response.status_code == 400 and "only edit entries you made" in response.content.decode()
    assert as_trainee.post(url, {"action": "bogus"}).status_code == 400
    kinds = list(ActionLog.objects.for_shift(shift).values_list("kind", flat=True))
    assert kinds.count("identity_verified") == 1 and "order_entered" in kinds and "physician_queried" in kinds
    assert "patient_contacted" in kinds


def test_submit_grades_records_completion_and_closes_the_office(as_trainee, shift, trainee, sim_page):
    response = as_trainee.post(reverse("office_submit", args=[shift.pk]))
    assert response["Location"] == reverse("office_result", args=[shift.pk])
    result = as_trainee.get(reverse("office_result", args=[shift.pk]))
    assert result.status_code == 200 and "Not passed" in result.content.decode()
    assert "NPSG.01.01.01" in result.content.decode()
    completion = Completion.objects.get(learner=trainee, step=sim_page)
    assert completion.passed is False and completion.score == shift.__class__.objects.get(pk=shift.pk).score
    # The submitted office is read only.
    p = target(shift)
    response = as_trainee.post(reverse("office_chart", args=[shift.pk, p.pk]), {"action": "order", "text": "x"})
    assert response.status_code == 400 and "submitted" in response.content.decode()
    assert as_trainee.post(reverse("office_submit", args=[shift.pk])).status_code == 302
    assert Completion.objects.get(learner=trainee, step=sim_page).attempts == 1


def test_result_page_of_an_open_shift_goes_to_the_inbox(as_trainee, shift):
    response = as_trainee.get(reverse("office_result", args=[shift.pk]))
    assert response["Location"] == reverse("office_home", args=[shift.pk])


def test_reset_starts_a_fresh_shift_and_keeps_the_old_for_replay(as_trainee, shift, trainee):
    as_trainee.post(reverse("office_chart", args=[shift.pk, target(shift).pk]), {"action": "order", "text": "x"})
    response = as_trainee.post(reverse("office_reset", args=[shift.pk]))
    new = Shift.objects.get(learner=trainee, status="open")
    assert response["Location"] == reverse("office_home", args=[new.pk])
    assert new.pk != shift.pk and new.number == 2 and new.seed != shift.seed
    assert not ChartEntry.objects.for_shift(new).filter(by_trainee=True).exists()
    shift.refresh_from_db()
    assert shift.status == "reset" and ActionLog.objects.for_shift(shift).exists()


def test_supervisor_replays_the_log_of_their_trainee(client, supervisor, shift, trainee):
    as_log = client
    as_log.force_login(trainee)
    as_log.get(reverse("office_chart", args=[shift.pk, target(shift).pk]))
    client.force_login(supervisor)
    response = client.get(reverse("office_replay", args=[shift.pk]))
    assert response.status_code == 200
    assert "chart_view" in response.content.decode() and shift.seed in response.content.decode()
