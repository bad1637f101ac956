"""The deterministic grader: pure functions over a shift's end state and action log.

Each check is a function `(g, **params) -> Outcome` registered by name in CHECKS; a scenario names the
check and its parameters in YAML, so a new scenario needs no code. The kinds (E end state, P process,
C computation, A artefact, X critical error) are declared by the scenario; an X check that fails fails
the shift whatever the points (see `grade`).

One module per part of the office registers its checks: `frontoffice` (scheduling, registration,
charting), `calendar` (recurring series, provider blocks), `billing` (claims, remittances, ledger),
`claims` (denials, corrected and secondary claims, the scrubbing batch), `accounts` (copays, deposit,
statements, refunds, payment plans, hand-posted ERAs), `incidents` (incident reports, break-the-glass),
`records` (the records desk: HIPAA requests), `registration` (coverages and their order). Import this
package, not the modules.
"""

from . import accounts, billing, calendar, claims, frontoffice, incidents, records, registration  # noqa: F401  (importing registers their checks)
from .core import CHECKS, GradingInput, Outcome, check, grade, normalise, resolve_patient, word_diff

__all__ = ["CHECKS", "GradingInput", "Outcome", "check", "grade", "normalise", "resolve_patient", "word_diff"]
