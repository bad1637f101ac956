"""Benchmark the supervisor's cohort matrix and the organisation summary (QUALITY.md P6/P7, issue #9):
prints figures, asserts nothing.

Seeds a throwaway SQLite database (or the PostgreSQL one in BENCH_DATABASE_URL) with one course of
40 steps, a team cohort of 500 trainees and an organisation-wide cohort of 5,000 trainees whose
completions cover about half the steps, rebuilds the learner × course summary table, then renders
the matrix (first page, a later page sorted by progress, overdue only), the streamed CSV export and
the organisation summary over all 5,500 trainees (in-process, Django's test client, DEBUG off), and
prints the query count, mean and p95.

    .venv/bin/python bench/dashboard.py [--trainees 5000] [--team 500] [--steps 40] [--runs 20]
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trainees", type=int, default=5000)
    parser.add_argument("--team", type=int, default=500)
    parser.add_argument("--steps", type=int, default=40)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()

    workdir = tempfile.mkdtemp(prefix="bench-dashboard-")
    os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{workdir}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coursesite.settings.test")
    os.environ["REQUIRE_MFA_FOR_STAFF"] = "false"

    import django

    django.setup()
    from django.conf import settings

    settings.REQUIRE_MFA_FOR_STAFF = False  # the benchmark measures the page, not the MFA gate
    settings.DEBUG = False
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    cohorts, course = seed(trainees=args.trainees, team=args.team, steps=args.steps)
    report(cohorts=cohorts, course=course, runs=args.runs)
    print(f"(database: {settings.DATABASES['default']['NAME']})")


def seed(*, trainees: int, team: int, steps: int):
    import datetime
    import random
    from decimal import Decimal

    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from coursesite.people.models import Assignment, Cohort, Membership, User
    from coursesite.progress.models import Completion
    from tests.factories import make_course

    unusable = make_password(None)
    rng = random.Random(2026)
    started = time.perf_counter()
    with transaction.atomic():
        course = make_course(lessons=steps, slug="bench-course")
        pages = list(course.get_children().order_by("path"))
        supervisor = User.objects.create_user(
            "bench.supervisor@example.test", None, display_name="Bench", role="supervisor"
        )
        result = {}
        for name, size in (("team", team), ("organisation", trainees)):
            cohort = Cohort.objects.create(name=f"Bench {name}")
            Membership.objects.create(cohort=cohort, user=supervisor, role=Membership.Role.SUPERVISOR)
            Assignment.objects.create(
                cohort=cohort, course=course, due_on=timezone.localdate() - datetime.timedelta(days=1)
            )
            users = User.objects.bulk_create(
                User(email=f"{name}{n}@example.test", display_name=f"Trainee {name} {n:05d}", password=unusable)
                for n in range(size)
            )
            Membership.objects.bulk_create(Membership(cohort=cohort, user=u) for u in users)
            now = timezone.now()
            batch = []
            for user in users:
                for page in pages[: rng.randint(0, len(pages))]:
                    score = Decimal(rng.randint(40, 100)) if rng.random() < 0.3 else None
                    passed = score is None or score >= 80
                    batch.append(
                        Completion(
                            learner=user,
                            step=page,
                            course=course,
                            passed=passed,
                            score=score,
                            first_completed_at=now,
                            completed_at=now,
                        )
                    )
                if len(batch) > 5000:
                    Completion.objects.bulk_create(batch)
                    batch = []
            Completion.objects.bulk_create(batch)
            result[name] = (cohort, size)
    print(f"seeded {team + trainees} trainees × {steps} steps in {time.perf_counter() - started:.1f} s")
    from coursesite.reports.summaries import learner_course_summaries_rebuild

    started = time.perf_counter()
    rows = learner_course_summaries_rebuild()
    print(f"rebuilt {rows} learner × course summaries in {time.perf_counter() - started:.2f} s")
    result["supervisor"] = supervisor
    return result, course


def timed(client, url: str, runs: int, *, stream: bool = False) -> tuple[list[float], int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    samples = []
    queries = 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get(url)
            if stream:
                for _chunk in response.streaming_content:
                    pass
            samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.status_code
        queries = len(captured)
    return samples, queries


def report(*, cohorts: dict, course, runs: int) -> None:
    from django.test import Client
    from django.urls import reverse

    client = Client()
    client.force_login(cohorts["supervisor"])
    print(f"{'page':<44} {'trainees':>8} {'queries':>8} {'mean ms':>9} {'p95 ms':>9}")
    cases = []
    for name in ("team", "organisation"):
        cohort, size = cohorts[name]
        matrix = reverse("cohort_matrix", args=[cohort.pk])
        cases += [
            (f"matrix ({name})", size, matrix, runs, False),
            (f"matrix, page 5 by progress ({name})", size, matrix + "?sort=-progress&page=5", runs, False),
            (f"matrix, overdue only ({name})", size, matrix + "?overdue=on&sort=-progress", runs, False),
            (
                f"CSV export, streamed ({name})",
                size,
                reverse("cohort_matrix_csv", args=[cohort.pk]),
                max(3, runs // 4),
                True,
            ),
        ]
    everyone = sum(cohorts[name][1] for name in ("team", "organisation"))
    cases.append(("organisation summary (all cohorts)", everyone, reverse("organisation_summary"), runs, False))
    for label, size, url, n, stream in cases:
        client.get(url)  # warm up
        samples, queries = timed(client, url, n, stream=stream)
        p95 = statistics.quantiles(samples, n=20)[-1] if len(samples) >= 2 else samples[0]
        print(f"{label:<44} {size:>8} {queries:>8} {statistics.mean(samples):>9.1f} {p95:>9.1f}")


if __name__ == "__main__":
    main()
