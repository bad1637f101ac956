"""One trainee can neither read nor change another trainee's office: every id is looked up inside the
shift named in the URL, and the shift must be the requester's own."""

import pytest
from django.db import transaction
from django.urls import reverse

from simulations.models import ActionLog, Appointment, ChartEntry, Patient


@pytest.fixture
def as_trainee(client, trainee):
    client.force_login(trainee)
    return client


def test_another_trainees_shift_is_404_on_every_screen(as_trainee, other_shift):
    p = Patient.objects.for_shift(other_shift).first()
    a = Appointment.objects.for_shift(other_shift).first()
    for url in [
        reverse("office_home", args=[other_shift.pk]),
        reverse("office_calendar", args=[other_shift.pk]),
        reverse("office_patients", args=[other_shift.pk]) + "?name=Khan",
        reverse("office_chart", args=[other_shift.pk, p.pk]),
        reverse("office_appointment", args=[other_shift.pk, a.pk]),
    ]:
        assert as_trainee.get(url).status_code == 404, url
    assert not ActionLog.objects.for_shift(other_shift).exists()  # not even a chart view was logged


def test_own_shift_with_another_sandboxs_ids_is_404(as_trainee, shift, other_shift):
    """Tampering: the URL names my shift but a patient / appointment of someone else's sandbox."""
    p = Patient.objects.for_shift(other_shift).first()
    a = Appointment.objects.for_shift(other_shift).filter(status="booked").first()
    assert as_trainee.get(reverse("office_chart", args=[shift.pk, p.pk])).status_code == 404
    assert (
        as_trainee.post(reverse("office_chart", args=[shift.pk, p.pk]), {"action": "order", "text": "x"}).status_code
        == 404
    )
    assert as_trainee.get(reverse("office_appointment", args=[shift.pk, a.pk])).status_code == 404
    response = as_trainee.post(
        reverse("office_appointment", args=[shift.pk, a.pk]), {"action": "cancel", "reason": "x"}
    )
    assert response.status_code == 404
    a.refresh_from_db()
    assert a.status == "booked"


def test_a_tampered_booking_for_another_sandboxs_patient_is_404(as_trainee, shift, other_shift):
    p = Patient.objects.for_shift(other_shift).first()
    response = as_trainee.post(
        reverse("office_book", args=[shift.pk]),
        {"patient": p.pk, "provider": "okafor", "type": "follow-up", "date": "2026-04-08", "start": "09:00"},
    )
    assert response.status_code == 404
    assert not Appointment.objects.filter(patient=p, date="2026-04-08").exists()


def test_correcting_an_entry_of_another_sandbox_is_404(as_trainee, shift, other_shift):
    mine = Patient.objects.for_shift(shift).get(key=shift.variant["values"]["target"])
    theirs = ChartEntry.objects.for_shift(other_shift).first()
    response = as_trainee.post(
        reverse("office_chart", args=[shift.pk, mine.pk]),
        {"action": "correct", "entry": theirs.pk, "text": "x", "reason": "y"},
    )
    assert response.status_code == 404
    assert not ChartEntry.objects.filter(corrects=theirs).exists()


def test_submitting_or_resetting_another_trainees_shift_is_404(as_trainee, other_shift):
    assert as_trainee.post(reverse("office_submit", args=[other_shift.pk])).status_code == 404
    assert as_trainee.post(reverse("office_reset", args=[other_shift.pk])).status_code == 404
    other_shift.refresh_from_db()
    assert other_shift.status == "open"


def test_two_trainees_with_the_same_seed_have_separate_rows(shift, other_shift):
    mine = set(Patient.objects.for_shift(shift).values_list("pk", flat=True))
    theirs = set(Patient.objects.for_shift(other_shift).values_list("pk", flat=True))
    assert mine and theirs and not mine & theirs


def test_a_supervisor_of_another_cohort_cannot_replay(client, other_supervisor, shift):
    client.force_login(other_supervisor)
    assert client.get(reverse("office_replay", args=[shift.pk])).status_code == 404


def test_the_action_log_is_append_only(shift):
    from coursesite.audit.models import AppendOnlyError
    from simulations import services

    services.chart_open(shift=shift, patient=Patient.objects.for_shift(shift).first(), reason="")
    entry = ActionLog.objects.for_shift(shift).get()
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        ActionLog.objects.for_shift(shift).update(kind="x")
    with pytest.raises(AppendOnlyError):
        ActionLog.objects.for_shift(shift).delete()


def test_the_action_log_refuses_every_orm_path_that_changes_or_deletes(shift):
    from coursesite.audit.models import AppendOnlyError
    from simulations import services

    services.chart_open(shift=shift, patient=Patient.objects.for_shift(shift).first(), reason="item-1")
    entry = ActionLog.objects.for_shift(shift).get()
    entry.kind = "nothing_to_see"
    for attempt in (
        entry.save,
        entry.delete,
        lambda: ActionLog.objects.filter(pk=entry.pk).update(kind="x"),
        lambda: ActionLog.objects.filter(pk=entry.pk).delete(),
        lambda: ActionLog.objects.bulk_update([entry], ["kind"]),
    ):
        with pytest.raises(AppendOnlyError), transaction.atomic():  # a savepoint: bulk_update is atomic itself
            attempt()
    assert ActionLog.objects.get(pk=entry.pk).kind == "chart_view"
