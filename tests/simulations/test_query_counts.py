"""Listings in a fixed number of queries, whatever their size."""

from datetime import date, datetime, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from simulations.models import Appointment, ChartEntry, Patient

DAY = date(2026, 3, 18)


def _queries(client, url, params=None) -> int:
    client.get(url, params or {})  # warm: the first request of a session does one-off work
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _add_appointments(shift, count: int, day: date = DAY):
    patients = list(Patient.objects.for_shift(shift)[:40])
    Appointment.objects.bulk_create(
        Appointment(shift=shift, patient=patients[n % len(patients)], provider_key=["okafor", "lindqvist", "haddad", "whitfield"][n % 4],
                    type_key="follow-up", date=day, start=time(8 + (n // 4) % 9, 15 * (n % 4)), minutes=15)
        for n in range(count)
    )  # fmt: skip


@pytest.fixture
def as_trainee(client, trainee):
    client.force_login(trainee)
    return client


def test_calendar_day_is_constant_in_the_number_of_appointments(as_trainee, shift):
    url = reverse("office_calendar", args=[shift.pk])
    baseline = _queries(as_trainee, url, {"date": str(DAY)})
    _add_appointments(shift, 200)
    assert Appointment.objects.for_shift(shift).filter(date=DAY).count() >= 200
    assert _queries(as_trainee, url, {"date": str(DAY)}) == baseline
    assert baseline <= 8  # ... + the provider blocks


def test_calendar_week_is_constant_in_the_number_of_appointments(as_trainee, shift):
    url = reverse("office_week", args=[shift.pk])
    baseline = _queries(as_trainee, url, {"provider": "okafor", "date": str(DAY)})
    for offset in range(5):
        _add_appointments(shift, 40, DAY - timedelta(days=2) + timedelta(days=offset))
    assert _queries(as_trainee, url, {"provider": "okafor", "date": str(DAY)}) == baseline
    assert baseline <= 8  # ... + the provider blocks


def _add_blocks_and_a_series(shift, monday: date) -> None:
    """Blocks on every weekday (whole-day and windows, for two providers) and a six-visit series."""
    from simulations.models import AppointmentSeries, ProviderBlock, SeriesOccurrence

    ProviderBlock.objects.bulk_create(
        ProviderBlock(shift=shift, provider_key=provider, first_date=monday + timedelta(days=n), last_date=monday + timedelta(days=n),
                      start=time(7, 0) if n % 2 else None, end=time(7, 30) if n % 2 else None, reason="meeting")
        for n in range(5) for provider in ("okafor", "lindqvist")
    )  # fmt: skip
    p = Patient.objects.for_shift(shift).first()
    series = AppointmentSeries.objects.create(
        shift=shift, patient=p, provider_key="okafor", type_key="allergy-injection", count=5, first_date=monday,
        start=time(18, 0), booked_at=shift.now,
    )  # fmt: skip
    visits = Appointment.objects.bulk_create(
        Appointment(shift=shift, patient=p, provider_key="okafor", type_key="allergy-injection",
                    date=monday + timedelta(days=n), start=time(18, 0), minutes=15)
        for n in range(5)
    )  # fmt: skip
    SeriesOccurrence.objects.bulk_create(
        SeriesOccurrence(shift=shift, series=series, appointment=a, number=n + 1) for n, a in enumerate(visits)
    )


def test_calendar_week_with_blocks_and_series_is_constant(as_trainee, shift):
    url = reverse("office_week", args=[shift.pk])
    params = {"provider": "okafor", "date": str(DAY)}
    baseline = _queries(as_trainee, url, params)
    monday = DAY - timedelta(days=DAY.weekday())
    for offset in range(5):
        _add_appointments(shift, 40, monday + timedelta(days=offset))
    _add_blocks_and_a_series(shift, monday)
    assert _queries(as_trainee, url, params) == baseline
    page = as_trainee.get(url, params).content.decode()
    assert page.count("Blocked: Meeting") == 5 and page.count(">Series ") == 5
    assert baseline <= 8


def test_calendar_day_with_blocks_and_series_is_constant(as_trainee, shift):
    url = reverse("office_calendar", args=[shift.pk])
    baseline = _queries(as_trainee, url, {"date": str(DAY)})
    _add_appointments(shift, 200)
    _add_blocks_and_a_series(shift, DAY - timedelta(days=DAY.weekday()))
    assert _queries(as_trainee, url, {"date": str(DAY)}) == baseline
    assert baseline <= 8


def test_block_list_and_detail_are_constant_in_the_number_of_blocks_and_patients(as_trainee, shift):
    from simulations.models import ProviderBlock

    monday = DAY - timedelta(days=DAY.weekday())
    _add_blocks_and_a_series(shift, monday)
    block = ProviderBlock.objects.for_shift(shift).filter(start__isnull=True, provider_key="okafor").first()
    listing, detail = reverse("office_blocks", args=[shift.pk]), reverse("office_block", args=[shift.pk, block.pk])
    baseline_list, baseline_detail = _queries(as_trainee, listing), _queries(as_trainee, detail)
    for offset in range(5):
        _add_appointments(shift, 40, monday + timedelta(days=offset))
    _add_blocks_and_a_series(shift, monday)
    assert _queries(as_trainee, listing) == baseline_list
    assert _queries(as_trainee, detail) == baseline_detail
    # session + user + shift + blocks + appointments (list); + block, its appointments, calendar, blocks (detail)
    assert baseline_list <= 8 and baseline_detail <= 10, (baseline_list, baseline_detail)


def test_chart_is_constant_in_the_number_of_entries(as_trainee, shift):
    p = Patient.objects.for_shift(shift).get(key=shift.variant["values"]["target"])
    url = reverse("office_chart", args=[shift.pk, p.pk])
    baseline = _queries(as_trainee, url)
    at = datetime(2026, 3, 9, 9, 0).astimezone()
    entries = ChartEntry.objects.bulk_create(
        ChartEntry(shift=shift, patient=p, kind="note", text=f"Note {n}", author="Nurse", entered_at=at)
        for n in range(100)
    )
    ChartEntry.objects.bulk_create(
        ChartEntry(shift=shift, patient=p, kind="correction", text="fixed", author="Nurse", entered_at=at, corrects=e, reason="typo")
        for e in entries[:20]
    )  # fmt: skip
    assert _queries(as_trainee, url) == baseline
    # session + user + shift + patient + lock shift + log insert + counter update + audit insert + entries +
    # appointments + coverages, and savepoints
    assert baseline <= 16


def test_grading_input_is_a_fixed_number_of_queries(shift, django_assert_num_queries):
    from simulations.selectors import grading_input

    _add_appointments(shift, 200)
    _add_blocks_and_a_series(shift, DAY - timedelta(days=DAY.weekday()))
    # 8 + coverages + the provider blocks + claim follow-up (claims, denial work, links, defects, lines)
    with django_assert_num_queries(15):
        grading_input(shift=shift)
