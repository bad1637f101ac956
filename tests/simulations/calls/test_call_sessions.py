"""Call sessions through the services: legal and illegal answers, double submits, scoring, completion."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from coursesite.audit.models import AppendOnlyError, AuditEvent
from coursesite.progress.models import Completion
from simulations.call_services import (
    CallActionError,
    CallAlreadyAnswered,
    call_session_choose,
    call_session_finish,
    call_session_start,
    call_transcript,
    call_variant_for,
)
from simulations.calls import ideal_path
from simulations.calls_registry import call_definition
from simulations.models import CallSession, CallStep
from simulations.solutions import call_work_ideal
from tests.factories import make_call_page

# A poor but non-critical way through t1-angry-bill: no empathy first, name-only "verification".
NEUTRAL_PATH = ["neutral", "name-only", "deductible", "payment-plan", "thank"]
GOOD_NOTE = "Patient called about the bill. Verified by DOB. Set up payment plan; first payment due 12/1."


def answer_all(session, choices, note=GOOD_NOTE):
    definition = call_definition(session.call_id)
    pending = list(choices)
    while not (transcript := call_transcript(session=session)).finished:
        step = len(transcript.turns) + 1
        if definition.nodes[transcript.current_node].note is not None:
            session = call_session_choose(session=session, step=step, note=note)
        else:
            session = call_session_choose(session=session, step=step, choice_id=pending.pop(0))
    return session


def test_starting_twice_resumes_the_open_session_with_a_variant_seeded_per_trainee(call_page, trainee, session):
    assert call_session_start(learner=trainee, page=call_page).pk == session.pk
    definition = call_definition("t1-angry-bill")
    assert session.variant in definition.variants
    assert session.variant == call_variant_for(learner=trainee, definition=definition, number=1)
    assert AuditEvent.objects.filter(action="call_started").count() == 1


def test_a_legal_choice_is_recorded_as_an_append_only_step(session):
    session = call_session_choose(session=session, step=1, choice_id="empathise")
    assert session.choices == ["empathise"]
    step = CallStep.objects.get(session=session)
    assert (step.number, step.node_id, step.choice_id) == (1, "open", "empathise")
    assert call_transcript(session=session).current_node == "verify"
    with pytest.raises(AppendOnlyError):
        step.save()
    with pytest.raises(AppendOnlyError):
        CallStep.objects.filter(session=session).update(choice_id="blame")


def test_a_choice_not_offered_at_the_current_node_is_refused(session):
    with pytest.raises(CallActionError, match="Choose one of the answers"):
        call_session_choose(session=session, step=1, choice_id="two-identifiers")  # a choice of the next node
    with pytest.raises(CallActionError):
        call_session_choose(session=session, step=1, choice_id="")
    session.refresh_from_db()
    assert session.choices == [] and not CallStep.objects.exists()


def test_a_double_submit_of_the_same_step_records_one_answer(session):
    call_session_choose(session=session, step=1, choice_id="empathise")
    with pytest.raises(CallAlreadyAnswered):
        call_session_choose(session=session, step=1, choice_id="blame")  # the stale form, resent
    session.refresh_from_db()
    assert session.choices == ["empathise"] and CallStep.objects.count() == 1


def test_the_database_refuses_a_second_answer_with_the_same_step_number(session):
    now = timezone.now()
    CallStep.objects.create(session=session, number=1, node_id="open", choice_id="empathise", answered_at=now)
    with pytest.raises(IntegrityError), transaction.atomic():
        CallStep.objects.create(session=session, number=1, node_id="verify", choice_id="name-only", answered_at=now)


def test_a_note_node_needs_text(session):
    definition = call_definition("t1-angry-bill")
    choices, _ = ideal_path(definition, session.variant)
    for number, choice in enumerate(choices, start=1):
        session = call_session_choose(session=session, step=number, choice_id=choice)
    with pytest.raises(CallActionError, match="Write the note"):
        call_session_choose(session=session, step=len(choices) + 1, note="   ")
    with pytest.raises(CallActionError):
        call_session_finish(session=session)  # not finished yet
    session = call_session_choose(session=session, step=len(choices) + 1, note=GOOD_NOTE)
    assert session.notes == {"document": GOOD_NOTE}
    assert call_transcript(session=session).finished


def test_the_ideal_call_passes_and_records_the_completion_with_its_score(session, call_page, trainee):
    session = call_work_ideal(session)
    assert session.submitted_at is not None and session.passed is True
    assert session.score == Decimal("100.0")
    assert session.result["critical_errors"] == [] and set(session.result["axes"].values()) == {100.0}
    completion = Completion.objects.get(learner=trainee, step_id=call_page.pk)
    assert completion.passed and completion.score == Decimal("100.00")
    assert AuditEvent.objects.filter(action="call_finished").count() == 1
    with pytest.raises(CallAlreadyAnswered):
        call_session_choose(session=session, step=1, choice_id="empathise")
    with pytest.raises(CallAlreadyAnswered):
        call_session_finish(session=session)


def test_a_critical_error_fails_the_call_whatever_the_points(session, trainee, call_page):
    session = answer_all(session, ["blame", "two-identifiers", "deductible", "payment-plan", "thank"])
    session = call_session_finish(session=session)
    assert session.score >= 80 and session.passed is False
    assert [c["code"] for c in session.result["critical_errors"]] == ["arguing_blaming"]
    assert Completion.objects.get(learner=trainee, step_id=call_page.pk).passed is False


def test_a_call_below_the_pass_mark_fails_and_order_checks_are_reported(session):
    session = call_session_finish(session=answer_all(session, NEUTRAL_PATH))
    assert session.passed is False
    assert session.score < 80
    assert any(
        "empath" in message.lower() or "feelings" in message.lower() for message in session.result["sequence_failures"]
    )
    nodes = {item["node_id"]: item for item in session.result["feedback"]}
    assert nodes["verify"]["better_id"] == "two-identifiers"


def test_an_axis_minimum_fails_a_call_that_passes_overall(call_course, trainee):
    page = make_call_page(call_course, slug="strict", pass_mark=50, axis_minimums={"service": 100})
    session = call_session_start(learner=trainee, page=page)
    path = ["empathise", "two-identifiers", "deductible", "payment-plan", "abrupt"]  # one poor closing line
    session = call_session_finish(session=answer_all(session, path))
    assert session.result["axes"]["service"] < 100
    assert session.result["passed_checks"] is True and session.passed is False


def test_after_finishing_a_new_start_is_a_new_numbered_session(session, call_page, trainee):
    call_work_ideal(session)
    second = call_session_start(learner=trainee, page=call_page)
    assert second.pk != session.pk and second.number == 2


def test_the_database_allows_one_open_session_per_learner_and_step(session, call_page, trainee):
    with pytest.raises(IntegrityError), transaction.atomic():
        CallSession.objects.create(
            learner=trainee, page=call_page, call_id="t1-angry-bill", number=2, started_at=timezone.now()
        )
