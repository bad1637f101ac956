"""The calls shipped in content/calls: every variant's ideal path scores 100 % on every axis, and the typical
bad paths are caught (critical errors, order checks, missing required steps)."""

import pytest

from simulations.calls import Axis, call_score, call_walk, calls_load_all, ideal_path

CALLS = calls_load_all()
VARIANTS = [(call_id, variant) for call_id, call in CALLS.items() for variant in call.variants]


def test_the_six_required_calls_are_shipped_with_two_variants_each():
    assert set(CALLS) >= {
        "t1-angry-bill",
        "t2-same-day-no-slots",
        "t4-insurer-records",
        "t5-interpreter",
        "family-results",
        "s6-red-flag",
    }
    assert all(len(call.variants) >= 2 for call in CALLS.values())


@pytest.mark.parametrize(("call_id", "variant"), VARIANTS, ids=[f"{c}/{v}" for c, v in VARIANTS])
def test_ideal_path_scores_100_on_every_axis(call_id, variant):
    call = CALLS[call_id]
    choices, notes = ideal_path(call, variant)
    transcript = call_walk(call, choices, notes=notes, variant=variant)
    result = call_score(call, transcript)
    assert transcript.finished
    assert result.axes == dict.fromkeys(Axis, 100.0)
    assert result.passed
    assert result.feedback == ()
    assert all(not note.missing for note in result.notes)
    assert "{" not in " ".join(turn.caller_line + turn.choice_text + turn.note for turn in transcript.turns)


@pytest.mark.parametrize("call_id", sorted(CALLS))
def test_variants_change_what_the_caller_says(call_id):
    call = CALLS[call_id]
    first, second = list(call.variants)[:2]
    choices, notes = ideal_path(call)
    lines = [call_walk(call, choices, notes=notes, variant=v).turns[0].caller_line for v in (first, second)]
    assert lines[0] != lines[1]


def _score(call_id, choices, note="", variant=None):
    call = CALLS[call_id]
    notes = {node_id: note for node_id, node in call.nodes.items() if node.note}
    transcript = call_walk(call, choices, notes=notes, variant=variant)
    return call_score(call, transcript)


def _codes(result):
    return [error.code for error in result.critical_errors]


def test_t1_balance_before_verification_and_promising_payment_fail_the_call():
    result = _score("t1-angry-bill", ["neutral", "balance-first", "promise", "due-now", "abrupt"], note="called")
    assert _codes(result) == ["phi_before_verification", "promising_outcome"]
    assert result.sequence_failures == (
        "Verify the caller's identity before discussing the balance. (45 CFR 164.514(h)(1))",
        "Acknowledge the caller's feelings before explaining the bill.",
    )
    assert result.missing_required == ("The caller said they cannot pay at once and was never offered a payment plan.",)
    assert not result.passed
    better = {item.node_id: item.better_id for item in result.feedback}
    assert better == {
        "open": "empathise",
        "verify": "two-identifiers",
        "explain": "deductible",
        "plan": "payment-plan",
        "close": "thank",
    }


def test_t1_blaming_the_caller_is_critical_even_if_the_rest_is_right():
    result = _score("t1-angry-bill", ["blame", "two-identifiers", "deductible", "payment-plan", "thank"])
    assert _codes(result) == ["arguing_blaming"]
    assert result.axes[Axis.COMPLIANCE] < 100  # the note was left blank
    assert result.sequence_failures == ("Acknowledge the caller's feelings before explaining the bill.",)


def test_t1_name_only_then_explaining_is_caught_as_phi_before_verification():
    result = _score("t1-angry-bill", ["empathise", "name-only", "deductible", "payment-plan", "thank"])
    assert _codes(result) == ["phi_before_verification"]
    assert result.axes[Axis.ACCURACY] < 100 or result.axes[Axis.COMPLIANCE] < 100


def test_t2_medical_advice_and_booking_without_verification():
    result = _score("t2-same-day-no-slots", ["diagnose", "skip", "overbook", "book-only", "advice", "bye"])
    assert _codes(result) == ["medical_advice", "medical_advice"]
    assert result.sequence_failures == (
        "Verify the caller with two identifiers before booking (right patient, right chart). (45 CFR 164.514(h)(1))",
    )
    assert result.missing_required == ("No alternative to the full schedule was offered.",)


def test_t2_acceptable_path_passes_with_partial_scores():
    result = _score(
        "t2-same-day-no-slots",
        ["empathise", "two-identifiers", "alternatives", "book-only", "unsure", "thank"],
        note="Patient called for a same-day appointment, verified DOB, booked, added to wait-list",
    )
    assert result.passed
    assert result.axes[Axis.COMPLIANCE] < 100
    assert result.axes[Axis.SERVICE] < 100


def test_t4_reading_the_chart_before_calling_back_is_critical():
    result = _score("t4-insurer-records", ["read-out", "minimum-necessary", "decline-notes", "log"])
    assert _codes(result) == ["phi_before_verification"]
    assert result.sequence_failures == (
        "Call the payer back on the number on file before releasing any record. (45 CFR 164.514(h)(1))",
    )


def test_t4_whole_chart_and_therapy_notes_are_disclosures_to_someone_not_entitled():
    result = _score("t4-insurer-records", ["direct-line", "whole-chart", "send-notes", "bye"])
    assert _codes(result) == ["phi_to_unentitled", "phi_to_unentitled", "phi_before_verification"]
    assert result.missing_required == ("The release was not logged.",)
    assert result.axes[Axis.COMPLIANCE] == 0.0


def test_t5_child_interpreter_and_result_interpretation():
    result = _score("t5-interpreter", ["slower", "use-child", "results-first", "interpret", "nothing"])
    assert _codes(result) == ["phi_before_verification", "medical_advice"]
    assert result.missing_required == ("The language preference was not recorded for future calls and visits.",)
    child = next(item for item in result.feedback if item.node_id == "child")
    assert "92.201" in child.better_feedback


def test_family_member_told_results_is_critical():
    result = _score("family-results", ["results", "decline", "empathise-again", "thank"], variant="becker")
    assert _codes(result) == ["phi_to_unentitled"]
    assert "Ruth Becker" in result.feedback[0].better_text or "her" in result.feedback[0].better_text


def test_family_abrupt_refusal_and_arguing_fail_order_checks():
    result = _score("family-results", ["wall", "poa", "rules", "bye"])
    assert _codes(result) == ["arguing_blaming"]
    assert result.sequence_failures == (
        "Check the chart for authorized contacts or an authorization before answering. (45 CFR 164.510(b)(1))",
        "Acknowledge the caller's concern before saying no.",
    )
    assert result.missing_required == ("The caller was not told how the patient can let the office share information.",)


def test_red_flag_booked_as_routine_is_a_missed_emergency():
    result = _score("s6-red-flag", ["book", "book-anyway"], variant="stroke-signs")
    assert _codes(result) == ["missed_emergency", "missed_emergency"]
    assert result.missing_required == (
        "The caller was never told to call 911.",
        "Clinical staff were not told about the red-flag call.",
    )
    assert result.axes[Axis.COMPLIANCE] == 0.0


def test_red_flag_reassurance_is_medical_advice_and_a_transfer_alone_misses_911():
    advice = _score("s6-red-flag", ["reassure", "insist"])
    assert _codes(advice) == ["medical_advice"]
    transfer = _score("s6-red-flag", ["transfer", "up-to-you"], note="called 10:05, chest pain, nurse notified")
    assert _codes(transfer) == []
    assert transfer.missing_required == ("The caller was never told to call 911.",)
    assert not transfer.passed
