"""Lesson and course-outline pages in-process: mean and p95 milliseconds and SQL queries per request.

Uses the development database with the shipped content (`make run` creates it) and a demo trainee.
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coursesite.settings.dev")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from coursesite.people.models import User  # noqa: E402
from lessons.models import CoursePage, LessonPage  # noqa: E402

ROUNDS = 200


def measure(client: Client, url: str) -> tuple[float, float, int]:
    client.get(url)  # warm caches and templates
    timings = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return statistics.mean(timings), statistics.quantiles(timings, n=20)[18], len(queries)


def main() -> None:
    learner = User.objects.filter(email="trainee.finished@demo.test").first()
    lesson = LessonPage.objects.live().first()
    if learner is None or lesson is None:
        sys.exit("Run `make run` (or load_content and seed_demo) first.")
    client = Client(HTTP_HOST="localhost")
    client.force_login(learner)
    course = CoursePage.objects.live().first()
    print(f"{'page':<20}{'mean ms':>10}{'p95 ms':>10}{'queries':>10}   ({ROUNDS} requests each)")
    for name, url in (("course outline", course.url), ("lesson", lesson.url)):
        mean, p95, queries = measure(client, url)
        print(f"{name:<20}{mean:>10.1f}{p95:>10.1f}{queries:>10}")


if __name__ == "__main__":
    main()
