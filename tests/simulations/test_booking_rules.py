"""The booking rules as plain functions (no database)."""

from datetime import UTC, date, datetime, time

import pytest

from simulations.booking import Booked, booking_problems, next_open_slot, provider_hours
from simulations.office import office_rules

TUESDAY, WEDNESDAY = date(2026, 3, 10), date(2026, 3, 11)


@pytest.fixture(scope="module")
def rules():
    from pathlib import Path

    import yaml

    data = yaml.safe_load((Path(__file__).resolve().parents[2] / "content/office/practice.yaml").read_text())
    return office_rules({**data, "patients": []})


def problems(rules, **kw):
    args = {"provider_key": "okafor", "type_key": "follow-up", "patient_key": "p", "day": TUESDAY,
            "start": time(9, 0), "existing": []} | kw  # fmt: skip
    return booking_problems(rules=rules, **args)


def test_a_free_slot_inside_hours_is_bookable(rules):
    assert problems(rules) == []


def test_outside_hours_and_lunch_are_refused(rules):
    assert "works 08:00–17:00" in problems(rules, start=time(16, 45), type_key="annual-physical")[0]
    assert "lunch" in problems(rules, start=time(12, 0))[0]
    assert "quarter hour" in problems(rules, start=time(9, 5))[0]


def test_a_day_off_and_a_vacation_are_refused(rules):
    assert "not working" in problems(rules, provider_key="lindqvist", day=WEDNESDAY)[0]
    assert provider_hours(rules, "lindqvist", date(2026, 3, 24)) is None  # annual leave
    assert "not working" in problems(rules, provider_key="lindqvist", day=date(2026, 3, 24))[0]


def test_type_rules_am_only_allowed_providers_and_prior_auth(rules):
    assert any("morning only" in p for p in problems(rules, type_key="new-patient", start=time(11, 45)))
    assert problems(rules, type_key="new-patient", start=time(11, 30)) == []
    assert any("does not see" in p for p in problems(rules, provider_key="whitfield", start=time(10, 0)))
    auth = problems(rules, provider_key="whitfield", type_key="counseling-session", start=time(10, 0))
    assert any("prior-authorization" in p for p in auth)
    assert (
        problems(rules, provider_key="whitfield", type_key="counseling-session", start=time(10, 0), auth_number="PA1")
        == []
    )


def test_no_double_booking_of_provider_or_patient(rules):
    other = Booked("okafor", "follow-up", "q", TUESDAY, time(9, 0), 15)
    assert "already has a visit 09:00–09:15" in problems(rules, existing=[other])[0]
    assert problems(rules, existing=[other], start=time(9, 15)) == []  # back to back is fine
    same_patient = Booked("lindqvist", "follow-up", "p", TUESDAY, time(9, 0), 15)
    assert "patient already has" in problems(rules, existing=[same_patient])[0]


def test_daily_limit(rules):
    taken = [Booked("okafor", "new-patient", f"q{n}", TUESDAY, time(8 + n, 0), 30) for n in range(3)]
    result = problems(rules, type_key="new-patient", start=time(11, 30), existing=taken)
    assert any("daily limit of 3" in p for p in result)


def test_the_past_is_refused(rules):
    assert "already passed" in problems(rules, now=datetime(2026, 3, 10, 10, 0, tzinfo=UTC))[0]


def test_next_open_slot_skips_taken_lunch_and_days_off(rules):
    taken = [Booked("lindqvist", "new-patient", "q", date(2026, 3, 12), time(9, 0), 30)]
    found = next_open_slot(
        rules=rules, provider_key="lindqvist", type_key="new-patient", patient_key="p",
        after=datetime(2026, 3, 11, 12, 0, tzinfo=UTC), existing=taken,
    )  # fmt: skip
    assert found == (date(2026, 3, 12), time(9, 30))  # Wed off; Thu 09:00 taken
    assert next_open_slot(
        rules=rules, provider_key="okafor", type_key="new-patient", patient_key="p",
        after=datetime(2026, 3, 10, 11, 40, tzinfo=UTC), existing=[],
    ) == (date(2026, 3, 11), time(8, 0))  # fmt: skip
