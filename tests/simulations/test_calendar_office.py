"""Recurring series and provider blocks in a shift: the services, the screens, and the S7/S8 grading."""

from datetime import date, time

import pytest
from django.urls import reverse

from simulations import calendar_services, services
from simulations.calendar_selectors import appointments_in_block, move_options, series_preview
from simulations.models import ActionLog, Appointment, AppointmentSeries, ProviderBlock, SeriesOccurrence
from simulations.services import OfficeActionError
from simulations.solutions import SOLUTIONS, book_next, patient, series_confirmable
from tests.factories import make_simulation, seed_for_variant

S7, S8 = "s7-recurring-series", "s8-provider-block"


def _start(course, learner, key: str, variant: int = 0):
    page = make_simulation(course, scenario=key, slug=f"{key}-{variant}-{learner.pk}")
    return services.shift_start(learner=learner, page=page, seed=seed_for_variant(key, variant))


@pytest.fixture
def s7(office_course, trainee):
    return _start(office_course, trainee, S7, 0)  # Dr. Okafor, Mondays 10:00 from 11 May


@pytest.fixture
def s8(office_course, trainee):
    return _start(office_course, trainee, S8, 0)  # Dr. Okafor's vacation, Thursday 19 March


@pytest.fixture
def as_trainee(client, trainee):
    client.force_login(trainee)
    return client


def _series_args(shift, **kw):
    values = shift.variant["values"]
    return {
        "provider_key": values["provider"], "type_key": "allergy-injection", "frequency": "weekly", "interval": 1,
        "count": 6, "first_day": date.fromisoformat(values["first"]), "start": time.fromisoformat(values["time"]),
    } | kw  # fmt: skip


def _counts(shift) -> tuple[int, int, int, int]:
    return (
        Appointment.objects.for_shift(shift).count(),
        AppointmentSeries.objects.for_shift(shift).count(),
        ProviderBlock.objects.for_shift(shift).count(),
        ActionLog.objects.for_shift(shift).count(),
    )


# ---- series: services ----------------------------------------------------------------------------


def test_the_s7_preview_flags_the_holiday_the_block_and_the_taken_slot(s7):
    p = patient(s7, s7.variant["values"]["target"])
    plan = series_preview(shift=s7, patient=p, **_series_args(s7))
    kinds = {row.day: row.kinds for row in plan if not row.ok}
    assert kinds[date(2026, 5, 25)] == ["Office holiday"]
    assert kinds[date(2026, 6, 1)] == ["Double booking"]
    assert kinds[date(2026, 6, 8)] == ["Provider block"]
    assert all(row.suggestion for row in plan if not row.ok)


def test_booking_a_series_links_and_logs_every_visit(s7):
    p = patient(s7, s7.variant["values"]["target"])
    args = _series_args(s7)
    occurrences = series_confirmable(
        s7, p, provider=args["provider_key"], type_key="allergy-injection", first_day=args["first_day"],
        start=args["start"], count=6,
    )  # fmt: skip
    series = calendar_services.series_book(shift=s7, patient=p, occurrences=occurrences, **args)
    links = list(SeriesOccurrence.objects.for_shift(s7).filter(series=series).select_related("appointment"))
    assert [link.number for link in links] == [1, 2, 3, 4, 5, 6]
    assert [(link.appointment.date, link.appointment.start) for link in links] == occurrences
    log = list(ActionLog.objects.for_shift(s7).filter(kind__in=["appointment_booked", "series_booked"]))
    assert [e.kind for e in log] == ["appointment_booked"] * 6 + ["series_booked"]
    assert log[-1].after["count"] == 6 and {3, 4, 5} <= set(log[-1].after["moved"])  # holiday, taken, block


@pytest.mark.parametrize("count", [0, 53])
def test_a_series_count_out_of_range_changes_nothing(s7, count):
    p = patient(s7, s7.variant["values"]["target"])
    before = _counts(s7)
    with pytest.raises(OfficeActionError, match="between 1 and 52"):
        calendar_services.series_book(shift=s7, patient=p, occurrences=[], **_series_args(s7, count=count))
    assert _counts(s7) == before


def test_a_series_starting_in_the_past_is_refused(s7):
    p = patient(s7, s7.variant["values"]["target"])
    first = date(2026, 5, 4)
    with pytest.raises(OfficeActionError, match="cannot start in the past"):
        calendar_services.series_book(
            shift=s7, patient=p, occurrences=[(first, time(10, 0))], **_series_args(s7, count=1, first_day=first)
        )


