"""The practice office's models.

Dependencies run one way: `sandbox` (a trainee's shift and its office rows) → `billing` (its ledger,
claims and remittances) → `scenario` (the authored definitions and the course step) →
`coursesite.progress` / `coursesite.people`; `claims` (replacement/void/secondary links, denial work, marked defects) → `billing`; `call` (phone-call steps and a trainee's sessions) stands
beside them.
"""

from .billing import Claim, ClaimLine, LedgerEntry, Remittance
from .call import CallPage, CallSession, CallStep
from .claims import ClaimLink, DefectMark, DenialWork
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
    "ClaimLink",
    "DefectMark",
    "DenialWork",
    "LedgerEntry",
    "OfficeTemplate",
    "Patient",
    "Remittance",
    "Scenario",
    "Shift",
    "SimulationPage",
]
