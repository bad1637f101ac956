"""The practice office's models.

Dependencies run one way: `sandbox` (a trainee's shift and its office rows) → `billing` (its ledger,
claims and remittances) → `accounts` (desk receipts, payment plans,
statements, deposit counts) → `scenario` (the authored definitions and the course step) →
`coursesite.progress` / `coursesite.people`; `claims` (replacement/void/secondary links, denial work,
marked defects) → `billing`; `call` (phone-call steps and a trainee's sessions) stands beside them;
`calendar` (recurring series and provider blocks), `coverage` (a patient's primary and secondary
plans), `incidents` (privacy incident reports, break-the-glass grants) and `records` (the records desk:
requests, documents, the disclosure log) hang off `sandbox`.
"""

from .accounts import DepositCount, PaymentPlan, Receipt, Statement, StatementRun
from .billing import Claim, ClaimLine, LedgerEntry, Remittance
from .calendar import AppointmentSeries, ProviderBlock, SeriesOccurrence
from .call import CallPage, CallSession, CallStep
from .claims import ClaimLink, DefectMark, DenialWork
from .coverage import Coverage
from .incidents import BreakGlassGrant, IncidentReport
from .records import Disclosure, RecordDocument, RecordSection, RecordsRequest
from .sandbox import ActionLog, Appointment, ChartEntry, Patient, Shift
from .scenario import OfficeTemplate, Scenario, SimulationPage

__all__ = [
    "ActionLog",
    "Appointment",
    "AppointmentSeries",
    "BreakGlassGrant",
    "CallPage",
    "CallSession",
    "CallStep",
    "ChartEntry",
    "DepositCount",
    "IncidentReport",
    "Claim",
    "ClaimLine",
    "Coverage",
    "ClaimLink",
    "DefectMark",
    "DenialWork",
    "Disclosure",
    "LedgerEntry",
    "OfficeTemplate",
    "PaymentPlan",
    "Receipt",
    "Patient",
    "ProviderBlock",
    "RecordDocument",
    "RecordSection",
    "RecordsRequest",
    "Remittance",
    "Scenario",
    "SeriesOccurrence",
    "Shift",
    "Statement",
    "StatementRun",
    "SimulationPage",
]
