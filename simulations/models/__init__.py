"""The practice office's models.

Dependencies run one way: `sandbox` (a trainee's shift and its office rows) → `billing` (its ledger,
claims and remittances) → `scenario` (the authored definitions and the course step) →
`coursesite.progress` / `coursesite.people`; `call` (phone-call steps and a trainee's sessions) stands
beside them; `coverage` (a patient's primary and secondary plans) hangs off `sandbox`.
"""

from .billing import Claim, ClaimLine, LedgerEntry, Remittance
from .call import CallPage, CallSession, CallStep
from .coverage import Coverage
from .sandbox import ActionLog, Appointment, ChartEntry, Patient, Shift
from .scenario import OfficeTemplate, Scenario, SimulationPage

__all__ = [
    "ActionLog",
    "Appointment",
    "CallPage",
    "CallSession",
    "CallStep",
    "ChartEntry",
    "Claim",
    "ClaimLine",
    "Coverage",
    "LedgerEntry",
    "OfficeTemplate",
    "Patient",
    "Remittance",
    "Scenario",
    "Shift",
    "SimulationPage",
]
