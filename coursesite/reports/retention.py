"""Retention of training records (HIPAA documentation retention, 45 CFR 164.530(j)).

164.530(j)(2): documentation must be kept "for six years from the date of its creation or the date
when it last was in effect, whichever is later". Training is documentation the Privacy Rule requires
(164.530(b)(2)(ii): "document that the training ... has been provided"), so a trainee's record is
kept as a whole until the retention period (settings.TRAINING_RECORD_RETENTION_YEARS, six by
default) has passed since the **latest** of:

* the newest row of the record (a completion, a quiz attempt, a shift or a call: its creation or
  last change), the learner's joining and last login: the record was "created" or added to then;
* the certificate it supports: a certificate is in effect until it expires, is revoked or is
  replaced; a current certificate that never expires keeps the whole record indefinitely.

Decisions (docs/operations.md, "Retention"):

* Per learner, never row by row: a certificate cites completions as its evidence, so parts of one
  record never go before the rest.
* Purged, then anonymised: the training rows (completions, attempts, shifts, calls, certificates
  and their PDFs, comments, reminders, accommodations, sign-offs, exceptions, due-date overrides,
  memberships, summaries) are deleted; the user row stays, anonymised and deactivated, because the
  audit trail names users by id and must not lose its actor.
* Audit events are never deleted here: the trail is append-only (coursesite.audit) and its own
  retention is a separate, deliberate decision (164.316(b)(2) asks six years of it too). Each purge
  writes one audit row (ids and counts only).
* Only trainees are purged (role "trainee", not staff); supervisors' and editors' accounts are not
  training records.
* Nothing is purged inside the period: a learner is due only when the end of the period is
  strictly before now.
"""

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models import Max, Q
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from coursesite.audit.services import audit_record
from coursesite.certificates.models import Certificate, RuleException, SignOff
from coursesite.certificates.services import add_months
from coursesite.people.models import AssignmentOverride, Membership, User
from coursesite.progress.models import Completion
from quizzes.models import Attempt, QuizAccommodation
from simulations.models import CallSession, Shift

from .models import LearnerCourseSummary, Nudge, SupervisorComment

BATCH = 500


HIPAA_MINIMUM_YEARS = 6  # 45 CFR 164.530(j)(2)


def retention_years(years: int | None = None) -> int:
    """The configured retention period; never shorter than HIPAA's six years."""
    years = int(settings.TRAINING_RECORD_RETENTION_YEARS if years is None else years)
    if years < HIPAA_MINIMUM_YEARS:
        raise ImproperlyConfigured(
            f"TRAINING_RECORD_RETENTION_YEARS is {years}; 45 CFR 164.530(j)(2) requires at least {HIPAA_MINIMUM_YEARS}."
        )
    return years


def retention_cutoff(*, now: datetime.datetime | None = None, years: int | None = None) -> datetime.datetime:
    """Records whose retention clock started before this moment are past their retention period."""
    years = retention_years(years)
    return add_months(now or timezone.now(), -12 * years)


def _latest(values) -> datetime.datetime | None:
    present = [value for value in values if value is not None]
    return max(present) if present else None


# A sentinel later than any date: "in effect" with no end (a current certificate that never expires).
FOREVER = datetime.datetime.max.replace(tzinfo=datetime.UTC)


def retention_clock_starts(learner_ids: list[int]) -> dict[int, datetime.datetime]:
    """For each learner, when their record's retention period starts (the later of its newest entry
    and the end of its certificates' effect); FOREVER while a never-expiring certificate is current.
    Three queries for any number of learners."""
    starts: dict[int, list] = {pk: [] for pk in learner_ids}
    for pk, joined, last_login in User.objects.filter(pk__in=learner_ids).values_list(
        "pk", "date_joined", "last_login"
    ):
        starts[pk] += [joined, last_login]
    # GREATEST is NULL on SQLite when any argument is: an unfinished attempt counts from its start.
    latest = Max(Greatest("started_at", Coalesce("submitted_at", "started_at")))
    grouped = [
        manager.filter(learner_id__in=learner_ids).order_by().values("learner_id").annotate(at=at)
        for manager, at in (
            (Completion.objects, Max("completed_at")),
            (Attempt.objects, latest),
            (Shift.objects, latest),
            (CallSession.objects, latest),
        )
    ]
    for row in grouped[0].union(*grouped[1:], all=True):  # one query for the four kinds of entry
        starts[row["learner_id"]].append(row["at"])
    certificates = Certificate.objects.filter(learner_id__in=learner_ids).values_list(
        "learner_id", "status", "issued_at", "expires_at", "revoked_at"
    )
    for learner_id, status, issued_at, expires_at, revoked_at in certificates:
        if status == Certificate.Status.VALID:
            starts[learner_id].append(expires_at or FOREVER)
        else:  # revoked: in effect until revoked; superseded: its replacement carries the date on
            starts[learner_id] += [issued_at, revoked_at]
    return {pk: _latest(values) for pk, values in starts.items() if _latest(values) is not None}


