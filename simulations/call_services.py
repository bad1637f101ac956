"""Phone-call steps: start a session, answer node by node, finish (score and record the completion).

Every write is atomic, locks the session row (a trainee's two tabs are serialised) and writes its audit
row; each answer is one append-only `CallStep`, unique per (session, number), so a double submit of the
same answer can never record it twice.
"""

import hashlib
import json
from dataclasses import asdict
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from coursesite.audit.services import audit_record
from coursesite.progress.services import completion_record
from coursesite.progress.timing import seconds_on_task

from .calls import CallDefinition, CallResult, IllegalChoice, Transcript, call_score, call_walk
from .calls_registry import call_definition
from .models import CallPage, CallSession, CallStep

NOTE_MAX_CHARS = 2000


class CallActionError(Exception):
    """An answer the call refuses, with a message the trainee can act on."""


class CallAlreadyAnswered(CallActionError):  # noqa: N818 (a state, not a failure of the trainee's)
    """The step was answered already (a double submit or a second tab): nothing was recorded."""


def _definition(session_or_page) -> CallDefinition:
    definition = call_definition(session_or_page.call_id)
    if definition is None:
        raise CallActionError(f"The call {session_or_page.call_id!r} is no longer available.")
    return definition


def call_variant_for(*, learner, definition: CallDefinition, number: int) -> str:
    """The variant a learner gets on their n-th attempt: seeded by learner, call and attempt, so a reload
    shows the same caller and classmates get different ones."""
    variants = sorted(definition.variants)
    if not variants:
        return ""
    digest = hashlib.sha256(f"{learner.pk}:{definition.id}:{number}".encode()).digest()
    return variants[int.from_bytes(digest[:4], "big") % len(variants)]


def call_transcript(*, session: CallSession, definition: CallDefinition | None = None) -> Transcript:
    definition = definition or _definition(session)
    return call_walk(definition, session.choices, notes=session.notes, variant=session.variant or None)


@transaction.atomic
def call_session_start(*, learner, page: CallPage) -> CallSession:
    """The learner's open session on this step, or a new one (the next number, a seeded variant)."""
    existing = CallSession.objects.filter(learner=learner, page=page, submitted_at__isnull=True).first()
    if existing is not None:
        return existing
    definition = _definition(page)
    number = (CallSession.objects.filter(learner=learner, page=page).aggregate(n=Max("number"))["n"] or 0) + 1
    try:
        with transaction.atomic():
            session = CallSession.objects.create(
                learner=learner,
                page=page,
                call_id=definition.id,
                variant=call_variant_for(learner=learner, definition=definition, number=number),
                number=number,
                started_at=timezone.now(),
            )
    except IntegrityError:  # a second tab started it first
        return CallSession.objects.get(learner=learner, page=page, submitted_at__isnull=True)
    audit_record(action="call_started", actor=learner, target=session, call=definition.id, variant=session.variant)
    return session


def _lock_open(session: CallSession) -> CallSession:
    locked = CallSession.objects.select_for_update().get(pk=session.pk)
    if not locked.is_open:
        raise CallAlreadyAnswered("This call has ended; start a new one to practise again.")
    return locked


@transaction.atomic
def call_session_choose(*, session: CallSession, step: int, choice_id: str = "", note: str = "") -> CallSession:
    """Record the answer to the node the call is waiting on. `step` is the number of the answer (1 for the
    first) as shown on the form: a stale form (double submit, second tab) is refused without recording."""
    session = _lock_open(session)
    definition = _definition(session)
    transcript = call_transcript(session=session, definition=definition)
    if transcript.finished:
        raise CallAlreadyAnswered("The call has ended.")
    if step != len(transcript.turns) + 1:
        raise CallAlreadyAnswered("That step of the call was answered already.")
    node = definition.nodes[transcript.current_node]
    choices, notes = list(session.choices), dict(session.notes)
    if node.note is not None:
        note = note.strip()
        if not note:
            raise CallActionError("Write the note before you continue.")
        if len(note) > NOTE_MAX_CHARS:
            raise CallActionError(f"Keep the note under {NOTE_MAX_CHARS} characters.")
        notes[node.id] = note
        choice_id = ""
    else:
        try:
            call_walk(definition, [*choices, choice_id], notes=notes, variant=session.variant or None)
        except IllegalChoice as exc:
            raise CallActionError("Choose one of the answers offered.") from exc
        choices.append(choice_id)
        note = ""
    try:
        with transaction.atomic():
            CallStep.objects.create(
                session=session,
                number=step,
                node_id=node.id,
                choice_id=choice_id,
                note=note,
                answered_at=timezone.now(),
            )
    except IntegrityError as exc:
        raise CallAlreadyAnswered("That step of the call was answered already.") from exc
    session.choices, session.notes = choices, notes
    session.save(update_fields=["choices", "notes"])
    audit_record(action="call_answered", actor=session.learner, target=session, step=step, node=node.id)
    return session


def call_result_data(result: CallResult) -> dict:
    """The scored call as JSON (stored on the session; the result page reads it back)."""
    data = asdict(result)
    data["axes"] = {str(axis): value for axis, value in result.axes.items()}
    data["passed_checks"] = result.passed
    return json.loads(json.dumps(data))  # plain lists and strings, as the JSON field reads it back


def call_passes(*, page: CallPage, result: CallResult) -> bool:
    """The pass rule: the whole call answered, overall at or above the pass mark, no critical error, every
    order check and required step met, and each configured axis at or above its minimum."""
    return result.meets(page.axis_minimums or {}) and result.overall >= page.pass_mark


@transaction.atomic
def call_session_finish(*, session: CallSession) -> CallSession:
    """Score the finished call, freeze the result and record the step's completion (best score kept)."""
    session = _lock_open(session)
    definition = _definition(session)
    transcript = call_transcript(session=session, definition=definition)
    if not transcript.finished:
        raise CallActionError("Answer every step of the call before it is scored.")
    result = call_score(definition, transcript)
    page = session.page
    session.result = call_result_data(result)
    session.score = Decimal(str(result.overall))
    session.passed = call_passes(page=page, result=result)
    session.submitted_at = timezone.now()
    session.full_clean()
    session.save()
    completion_record(
        learner=session.learner,
        step=page,
        course=page.get_parent(),
        passed=session.passed,
        score=session.score,
        seconds=seconds_on_task(started_at=session.started_at, ended_at=session.submitted_at),
    )
    audit_record(
        action="call_finished",
        actor=session.learner,
        target=session,
        score=str(session.score),
        passed=session.passed,
        critical=[c.code for c in result.critical_errors],
    )
    return session
