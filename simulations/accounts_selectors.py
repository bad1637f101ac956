"""Reads for the patient-account screens and the grader; every read filters by the shift (404 outside it)."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.shortcuts import get_object_or_404

from .billing import ledger as dl
from .billing.daysheet import DaySheet, Reconciliation, day_sheet, deposit_reconcile
from .billing.ledger import PaymentMethod
from .models import DepositCount, LedgerEntry, Patient, PaymentPlan, Receipt, Remittance, Shift, Statement, StatementRun

ZERO = Decimal("0.00")


def receipts_for_appointment(*, shift: Shift, appointment) -> list[Receipt]:
    return list(Receipt.objects.for_shift(shift).filter(appointment=appointment).order_by("pk"))


@dataclass
class AccountExtras:
    credits: dict[str, Decimal]
    pending_insurance: bool
    receipts: list[Receipt]
    plans: list[PaymentPlan]


def account_extras(*, shift: Shift, patient: Patient) -> AccountExtras:
    """Credit balances, receipts and payment plans of one account (three queries)."""
    from .billing_services import ledger_load

    ledger = ledger_load(shift=shift, patient=patient)
    return AccountExtras(
        credits={str(p): c for p, c in ledger.credit_balance().items()},
        pending_insurance=ledger.has_pending_insurance(),
        receipts=list(Receipt.objects.for_shift(shift).filter(patient=patient).order_by("pk")),
        plans=list(PaymentPlan.objects.for_shift(shift).filter(patient=patient).order_by("pk")),
    )


@dataclass
class AccountRow:
    patient: Patient
    patient_balance: Decimal
    insurance_balance: Decimal
    aging: dl.AgingBuckets
    eligible: bool


def statement_candidates(*, shift: Shift) -> list[AccountRow]:
    """Every account with a balance either way, its aging as of the office's today (one query)."""
    from .billing_services import entry_domain

    by_patient: dict[int, list] = defaultdict(list)
    patients: dict[int, Patient] = {}
    for row in LedgerEntry.objects.for_shift(shift).select_related("patient").order_by("pk"):
        by_patient[row.patient_id].append(entry_domain(row))
        patients[row.patient_id] = row.patient
    today = shift.now.date()
    rows = []
    for pk, entries in by_patient.items():
        ledger = dl.Ledger(entries)
        if ledger.patient_balance() == 0 and ledger.insurance_balance() == 0:
            continue
        rows.append(AccountRow(patients[pk], ledger.patient_balance(), ledger.insurance_balance(),
                               ledger.aging(today), ledger.statement_eligible()))  # fmt: skip
    return sorted(rows, key=lambda r: (r.patient.last_name, r.patient.first_name))


def statement_runs(*, shift: Shift) -> list[StatementRun]:
    """The runs of this shift with their statements and patients (two queries)."""
    runs = list(StatementRun.objects.for_shift(shift).order_by("-pk"))
    by_run: dict[int, list[Statement]] = defaultdict(list)
    for s in Statement.objects.for_shift(shift).select_related("patient").order_by("patient__last_name"):
        by_run[s.run_id].append(s)
    for run in runs:
        run.statement_list = by_run[run.pk]
    return runs


def statement_in_shift(*, shift: Shift, statement_id: int) -> Statement:
    return get_object_or_404(Statement.objects.for_shift(shift).select_related("patient", "run"), pk=statement_id)


@dataclass
class DayClose:
    day: date
    sheet: DaySheet
    entries: list[LedgerEntry]
    receipts: list[Receipt]
    last_count: DepositCount | None
    reconciliation: Reconciliation | None
    methods: list[str] = field(
        default_factory=lambda: [m.value for m in (PaymentMethod.CASH, PaymentMethod.CHECK, PaymentMethod.CARD)]
    )


def day_close_view(*, shift: Shift) -> DayClose:
    """Today's day sheet, its entries and receipts, and the last deposit count (three queries)."""
    from .billing_services import entry_domain

    today = shift.now.date()
    entries = list(
        LedgerEntry.objects.for_shift(shift).filter(posted_on=today).select_related("patient").order_by("pk")
    )
    sheet = day_sheet([entry_domain(e) for e in entries], day=today)
    receipts = list(Receipt.objects.for_shift(shift).filter(taken_on=today).select_related("patient").order_by("pk"))
    last = DepositCount.objects.for_shift(shift).filter(day=today).order_by("-pk").first()
    reconciliation = None
    if last is not None:
        reconciliation = deposit_reconcile(sheet, {PaymentMethod(m): Decimal(v) for m, v in last.counted.items()})
    return DayClose(today, sheet, entries, receipts, last, reconciliation)


def remittance_in_shift(*, shift: Shift, remittance_id: int) -> Remittance:
    return get_object_or_404(Remittance.objects.for_shift(shift).select_related("claim__patient"), pk=remittance_id)


def accounts_grading_data(*, shift: Shift, key_by_id: dict[int, str]) -> dict:
    """Receipts, plans, statements and deposit counts as plain data (four queries), only for a scenario
    that grades them."""
    from .grading.accounts import ACCOUNT_CHECKS

    if not any(c["check"] in ACCOUNT_CHECKS for c in shift.variant.get("checks", [])):
        return {}
    receipts = [
        {"patient": key_by_id[r.patient_id], "appointment": r.appointment.key if r.appointment_id else "",
         "amount": str(r.amount), "method": r.method, "detail": r.detail, "number": r.number}
        for r in Receipt.objects.for_shift(shift).select_related("appointment").order_by("pk")
    ]  # fmt: skip
    plans = [
        {"patient": key_by_id[p.patient_id], "balance": str(p.balance), "count": p.count, "schedule": p.schedule}
        for p in PaymentPlan.objects.for_shift(shift).order_by("pk")
    ]
    statements = [
        {"patient": key_by_id[s.patient_id], "amount_due": str(s.amount_due), "aging": s.aging}
        for s in Statement.objects.for_shift(shift).order_by("pk")
    ]
    counts = [
        {"day": c.day, "counted": c.counted, "expected": c.expected, "balanced": c.balanced}
        for c in DepositCount.objects.for_shift(shift).order_by("pk")
    ]
    return {"receipts": receipts, "plans": plans, "statements": statements, "deposit_counts": counts}
