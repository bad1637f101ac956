"""Recurring series, holidays and provider blocks as plain functions (no database)."""

from datetime import UTC, date, datetime, time

import pytest

from simulations.booking import Block, Booked, booking_conflicts, next_open_slot
from simulations.office import OfficeError, office_rules
from simulations.series import (
    SeriesError,
    holidays_validate,
    recurrence_dates,
    series_plan,
    series_problems,
    setup_blocks_validate,
)

MEMORIAL_DAY = date(2026, 5, 25)


@pytest.fixture(scope="module")
def rules():
    from pathlib import Path

    import yaml

    data = yaml.safe_load((Path(__file__).resolve().parents[2] / "content/office/practice.yaml").read_text())
    return office_rules({**data, "patients": []})


def conflicts(rules, **kw):
    args = {"provider_key": "okafor", "type_key": "allergy-injection", "patient_key": "p", "day": date(2026, 5, 18),
            "start": time(10, 0), "existing": []} | kw  # fmt: skip
    return booking_conflicts(rules=rules, **args)


def test_weekly_recurrence_keeps_the_weekday_and_the_interval():
    assert recurrence_dates(first_day=date(2026, 5, 11), frequency="weekly", interval=2, count=3) == [
        date(2026, 5, 11), date(2026, 5, 25), date(2026, 6, 8),
    ]  # fmt: skip


def test_weekday_recurrence_skips_weekends():
    days = recurrence_dates(first_day=date(2026, 5, 14), frequency="weekdays", interval=1, count=4)
    assert days == [date(2026, 5, 14), date(2026, 5, 15), date(2026, 5, 18), date(2026, 5, 19)]


@pytest.mark.parametrize("count", [0, 53, -1])
def test_a_series_count_outside_1_to_52_is_refused(count):
    with pytest.raises(SeriesError, match="between 1 and 52"):
        recurrence_dates(first_day=date(2026, 5, 11), frequency="weekly", interval=1, count=count)


def test_an_interval_over_four_weeks_or_an_unknown_frequency_is_refused():
    with pytest.raises(SeriesError, match="1 to 4 weeks"):
        recurrence_dates(first_day=date(2026, 5, 11), frequency="weekly", interval=5, count=2)
    with pytest.raises(SeriesError, match="how often"):
        recurrence_dates(first_day=date(2026, 5, 11), frequency="monthly", interval=1, count=2)


def test_an_office_holiday_is_refused_by_name(rules):
    found = conflicts(rules, day=MEMORIAL_DAY)
    assert [c.kind for c in found] == ["holiday"]
    assert "Memorial Day" in found[0].message


def test_a_holiday_is_skipped_when_looking_for_the_next_open_slot(rules):
    found = next_open_slot(
        rules=rules, provider_key="okafor", type_key="follow-up", patient_key="p",
        after=datetime(2026, 5, 25, 0, 0, tzinfo=UTC), existing=[], days=3,
    )  # fmt: skip
    assert found == (date(2026, 5, 26), time(8, 0))


def test_a_window_block_refuses_overlapping_visits_only(rules):
    meeting = Block("okafor", date(2026, 5, 18), date(2026, 5, 18), time(9, 30), time(11, 0), "Meeting")
    inside = conflicts(rules, start=time(10, 45), blocks=[meeting])
    assert [c.kind for c in inside] == ["block"]
    assert "blocked Mon 18 May 09:30–11:00 (Meeting)" in inside[0].message
    assert conflicts(rules, start=time(9, 15), blocks=[meeting]) == []  # ends at 09:30
    assert conflicts(rules, start=time(11, 0), blocks=[meeting]) == []
    assert conflicts(rules, provider_key="lindqvist", start=time(10, 0), blocks=[meeting]) == []


def test_a_whole_day_block_over_several_days_refuses_every_day(rules):
    vacation = Block("okafor", date(2026, 5, 18), date(2026, 5, 20), None, None, "Vacation")
    for day in (date(2026, 5, 18), date(2026, 5, 19), date(2026, 5, 20)):
        assert [c.kind for c in conflicts(rules, day=day, blocks=[vacation])] == ["block"]
    assert conflicts(rules, day=date(2026, 5, 21), blocks=[vacation]) == []