def test_a_visit_moved_out_of_its_week_or_onto_a_holiday_is_refused_and_nothing_is_booked(s7):
    p = patient(s7, s7.variant["values"]["target"])
    args = _series_args(s7)
    good = series_confirmable(s7, p, provider="okafor", type_key="allergy-injection", first_day=args["first_day"],
                              start=args["start"], count=6)  # fmt: skip
    before = _counts(s7)
    next_week = [*good[:2], (date(2026, 6, 2), time(10, 0)), *good[3:]]
    with pytest.raises(OfficeActionError, match="must stay in the week of 25 May"):
        calendar_services.series_book(shift=s7, patient=p, occurrences=next_week, **args)
    on_holiday = [*good[:2], (date(2026, 5, 25), time(10, 0)), *good[3:]]
    with pytest.raises(OfficeActionError) as refused:
        calendar_services.series_book(shift=s7, patient=p, occurrences=on_holiday, **args)
    assert "Occurrence 3 (Mon 25 May 10:00): The office is closed" in refused.value.messages[0]
    assert _counts(s7) == before


def test_cancelling_the_rest_of_a_series_leaves_the_earlier_visits(s7):
    SOLUTIONS[S7](s7)
    series = AppointmentSeries.objects.for_shift(s7).get()
    fourth = Appointment.objects.for_shift(s7).get(series_link__series=series, series_link__number=4)
    assert calendar_services.series_cancel_rest(shift=s7, appointment=fourth, reason="Moving away") == 3
    statuses = list(
        Appointment.objects.for_shift(s7).filter(series_link__series=series).order_by("series_link__number")
        .values_list("status", flat=True)
    )  # fmt: skip
    assert statuses == ["booked"] * 3 + ["cancelled"] * 3
    assert ActionLog.objects.for_shift(s7).filter(kind="series_cancelled").get().after["from_number"] == 4


def test_a_single_booking_inside_a_block_is_refused_with_the_reason(s7):
    p = patient(s7, s7.variant["values"]["target"])
    with pytest.raises(OfficeActionError, match=r"blocked Mon 08 Jun \(all day\) \(Training\)"):
        services.appointment_book(
            shift=s7, patient=p, provider_key="okafor", type_key="allergy-injection", day=date(2026, 6, 8),
            start=time(9, 0),
        )  # fmt: skip


# ---- blocks: services ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "last", "start", "end", "message"),
    [
        (date(2026, 3, 20), date(2026, 3, 19), None, None, "last day must be on or after"),
        (date(2026, 3, 20), date(2026, 3, 20), time(11, 0), time(10, 0), "end time must be after"),
        (date(2026, 3, 20), date(2026, 3, 20), time(11, 0), None, "both a start and an end"),
        (date(2026, 3, 9), date(2026, 3, 9), None, None, "cannot start in the past"),
        (date(2026, 3, 10), date(2026, 3, 10), time(8, 0), time(8, 30), "cannot start in the past"),
    ],
)
def test_a_bad_block_is_refused_with_a_clear_message_and_changes_nothing(s8, first, last, start, end, message):
    before = _counts(s8)
    with pytest.raises(OfficeActionError, match=message):
        calendar_services.block_add(
            shift=s8, provider_key="okafor", first_day=first, last_day=last, start=start, end=end, reason="meeting"
        )
    assert _counts(s8) == before


def test_entering_a_block_logs_the_patients_it_falls_on(s8):
    block = calendar_services.block_add(
        shift=s8, provider_key="okafor", first_day=date(2026, 3, 18), last_day=date(2026, 3, 18),
        start=time(15, 0), end=time(17, 0), reason="meeting", note="Staff meeting",
    )  # fmt: skip
    entry = ActionLog.objects.for_shift(s8).get(kind="block_added")
    assert entry.target == f"block:{block.pk}" and entry.after["reason"] == "meeting"
    outside = Appointment.objects.for_shift(s8).get(key="outside")  # Wednesday 16:00 with Dr. Okafor
    assert outside.pk in entry.after["affected"]


def test_moving_and_cancelling_out_of_a_block_record_the_notice(s8):
    block = ProviderBlock.objects.for_shift(s8).get(key="block")
    first, *_, last = appointments_in_block(shift=s8, block=block)
    option = move_options(shift=s8, appointment=first)[0]
    moved = calendar_services.block_appointment_move(
        shift=s8, block=block, appointment=first, provider_key=option.provider_key, day=option.day,
        start=option.start, channel="letter", notice="Your visit has moved.",
    )  # fmt: skip
    calendar_services.block_appointment_cancel(
        shift=s8, block=block, appointment=last, channel="phone", notice="Called: visit cancelled."
    )
    first.refresh_from_db()
    last.refresh_from_db()
    assert first.status == last.status == "cancelled"
    assert (moved.date, moved.start, moved.status) == (option.day, option.start, "booked")
    kinds = list(ActionLog.objects.for_shift(s8).values_list("kind", flat=True))
    assert kinds == [
        "appointment_cancelled", "appointment_booked", "patient_contacted", "block_appointment_moved",
        "appointment_cancelled", "patient_contacted", "block_appointment_cancelled",
    ]  # fmt: skip
    assert len(appointments_in_block(shift=s8, block=block)) == 2


