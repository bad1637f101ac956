"""The correct answer to a request (`Decision`), the X-errors in what a trainee did, and a grade."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from .facts import (
    ACTION_EDIT_CLINICAL_ENTRY,
    ACTION_OPEN_RECORD,
    ACTION_RELEASE,
    ACTION_REQUIRE_REASON,
    NON_PHI_CONTENT,
    Content,
    Outcome,
    Step,
)


@dataclass(frozen=True)
class CriticalError:
    code: str
    message: str
    citation: str


@dataclass(frozen=True)
class Decision:
    outcome: Outcome
    steps: tuple[Step, ...]
    scope: frozenset[Content]
    citations: tuple[str, ...]
    reason: str
    due: date | None = None
    acceptable: frozenset[Outcome] = frozenset()  # other outcomes that earn full decision credit
    verification_required: bool = True

    def accepts(self, outcome: Outcome | str) -> bool:
        return Outcome(outcome) == self.outcome or Outcome(outcome) in self.acceptable

    def critical_errors(
        self,
        decision_taken: Outcome | str,
        content_released: Iterable[str],
        steps_taken: Sequence[str],
    ) -> list[CriticalError]:
        """X-errors in what the trainee did. `steps_taken` is ordered; it may contain `release` to mark the
        moment of release (otherwise release is taken to come after every step) and the actions
        `open_record` / `edit_clinical_entry`."""
        del decision_taken  # a wrong outcome alone is a graded mistake, not an X; what was released decides
        errors: list[CriticalError] = []
        released = {str(item) for item in content_released}
        phi = released - NON_PHI_CONTENT
        not_entitled = sorted(phi - {str(item) for item in self.scope})
        if not_entitled:
            errors.append(
                CriticalError(
                    "phi_to_unentitled",
                    f"Released to someone not entitled to it: {', '.join(not_entitled)}.",
                    self.citations[0] if self.citations else "45 CFR 164.502(a)",
                )
            )
        steps = [str(step) for step in steps_taken]
        if phi and self.verification_required:
            cut = steps.index(ACTION_RELEASE) if ACTION_RELEASE in steps else len(steps)
            before = set(steps[:cut])
            if not before & {Step.VERIFY_IDENTITY.value, Step.CALL_BACK_NUMBER_ON_FILE.value}:
                errors.append(
                    CriticalError(
                        "disclosure_before_verification",
                        "PHI was released before the requester's identity was verified.",
                        "45 CFR 164.514(h)(1)",
                    )
                )
        if ACTION_EDIT_CLINICAL_ENTRY in steps:
            errors.append(
                CriticalError(
                    "edited_clinical_entry",
                    "The front desk changed a clinical entry; amendments go to the provider and the original stays.",
                    "45 CFR 164.526",
                )
            )
        if ACTION_OPEN_RECORD in steps and Step.DO_NOT_ACCESS_RECORD in self.steps:
            errors.append(
                CriticalError(
                    "access_without_need",
                    "A chart was opened without a job need.",
                    "45 CFR 164.502(b), 164.514(d)(2)",
                )
            )
        return errors

    def step_mistakes(self, steps_taken: Sequence[str]) -> tuple[list[Step], list[Step], list[str]]:
        """(missing steps, steps out of order, forbidden actions taken), for feedback and partial credit."""
        taken = [str(step) for step in steps_taken]
        missing = [step for step in self.steps if step.value not in taken]
        done = [step for step in self.steps if step.value in taken]
        positions = [taken.index(step.value) for step in done]
        out_of_order = [step for step, pos, prev in zip(done[1:], positions[1:], positions, strict=False) if pos < prev]
        forbidden = [a for a in taken if a in (ACTION_REQUIRE_REASON, ACTION_EDIT_CLINICAL_ENTRY, ACTION_OPEN_RECORD)]
        return missing, out_of_order, forbidden


@dataclass(frozen=True)
class RequestGrade:
    decision_correct: bool
    missing_steps: list[Step]
    steps_out_of_order: list[Step]
    forbidden_actions: list[str]
    critical_errors: list[CriticalError]
    score: int  # percent of the decision (50) + steps (50) points; 0 with any critical error
    citations: tuple[str, ...] = field(default=())


def request_grade(
    expected: Decision,
    *,
    decision_taken: Outcome | str,
    steps_taken: Sequence[str],
    content_released: Iterable[str] = (),
) -> RequestGrade:
    """Decision and steps weigh equally (the bank's 40 % + 40 %; the 20 % for communication comes from the
    branching call). Any critical error sets the score to 0."""
    content = list(content_released)
    missing, out_of_order, forbidden = expected.step_mistakes(steps_taken)
    criticals = expected.critical_errors(decision_taken, content, steps_taken)
    decision_ok = expected.accepts(decision_taken)
    step_total = len(expected.steps) or 1
    step_points = max(0, step_total - len(missing) - len(out_of_order) - len(forbidden))
    score = 0 if criticals else round(50 * decision_ok + 50 * step_points / step_total)
    return RequestGrade(decision_ok, missing, out_of_order, forbidden, criticals, score, expected.citations)
