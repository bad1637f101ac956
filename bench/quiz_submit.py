"""Benchmark: start and submit 1,000 attempts at a 10-question quiz through the services.

Prints attempts graded per second and submit-time percentiles; it is not a test and asserts nothing.
Runs on a throwaway test database: a temporary SQLite file by default, or test_<name> on PostgreSQL
when DATABASE_URL is set (the same settings as the test suite).

    .venv/bin/python bench/quiz_submit.py [--attempts 1000]
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TYPES = [
    "single",
    "multiple",
    "truefalse",
    "numeric",
    "shorttext",
    "ordering",
    "matching",
    "single",
    "single",
    "truefalse",
]


def answers_for(attempt, rng: random.Random) -> dict:
    """About three quarters of the answers right, the rest wrong or blank, as the attempt form sends them."""
    right = {"single": "o0", "multiple": ["o0", "o1"], "truefalse": "false", "numeric": "35", "shorttext": "co-45"}
    wrong = {"single": "o1", "multiple": ["o2"], "truefalse": "true", "numeric": "12", "shorttext": "pr-1"}
    answers = {}
    for position, entry in enumerate(attempt.layout, start=1):
        kind, good = entry["type"], rng.random() < 0.75
        if kind in ("ordering", "matching"):
            prefix = "i" if kind == "ordering" else "m"
            tokens = [f"c{entry['order'].index(f'{prefix}{n}')}" for n in range(len(entry["order"]))]
            answers[position] = tokens if good else list(reversed(tokens))
        elif rng.random() < 0.05:
            answers[position] = None
        else:
            answers[position] = (right if good else wrong)[kind]
    return answers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attempts", type=int, default=1000)
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coursesite.settings.test")
    scratch = tempfile.TemporaryDirectory()
    os.environ.setdefault("SQLITE_TEST_PATH", str(Path(scratch.name) / "bench.sqlite3"))
    import django

    django.setup()
    from django.db import connection

    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        run(args.attempts)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        scratch.cleanup()


def run(count: int) -> None:
    from django.db import connection

    from coursesite.people.models import User
    from quizzes.services import attempt_start, attempt_submit
    from tests.factories import QuestionFactory, make_course, make_quiz

    rng = random.Random(42)
    course = make_course(lessons=0, slug="bench")
    quiz = make_quiz(course, questions=[QuestionFactory(type=kind) for kind in TYPES], attempts_allowed=0)
    learners = User.objects.bulk_create(
        User(email=f"bench{n}@example.test", display_name=f"Bench {n}") for n in range(count)
    )
    submit_times, started = [], time.perf_counter()
    for learner in learners:
        attempt = attempt_start(quiz=quiz, learner=learner)
        answers = answers_for(attempt, rng)
        before = time.perf_counter()
        attempt_submit(attempt=attempt, answers=answers)
        submit_times.append(time.perf_counter() - before)
    elapsed = time.perf_counter() - started
    ms = sorted(t * 1000 for t in submit_times)
    p95 = ms[min(len(ms) - 1, round(0.95 * len(ms)) - 1)]
    print(f"database: {connection.vendor}; {count} attempts x {len(TYPES)} questions, one process")  # noqa: T201
    print(f"attempts graded per second (submit only): {count / sum(submit_times):.1f}")  # noqa: T201
    print(f"attempts per second (start + submit):      {count / elapsed:.1f}")  # noqa: T201
    print(
        f"submit time ms: mean {statistics.mean(ms):.2f}, p50 {ms[len(ms) // 2]:.2f}, p95 {p95:.2f}, max {ms[-1]:.2f}"
    )  # noqa: T201


if __name__ == "__main__":
    main()
