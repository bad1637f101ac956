"""Time to grade a 30-task shift. Prints figures; it is not a test.

    DJANGO_SETTINGS_MODULE=coursesite.settings.test .venv/bin/python bench/grading.py

Builds a throwaway test database, loads the shipped office, starts a shift, works 30 tasks through
the services (≈ 150 logged actions, every patient's chart opened, 30 bookings), then grades it against
a 30-check rubric (five of each shipped check family, repeated with different parameters).
"""

import os
import statistics
import sys
import time as clock
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coursesite.settings.test")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402


def main() -> None:
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        run()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def run() -> None:
    from datetime import datetime

    from simulations import grading, services
    from simulations.booking import next_open_slot
    from simulations.models import Patient
    from simulations.selectors import booked_between, grading_input
    from tests.factories import UserFactory, make_course, make_simulation

    page = make_simulation(make_course(lessons=0, slug="bench"), scenario="s2-follow-up-two-weeks")
    learner = UserFactory()
    started = clock.perf_counter()
    shift = services.shift_start(learner=learner, page=page, seed="bench")
    print(f"shift built (44 patients, seeded calendar): {1000 * (clock.perf_counter() - started):.0f} ms")
    patients = list(Patient.objects.for_shift(shift).order_by("pk")[:30])
    for n, p in enumerate(patients):
        services.chart_open(shift=shift, patient=p, reason=f"item-{n}")
        services.identity_verify(shift=shift, patient=p, identifiers=["name", "dob"])
        day = date(2026, 3, 11) + timedelta(days=n % 10)
        found = next_open_slot(
            rules=shift.office,
            provider_key="okafor",
            type_key="follow-up",
            patient_key=p.key,
            after=datetime.combine(day, datetime.min.time()),
            existing=booked_between(shift=shift, start=day, end=day + timedelta(days=31)),
        )
        services.appointment_book(
            shift=shift, patient=p, provider_key="okafor", type_key="follow-up", day=found[0], start=found[1]
        )
        services.order_enter(shift=shift, patient=p, text=f"Order {n}: take 1 tablet by mouth daily.")
    keys = [p.key for p in patients]
    # Rubric targets: patients whose only follow-up is the one booked here (the seeded calendar has others).
    from simulations.models import Appointment

    single = [
        p.key
        for p in patients
        if Appointment.objects.for_shift(shift).filter(patient=p, type_key="follow-up", status="booked").count() == 1
    ]
    print(f"patients with exactly the one follow-up booked here: {len(single)}")
    checks = []
    for n in range(5):
        k = single[n % len(single)]
        common = {"pass": "ok", "fail": "no", "rule": "R"}
        checks += [
            {"id": f"e{n}", "kind": "E", "weight": 2, "check": "appointment_booked",
             "params": {"patient": k, "type": "follow-up"}, **common},
            {"id": f"p{n}", "kind": "P", "weight": 1, "check": "identified_before",
             "params": {"patient": k, "actions": ["appointment_booked"]}, **common},
            {"id": f"s{n}", "kind": "P", "weight": 1, "check": "charts_opened_only",
             "params": {"patients": keys}, **common},
            {"id": f"c{n}", "kind": "C", "weight": 2, "check": "date_within_business_days",
             "params": {"patient": k, "type": "follow-up", "base": "2026-03-01", "days": 14, "tolerance": 30}, **common},
            {"id": f"a{n}", "kind": "A", "weight": 3, "check": "order_matches",
             "params": {"patient": k, "text": f"Order {keys.index(k)}: take 1 tablet by mouth daily."}, **common},
            {"id": f"x{n}", "kind": "X", "weight": 0, "check": "no_action_on",
             "params": {"patients": [keys[-1 - n] + "-none"], "kinds": ["appointment_booked"]}, **common},
        ]  # fmt: skip
    shift.refresh_from_db()
    print(f"log rows: {shift.actions}; appointments: {shift.appointments.count()}; checks: {len(checks)}")
    load, run_, total = [], [], []
    for _ in range(20):
        t0 = clock.perf_counter()
        g = grading_input(shift=shift)
        t1 = clock.perf_counter()
        result = grading.grade(g, checks, pass_mark=80)
        t2 = clock.perf_counter()
        load.append(t1 - t0)
        run_.append(t2 - t1)
        total.append(t2 - t0)
    failed = [i["id"] for i in result["items"] if not i["passed"]]
    print(f"score {result['score']} passed={result['passed']} failed checks: {failed or 'none'}")
    for name, values in (("load end state + log", load), ("run 30 checks", run_), ("total", total)):
        print(f"{name:34s} median {1000 * statistics.median(values):7.2f} ms   max {1000 * max(values):7.2f} ms")


if __name__ == "__main__":
    main()