def test_an_appointment_outside_the_block_cannot_be_moved_through_it(s8):
    block = ProviderBlock.objects.for_shift(s8).get(key="block")
    outside = Appointment.objects.for_shift(s8).get(key="outside")
    before = _counts(s8)
    with pytest.raises(OfficeActionError, match="not a booked appointment inside this block"):
        calendar_services.block_appointment_cancel(
            shift=s8, block=block, appointment=outside, channel="phone", notice="x"
        )
    assert _counts(s8) == before


# ---- screens -------------------------------------------------------------------------------------


def _series_post(shift, p, **kw):
    values = shift.variant["values"]
    return {
        "patient": p.pk, "provider": values["provider"], "type": "allergy-injection", "first_date": values["first"],
        "start": values["time"], "frequency": "weekly", "interval": 1, "count": 6, "auth_number": "",
    } | kw  # fmt: skip


def test_the_series_screen_previews_a_table_then_books_what_was_confirmed(as_trainee, s7):
    p = patient(s7, s7.variant["values"]["target"])
    url = reverse("office_series_new", args=[s7.pk])
    assert "Book a recurring series" in as_trainee.get(url, {"patient": p.pk}).content.decode()
    response = as_trainee.post(url, _series_post(s7, p, action="preview"))
    page = response.content.decode()
    assert response.status_code == 200
    assert '<table class="table series-preview"' in page
    for label in ("Office holiday", "Provider block", "Double booking", "Suggested alternative"):
        assert label in page
    assert Appointment.objects.for_shift(s7).filter(patient=p).count() == 0  # a preview books nothing
    plan = response.context["plan"]
    chosen = {f"occurrence-{r.number}": r.planned_value if r.ok else r.suggestion_value for r in plan}
    response = as_trainee.post(url, _series_post(s7, p, action="confirm") | chosen)
    series = AppointmentSeries.objects.for_shift(s7).get()
    assert response.status_code == 302 and response["Location"] == reverse("office_series", args=[s7.pk, series.pk])
    page = as_trainee.get(response["Location"]).content.decode()
    assert "Visits of the series" in page and page.count("Booked") >= 6


@pytest.mark.parametrize(("count", "message"), [(0, "between 1 and 52 visits"), (53, "between 1 and 52 visits")])
def test_the_series_screen_refuses_a_bad_count_and_books_nothing(as_trainee, s7, count, message):
    p = patient(s7, s7.variant["values"]["target"])
    before = _counts(s7)
    response = as_trainee.post(
        reverse("office_series_new", args=[s7.pk]), _series_post(s7, p, action="confirm", count=count)
    )
    assert response.status_code == 400 and message in response.content.decode()
    assert _counts(s7) == before


def test_a_patient_id_from_another_shift_gets_a_message_and_books_nothing(as_trainee, s7, office_course, other_trainee):
    theirs = _start(office_course, other_trainee, S7, 0)
    foreign = patient(theirs, theirs.variant["values"]["target"])
    before, their_before = _counts(s7), _counts(theirs)
    response = as_trainee.post(reverse("office_series_new", args=[s7.pk]), _series_post(s7, foreign, action="preview"))
    assert response.status_code == 400 and "Find the patient first" in response.content.decode()
    assert _counts(s7) == before and _counts(theirs) == their_before


def test_a_series_or_block_of_another_shift_is_not_found(as_trainee, s7, office_course, other_trainee):
    theirs = _start(office_course, other_trainee, S7, 0)
    SOLUTIONS[S7](theirs)
    series = AppointmentSeries.objects.for_shift(theirs).get()
    block = ProviderBlock.objects.for_shift(theirs).get()
    assert as_trainee.get(reverse("office_series", args=[s7.pk, series.pk])).status_code == 404
    assert as_trainee.get(reverse("office_block", args=[s7.pk, block.pk])).status_code == 404