def test_the_preview_flags_each_conflict_and_suggests_a_slot_in_the_same_week(rules):
    taken = Booked("okafor", "follow-up", "other", date(2026, 6, 1), time(10, 0), 15)
    training = Block("okafor", date(2026, 6, 8), date(2026, 6, 8), None, None, "Training")
    dates = recurrence_dates(first_day=date(2026, 5, 11), frequency="weekly", interval=1, count=6)
    plan = series_plan(
        rules=rules, provider_key="okafor", type_key="allergy-injection", patient_key="p", dates=dates,
        start=time(10, 0), existing=[taken], blocks=[training], now=datetime(2026, 5, 8, 9, 0, tzinfo=UTC),
    )  # fmt: skip
    assert [row.ok for row in plan] == [True, True, False, False, False, True]
    assert plan[2].kinds == ["Office holiday"] and plan[2].suggestion == (date(2026, 5, 26), time(10, 0))
    assert plan[3].kinds == ["Double booking"] and plan[3].suggestion == (date(2026, 6, 1), time(9, 45))
    assert plan[4].kinds == ["Provider block"] and plan[4].suggestion == (date(2026, 6, 9), time(10, 0))
    confirmed = [(r.day, r.start) if r.ok else r.suggestion for r in plan]
    assert series_problems(
        rules=rules, provider_key="okafor", type_key="allergy-injection", patient_key="p", occurrences=confirmed,
        existing=[taken], blocks=[training], now=datetime(2026, 5, 8, 9, 0, tzinfo=UTC),
    ) == []  # fmt: skip


def test_the_preview_flags_the_daily_limit_and_the_past(rules):
    full = [Booked("okafor", "allergy-injection", f"x{n}", date(2026, 5, 12), time(8 + n, 0), 15) for n in range(6)]
    plan = series_plan(
        rules=rules, provider_key="okafor", type_key="allergy-injection", patient_key="p",
        dates=[date(2026, 5, 5), date(2026, 5, 12)], start=time(15, 0), existing=full, blocks=[],
        now=datetime(2026, 5, 8, 9, 0, tzinfo=UTC),
    )  # fmt: skip
    assert plan[0].kinds == ["In the past"]
    assert plan[1].kinds == ["Daily limit reached"]
    assert plan[1].suggestion is not None and plan[1].suggestion[0] != date(2026, 5, 12)


def test_confirmed_occurrences_that_collide_with_each_other_are_refused(rules):
    day = date(2026, 5, 12)
    problems = series_problems(
        rules=rules, provider_key="okafor", type_key="allergy-injection", patient_key="p",
        occurrences=[(day, time(10, 0)), (day, time(10, 0))], existing=[], blocks=[], now=None,
    )  # fmt: skip
    assert any("already has a visit on Tue 12 May" in p for p in problems)


def test_holidays_must_be_dated_named_and_listed_once():
    holidays_validate({"holidays": [{"date": "2026-05-25", "name": "Memorial Day"}]})
    with pytest.raises(OfficeError, match="not a date"):
        holidays_validate({"holidays": [{"date": "2026-13-01", "name": "Nope"}]})
    with pytest.raises(OfficeError, match="give its date and name"):
        holidays_validate({"holidays": [{"date": "2026-05-25"}]})
    with pytest.raises(OfficeError, match="listed twice"):
        holidays_validate({"holidays": [{"date": "2026-05-25", "name": "A"}, {"date": "2026-05-25", "name": "B"}]})


def test_the_shipped_holidays_are_the_observed_2026_federal_dates(rules):
    holidays = {
        h["date"] if isinstance(h["date"], str) else h["date"].isoformat() for h in rules["practice"]["holidays"]
    }
    # July 4 2026 is a Saturday: observed on Friday July 3 (5 U.S.C. 6103(b)).
    assert {"2026-05-25", "2026-06-19", "2026-07-03", "2026-09-07", "2026-11-26", "2026-12-25"} <= holidays
    assert "2026-07-04" not in holidays


def test_scenario_blocks_are_validated(rules):
    setup_blocks_validate([{"provider": "okafor", "date": "2026-05-18", "reason": "training"}], rules)
    with pytest.raises(OfficeError, match="unknown provider"):
        setup_blocks_validate([{"provider": "nobody", "date": "2026-05-18", "reason": "training"}], rules)
    with pytest.raises(OfficeError, match="reason"):
        setup_blocks_validate([{"provider": "okafor", "date": "2026-05-18", "reason": "golf"}], rules)
    with pytest.raises(OfficeError, match="end is not after start"):
        setup_blocks_validate(
            [{"provider": "okafor", "date": "2026-05-18", "start": "11:00", "end": "10:00", "reason": "meeting"}], rules
        )