def learner_retained_until(learner: User) -> datetime.datetime | None:
    """The earliest moment the learner's training record may be purged; None while it must be kept
    indefinitely (a current certificate that never expires)."""
    start = retention_clock_starts([learner.pk]).get(learner.pk)
    if start is None or start == FOREVER:
        return None
    return add_months(start, 12 * retention_years())


@dataclass
class PurgeCandidate:
    learner_id: int
    clock_started: datetime.datetime
    counts: dict[str, int] = field(default_factory=dict)


def _record(learner_id: int) -> dict[str, object]:
    """The querysets that make up one learner's training record, by name (deletion order matters:
    certificates last-issued first, since a renewal points to the one it replaced)."""
    return {
        "completions": Completion.objects.filter(learner_id=learner_id),
        "quiz attempts": Attempt.objects.filter(learner_id=learner_id),
        "office shifts": Shift.objects.filter(learner_id=learner_id),
        "phone calls": CallSession.objects.filter(learner_id=learner_id),
        "quiz accommodations": QuizAccommodation.objects.filter(learner_id=learner_id),
        "due-date overrides": AssignmentOverride.objects.filter(learner_id=learner_id),
        "supervisor comments": SupervisorComment.objects.filter(learner_id=learner_id),
        "reminders": Nudge.objects.filter(learner_id=learner_id),
        "sign-offs": SignOff.objects.filter(learner_id=learner_id),
        "rule exceptions": RuleException.objects.filter(learner_id=learner_id),
        "summaries": LearnerCourseSummary.objects.filter(learner_id=learner_id),
        "certificates": Certificate.objects.filter(learner_id=learner_id),
        "cohort memberships": Membership.objects.filter(user_id=learner_id),
    }


def training_records_due(*, now: datetime.datetime | None = None, years: int | None = None) -> Iterator[PurgeCandidate]:
    """Trainees whose whole record is past the retention period, oldest clock first, streamed."""
    cutoff = retention_cutoff(now=now, years=years)
    # Only trainees who have not been purged already (anonymised users are inactive with no rows left).
    trainees = (
        User.objects.filter(role=User.Role.TRAINEE, is_staff=False, is_superuser=False, date_joined__lt=cutoff)
        .filter(~Q(email__endswith="@purged.invalid"))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    batch: list[int] = []
    for learner_id in trainees.iterator(chunk_size=BATCH):
        batch.append(learner_id)
        if len(batch) >= BATCH:
            yield from _due_in(batch, cutoff)
            batch = []
    yield from _due_in(batch, cutoff)


def _due_in(learner_ids: list[int], cutoff: datetime.datetime) -> Iterator[PurgeCandidate]:
    if not learner_ids:
        return
    for learner_id, started in sorted(retention_clock_starts(learner_ids).items(), key=lambda item: item[1]):
        if started < cutoff:
            yield PurgeCandidate(learner_id=learner_id, clock_started=started)


def training_record_purge(
    *, learner_id: int, now: datetime.datetime | None = None, years: int | None = None
) -> dict[str, int] | None:
    """Delete one trainee's training record and anonymise their account, in one transaction with its
    audit row; None (and nothing changed) if the record is still inside its retention period."""
    now = now or timezone.now()
    with transaction.atomic():
        learner = User.objects.select_for_update().filter(pk=learner_id, role=User.Role.TRAINEE).first()
        if learner is None:
            return None
        started = retention_clock_starts([learner_id]).get(learner_id)
        # Checked again inside the transaction: a login or a certificate since the scan keeps the record.
        if started is None or started >= retention_cutoff(now=now, years=years):
            return None
        counts: dict[str, int] = {}
        for name, queryset in _record(learner_id).items():
            if name == "certificates":
                counts[name] = 0
                for certificate in queryset.order_by("-issued_at", "-pk"):
                    if certificate.pdf:
                        certificate.pdf.delete(save=False)
                    certificate.delete()
                    counts[name] += 1
            else:
                counts[name] = queryset.delete()[1].get(queryset.model._meta.label, 0)
        learner.email = f"learner-{learner.pk}@purged.invalid"
        learner.display_name = "Former trainee"
        learner.is_active = False
        learner.set_unusable_password()
        learner.save(update_fields=["email", "display_name", "is_active", "password"])
        _forget_account(learner)
        audit_record(
            action="training_record_purged",
            actor=None,
            target=learner,
            retention_years=retention_years(years),
            clock_started=started.isoformat(),
            counts={name: n for name, n in counts.items() if n},
        )
    return counts


def _forget_account(learner: User) -> None:
    """The login identities that still hold the address or a second factor (allauth's own tables)."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator

    EmailAddress.objects.filter(user=learner).delete()
    Authenticator.objects.filter(user=learner).delete()


def training_record_counts(learner_id: int) -> dict[str, int]:
    """What a purge of this learner would delete (for a dry run)."""
    return {name: queryset.count() for name, queryset in _record(learner_id).items()}
