"""Send, adjudicate and post a 500-claim batch through the office's services (the database path), then
read the denial work queue. Prints claims per second and SQL queries per claim; it is not a test.

    DJANGO_SETTINGS_MODULE=coursesite.settings.test .venv/bin/python bench/claims_office.py [claims]

Builds a throwaway test database, loads the shipped office, starts a P4 shift and drafts `claims`
claims (round robin over the office's insured patients, one to three lines each, some with a defect the
payer denies), then for each: `claim_submit` (scrubber + adjudication + remittance) and
`remittance_post` (ledger). The query count per claim must not grow with the batch: every read is one
query per kind of row, whatever the patient's history.
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
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

CODES = ["SIM-OV-EST-15", "SIM-OV-EST-25", "J1100", "G0008", "J3301"]


def main(count: int = 500) -> None:
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        run(count)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def run(count: int) -> None:
    from simulations import billing_services, claims_selectors, services
    from simulations.claims_setup import _claim_build
    from simulations.models import Patient
    from tests.factories import UserFactory, make_course, make_simulation

    page = make_simulation(make_course(lessons=0, slug="bench-claims"), scenario="p4-denial-work-queue")
    shift = services.shift_start(learner=UserFactory(), page=page, seed="bench")
    patients = [p for p in Patient.objects.for_shift(shift).order_by("pk") if p.payer_key and p.payer_key != "selfpay"]
    start = clock.perf_counter()
    drafts = []
    for n in range(count):
        patient = patients[n % len(patients)]
        lines = [{"code": CODES[(n + k) % len(CODES)], "units": 1, "pointers": ["A"]} for k in range(1 + n % 3)]
        item = {"key": f"bench-{n}", "patient": patient.key, "date": str(date(2026, 2, 2) + timedelta(days=n % 30)),
                "diagnoses": ["I10"], "lines": lines, "status": "draft"}  # fmt: skip
        drafts.append(_claim_build(shift=shift, patient=patient, item=item, number=1000 + n, history=[]))
    print(f"{count} draft claims built: {clock.perf_counter() - start:.1f} s")

    per_claim, timings = [], []
    started = clock.perf_counter()
    for claim in drafts:
        t0 = clock.perf_counter()
        connection.queries_log.clear()  # the log keeps 9,000 queries: count each claim's from empty
        with CaptureQueriesContext(connection) as ctx:
            remittance = billing_services.claim_submit(shift=shift, claim=claim)
            billing_services.remittance_post(shift=shift, remittance=remittance)
        timings.append(clock.perf_counter() - t0)
        per_claim.append(len(ctx.captured_queries))
    elapsed = clock.perf_counter() - started
    print(f"sent, adjudicated and posted: {count / elapsed:,.1f} claims/s ({elapsed:.1f} s)")
    print(
        f"  per claim: mean {1000 * statistics.mean(timings):.1f} ms, p95 {1000 * sorted(timings)[int(0.95 * count)]:.1f} ms"
    )
    first, last = per_claim[: len(patients)], per_claim[-len(patients) :]
    print(f"  SQL queries per claim: min {min(per_claim)}, max {max(per_claim)} "
          f"(first round {max(first)}, last round {max(last)}: bounded, not growing with history)")  # fmt: skip

    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as ctx:
        t0 = clock.perf_counter()
        rows = claims_selectors.denial_queue(shift=shift)
        queue_ms = 1000 * (clock.perf_counter() - t0)
    print(f"denial queue: {len(rows)} denials in {queue_ms:.0f} ms, {len(ctx.captured_queries)} queries")


if __name__ == "__main__":
    main(*(int(arg) for arg in sys.argv[1:2]))