def test_the_block_screen_refuses_a_bad_block_and_enters_a_good_one(as_trainee, s8):
    url = reverse("office_blocks", args=[s8.pk])
    bad = {"provider": "okafor", "first_date": "2026-03-20", "last_date": "2026-03-19", "reason": "meeting"}
    before = _counts(s8)
    response = as_trainee.post(url, bad)
    assert response.status_code == 400 and "The block ends before it starts" in response.content.decode()
    assert _counts(s8) == before
    good = bad | {"last_date": "", "start": "14:00", "end": "15:00"}
    response = as_trainee.post(url, good)
    block = ProviderBlock.objects.for_shift(s8).exclude(key="block").get()
    assert response["Location"] == reverse("office_block", args=[s8.pk, block.pk])
    assert (block.first_date, block.last_date, block.start, block.end) == (
        date(2026, 3, 20), date(2026, 3, 20), time(14, 0), time(15, 0),
    )  # fmt: skip
    listing = as_trainee.get(url).content.decode()
    assert "4 to move or cancel" in listing  # the seeded vacation day


def test_the_block_detail_moves_a_patient_with_a_notice(as_trainee, s8):
    block = ProviderBlock.objects.for_shift(s8).get(key="block")
    url = reverse("office_block", args=[s8.pk, block.pk])
    page = as_trainee.get(url).content.decode()
    appt = appointments_in_block(shift=s8, block=block)[0]
    assert "Block: Dr. Adaeze Okafor, vacation" in page and "Thursday 19 March 2026, all day" in page
    assert appt.patient.full_name in page and "Voicemail: " in page
    option = move_options(shift=s8, appointment=appt)[0]
    post = {"action": "move", "appointment": appt.pk, "slot": option.value, "channel": "letter", "notice": "Moved."}
    assert as_trainee.post(url, post | {"notice": ""}).status_code == 400
    outside = Appointment.objects.for_shift(s8).get(key="outside")
    response = as_trainee.post(url, post | {"appointment": outside.pk})
    assert response.status_code == 400 and "not a booked appointment inside this block" in response.content.decode()
    assert as_trainee.post(url, post).status_code == 302
    assert len(appointments_in_block(shift=s8, block=block)) == 3


def test_the_calendar_shows_blocks_holidays_and_series(as_trainee, s7):
    SOLUTIONS[S7](s7)
    week = as_trainee.get(reverse("office_week", args=[s7.pk]), {"provider": "okafor", "date": "2026-05-25"})
    page = week.content.decode()
    assert "office closed (Memorial Day)" in page and "Series 3" in page
    week = as_trainee.get(reverse("office_week", args=[s7.pk]), {"provider": "okafor", "date": "2026-06-08"})
    assert "Blocked: Training" in week.content.decode()
    day = as_trainee.get(reverse("office_calendar", args=[s7.pk]), {"date": "2026-05-25"}).content.decode()
    assert "Office closed: Memorial Day." in day


# ---- grading: the wrong answers fail with the right feedback -------------------------------------


def _items(shift) -> dict:
    shift = services.shift_submit(shift=shift)
    return {i["id"]: i for i in shift.result["items"]} | {"_shift": shift}


def test_s7_skipping_the_conflicting_weeks_fails_the_series_check(s7):
    p = patient(s7, s7.variant["values"]["target"])
    plan = series_preview(shift=s7, patient=p, **_series_args(s7))
    free = [row for row in plan if row.ok]
    for row in free:
        services.appointment_book(
            shift=s7, patient=p, provider_key="okafor", type_key="allergy-injection", day=row.day, start=row.start
        )
    items = _items(s7)
    assert not items["series"]["passed"]
    assert f"Found {len(free)} active “Allergy injection (nurse visit)” visit(s)" in items["series"]["detail"]
    assert "moves to another open slot in the same week" in items["series"]["feedback"]
    assert not items["as-series"]["passed"] and not items["_shift"].passed


def test_s7_pushing_the_holiday_visit_to_the_next_week_fails_with_the_week_it_belongs_in(s7):
    p = patient(s7, s7.variant["values"]["target"])
    args = _series_args(s7, count=2)
    first_two = series_confirmable(s7, p, provider="okafor", type_key="allergy-injection", first_day=args["first_day"],
                                   start=args["start"], count=2)  # fmt: skip
    calendar_services.series_book(shift=s7, patient=p, occurrences=first_two, **args)
    for day in (date(2026, 6, 2), date(2026, 6, 9), date(2026, 6, 15), date(2026, 6, 22)):
        services.appointment_book(
            shift=s7, patient=p, provider_key="okafor", type_key="allergy-injection", day=day, start=time(10, 0)
        )
    items = _items(s7)
    assert not items["series"]["passed"]
    assert "Visit 3 is on Tue 02 Jun; it belongs in the week of 25 May" in items["series"]["detail"]


