"""How long a learner spent on one attempt at a step: the measure behind a rule's minimum hours.

Honest and small: the time between starting and submitting an attempt (a quiz, a shift, a call), capped so
that a tab left open overnight does not count as study. The cap is the attempt's own time limit when it
has one, else PROGRESS_MAX_SECONDS_PER_ATTEMPT (2 hours by default). Attempts never submitted count
nothing. Lessons have no timer: marking one read counts its estimated reading time, once.
"""

from datetime import datetime

from django.conf import settings


def seconds_on_task(*, started_at: datetime, ended_at: datetime, limit_seconds: int | None = None) -> int:
    """Whole seconds from `started_at` to `ended_at`, never negative, capped at the limit and the global cap."""
    cap = settings.PROGRESS_MAX_SECONDS_PER_ATTEMPT
    if limit_seconds:
        cap = min(cap, limit_seconds)
    elapsed = int((ended_at - started_at).total_seconds())
    return max(0, min(elapsed, cap))