def test_s7_booking_the_look_alike_is_a_critical_error(s7):
    SOLUTIONS[S7](s7)
    lookalike = patient(s7, s7.variant["values"]["lookalike"])
    book_next(s7, lookalike, provider="okafor", type_key="allergy-injection", after=date(2026, 5, 12))
    shift = _items(s7)["_shift"]
    assert shift.result["critical_errors"] == ["wrong-patient"] and shift.score == 0


def test_s8_leaving_a_patient_inside_the_block_fails_and_names_them(s8):
    block = ProviderBlock.objects.for_shift(s8).get(key="block")
    affected = appointments_in_block(shift=s8, block=block)
    for appt in affected[:-1]:
        calendar_services.block_appointment_cancel(
            shift=s8, block=block, appointment=appt, channel="letter", notice="x"
        )
    items = _items(s8)
    assert not items["none-inside"]["passed"]
    assert affected[-1].patient.full_name in items["none-inside"]["detail"]
    assert "No notice to: " + affected[-1].patient.full_name in items["notices"]["detail"]


def test_s8_a_voicemail_to_a_patient_who_refused_voicemail_fails_the_notices(s8):
    block = ProviderBlock.objects.for_shift(s8).get(key="block")
    refused = None
    for appt in appointments_in_block(shift=s8, block=block):
        if not appt.patient.voicemail_ok:
            refused = appt.patient
        calendar_services.block_appointment_cancel(
            shift=s8, block=block, appointment=appt, channel="voicemail", notice="Please call us back."
        )
    assert refused is not None  # the scenario has one
    items = _items(s8)
    assert items["none-inside"]["passed"] and items["office-cancelled"]["passed"]
    assert not items["notices"]["passed"]
    assert f"{refused.full_name} (voicemail)" in items["notices"]["detail"]
    assert "164.522(b)" in items["notices"]["rule"]


def test_s8_cancelling_as_a_late_patient_cancellation_or_touching_the_outside_visit_fails(s8):
    block = ProviderBlock.objects.for_shift(s8).get(key="block")
    for appt in appointments_in_block(shift=s8, block=block):
        services.appointment_cancel(shift=s8, appointment=appt, late=True, reason="Doctor away")
        services.contact_record(shift=s8, patient=appt.patient, channel="letter", note="Cancelled.")
    outside = Appointment.objects.for_shift(s8).get(key="outside")
    services.appointment_cancel(shift=s8, appointment=outside, late=False, reason="Oops")
    items = _items(s8)
    assert items["none-inside"]["passed"] and items["notices"]["passed"]
    assert not items["office-cancelled"]["passed"] and "“cancelled_late”" in items["office-cancelled"]["detail"]
    assert not items["outside-kept"]["passed"]


def test_the_series_screen_cancels_one_visit_or_the_rest_and_refuses_a_foreign_visit(
    as_trainee, s7, office_course, other_trainee
):
    SOLUTIONS[S7](s7)
    series = AppointmentSeries.objects.for_shift(s7).get()
    visits = list(Appointment.objects.for_shift(s7).filter(series_link__series=series).order_by("series_link__number"))
    url = reverse("office_series", args=[s7.pk, series.pk])
    theirs = _start(office_course, other_trainee, S8, 0)
    foreign = Appointment.objects.for_shift(theirs).get(key="a1")
    before = _counts(s7)
    response = as_trainee.post(url, {"appointment": foreign.pk, "scope": "rest", "reason": "x"})
    assert response.status_code == 400 and "not part of this series" in response.content.decode()
    assert as_trainee.post(url, {"appointment": visits[1].pk, "scope": "one", "reason": ""}).status_code == 400
    assert _counts(s7) == before
    foreign.refresh_from_db()
    assert foreign.status == "booked"
    detail = as_trainee.get(reverse("office_appointment", args=[s7.pk, visits[1].pk])).content.decode()
    assert "Visit 2 of a recurring series" in detail
    assert as_trainee.post(url, {"appointment": visits[1].pk, "scope": "one", "reason": "Sick"}).status_code == 302
    assert as_trainee.post(url, {"appointment": visits[3].pk, "scope": "rest", "reason": "Moving"}).status_code == 302
    statuses = [
        a.status
        for a in Appointment.objects.for_shift(s7).filter(pk__in=[v.pk for v in visits]).order_by("series_link__number")
    ]
    assert statuses == ["booked", "cancelled", "booked", "cancelled", "cancelled", "cancelled"]
