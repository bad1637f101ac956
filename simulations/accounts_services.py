"""The patient side of billing: copays at check-in, desk payments, refunds of credit balances, payment
plans, statement runs, the daily deposit count and the ERA posting worksheet; plus the scenario setup
that seeds accounts and remittances.

Each service is atomic, locks the shift (`_require_open`) and appends its action-log row in the same
transaction. The rules are the pure domain's (billing/checkin.py, payplans.py, statements.py,
daysheet.py, worksheet.py, ledger.py): a refused action raises OfficeActionError and changes nothing.
"""

import secrets
from collections import defaultdict
from datetime import date, datetime, time
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from .billing import ledger as dl
from .billing.checkin import DeskPaymentError, copay_due, desk_payment
from .billing.codes import GroupCode
from .billing.daysheet import CountError, day_sheet, deposit_reconcile, parse_counts
from .billing.money import MoneyError, money, positive_money
from .billing.payplans import PlanError, instalment_schedule
from .billing.remittance import Cas, ClaimStatus, RemitClaim, RemitLine
from .billing.remittance import Remittance as DomainRemittance
from .billing.statements import statement_build
from .billing.worksheet import WorksheetError, worksheet_entries, worksheet_parse
from .billing_services import entry_domain, entry_row, ledger_load, plan_rules, remittance_domain, remittance_json
from .models import (
    Appointment,
    Claim,
    ClaimLine,
    DepositCount,
    LedgerEntry,
    Patient,
    PaymentPlan,
    Receipt,
    Remittance,
    Shift,
    Statement,
    StatementRun,
)
from .registration import primary_coverage
from .services import OfficeActionError, _require_open, action_log_write

MAX_PLAN_START_DAYS = 31


def _sentence(exc: Exception) -> list[str]:
    texts = [str(a) for a in exc.args] or [str(exc)]
    return [f"{t[:1].upper()}{t[1:]}{'' if t.endswith('.') else '.'}" for t in texts]


def _in_shift(shift: Shift, row) -> None:
    """A row handed in from outside must belong to this shift (a tampered id changes nothing)."""
    if row.shift_id != shift.pk:
        raise OfficeActionError("That record is not in this office.")


# ---- copays and desk payments (R6, P3) -------------------------------------------------------------


def checkin_copay(*, shift: Shift, appointment: Appointment) -> Decimal:
    """The copay due at check-in for this visit, from the patient's plan."""
    return copay_due(plan_rules(rules=shift.office, patient=appointment.patient), type_key=appointment.type_key)


def _receipt_post(*, shift: Shift, patient: Patient, appointment: Appointment | None, data: dict) -> Receipt:
    try:
        paid = desk_payment(
            amount=data.get("amount", ""), method=data.get("method", ""),
            check_number=data.get("check_number", ""), card_last4=data.get("card_last4", ""),
        )  # fmt: skip
    except DeskPaymentError as exc:
        raise OfficeActionError(*exc.args) from exc
    number = f"R-{Receipt.objects.for_shift(shift).count() + 1:04d}"
    today = shift.now.date()
    ledger = ledger_load(shift=shift, patient=patient)
    entry = ledger.post(
        dl.Payment(
            entry_id=f"{number}-{shift.pk}",
            posted_on=today,
            amount=paid.amount,
            payer=dl.Party.PATIENT,
            method=paid.method,
            reference=f"{number} {paid.detail}".strip(),
        )  # fmt: skip
    )
    row = entry_row(entry, shift=shift, patient=patient)
    row.save()
    return Receipt.objects.create(
        shift=shift, patient=patient, entry=row, appointment=appointment, number=number, amount=paid.amount,
        method=paid.method.value, detail=paid.detail, taken_on=today, taken_at=shift.now,
    )  # fmt: skip


@transaction.atomic
def copay_collect(*, shift: Shift, appointment: Appointment, data: dict) -> Receipt:
    """Take the copay of an arrived patient at check-in and post it to their account with a receipt.
    `data`: amount, method (cash | check | card), check_number, card_last4."""
    shift = _require_open(shift)
    _in_shift(shift, appointment)
    if appointment.status != Appointment.Status.ARRIVED:
        raise OfficeActionError("Mark the patient arrived first: a copay is collected at check-in.")
    if Receipt.objects.for_shift(shift).filter(appointment=appointment).exists():
        raise OfficeActionError("The copay for this visit was already collected; see the receipt on the account.")
    due = checkin_copay(shift=shift, appointment=appointment)
    if due == 0:
        raise OfficeActionError(
            "No copay is due for this visit (self-pay, or a preventive visit with no cost sharing)."
        )
    receipt = _receipt_post(shift=shift, patient=appointment.patient, appointment=appointment, data=data)
    action_log_write(
        shift=shift, kind="copay_collected", target=f"receipt:{receipt.pk}", patient_key=appointment.patient.key,
        after={"appointment": appointment.pk, "due": str(due), "amount": str(receipt.amount),
               "method": receipt.method, "receipt": receipt.number},
    )  # fmt: skip
    return receipt


@transaction.atomic
def patient_payment_post(*, shift: Shift, patient: Patient, data: dict) -> Receipt:
    """A payment the patient makes on their account at the desk or by mail (cash, check, card)."""
    shift = _require_open(shift)
    _in_shift(shift, patient)
    receipt = _receipt_post(shift=shift, patient=patient, appointment=None, data=data)
    action_log_write(
        shift=shift, kind="patient_payment_posted", target=f"receipt:{receipt.pk}", patient_key=patient.key,
        after={"amount": str(receipt.amount), "method": receipt.method, "receipt": receipt.number},
    )  # fmt: skip
    return receipt


# ---- refunds (P7) ---------------------------------------------------------------------------------


@transaction.atomic
def credit_refund(*, shift: Shift, patient: Patient, party: str, amount: str, check_number: str) -> LedgerEntry:
    """Refund a credit balance by practice check to the party that overpaid (the payer or the patient),
    never more than that party's credit (billing.ledger refuses it)."""
    shift = _require_open(shift)
    _in_shift(shift, patient)
    problems = []
    if party not in (dl.Party.INSURANCE, dl.Party.PATIENT):
        problems.append("Choose who is refunded: the insurance or the patient.")
    if not str(check_number).strip().isdigit() or len(str(check_number).strip()) > 10:
        problems.append("Enter the number of the practice's refund check (digits only).")
    try:
        value = positive_money(str(amount).strip().lstrip("$"), what="The refund")
    except MoneyError as exc:
        problems.extend(_sentence(exc))
        value = None
    if problems:
        raise OfficeActionError(*problems)
    ledger = ledger_load(shift=shift, patient=patient)
    number = LedgerEntry.objects.for_shift(shift).filter(patient=patient, kind=LedgerEntry.Kind.REFUND).count() + 1
    try:
        entry = ledger.post(
            dl.Refund(
                entry_id=f"RF{patient.pk}-{number}",
                posted_on=shift.now.date(),
                amount=value,
                to=dl.Party(party),
                method=dl.PaymentMethod.CHECK,
                reference=f"check {check_number.strip()}",
            )  # fmt: skip
        )
    except dl.LedgerError as exc:
        credits = ledger.credit_balance()
        held = ", ".join(f"the {p} {c}" for p, c in credits.items()) or "nobody"
        raise OfficeActionError(*_sentence(exc), f"Credit on this account: {held}.") from exc
    row = entry_row(entry, shift=shift, patient=patient)
    row.save()
    action_log_write(
        shift=shift, kind="refund_issued", target=f"ledger_entry:{row.pk}", patient_key=patient.key,
        after={"to": party, "amount": str(value), "check": check_number.strip()},
    )  # fmt: skip
    return row


# ---- payment plans (P8) ---------------------------------------------------------------------------


@transaction.atomic
def payment_plan_create(*, shift: Shift, patient: Patient, count, first_due) -> PaymentPlan:
    """Set up monthly instalments for the patient's whole balance; they sum to it to the cent."""
    shift = _require_open(shift)
    _in_shift(shift, patient)
    today = shift.now.date()
    try:
        count = int(str(count).strip())
    except ValueError:
        raise OfficeActionError("Enter the number of monthly instalments (a whole number).") from None
    if not isinstance(first_due, date):
        try:
            first_due = date.fromisoformat(str(first_due).strip())
        except ValueError:
            raise OfficeActionError("Enter the first due date (YYYY-MM-DD).") from None
    if not today < first_due <= date.fromordinal(today.toordinal() + MAX_PLAN_START_DAYS):
        raise OfficeActionError(f"The first instalment falls due after today and within {MAX_PLAN_START_DAYS} days.")
    if PaymentPlan.objects.for_shift(shift).filter(patient=patient).exists():
        raise OfficeActionError("This patient already has a payment plan.")
    ledger = ledger_load(shift=shift, patient=patient)
    if ledger.has_pending_insurance():
        raise OfficeActionError("The insurance has not paid yet: set up a plan once the patient's share is known.")
    balance = ledger.patient_balance()
    if balance <= 0:
        raise OfficeActionError("The patient owes nothing: there is no balance to spread.")
    try:
        schedule = instalment_schedule(balance=balance, count=count, first_due=first_due)
    except PlanError as exc:
        raise OfficeActionError(*_sentence(exc)) from exc
    plan = PaymentPlan.objects.create(
        shift=shift, patient=patient, balance=balance, count=count, first_due=first_due, created_at=shift.now,
        schedule=[{"number": i.number, "due_on": i.due_on.isoformat(), "amount": str(i.amount)} for i in schedule],
    )  # fmt: skip
    action_log_write(
        shift=shift, kind="payment_plan_created", target=f"payment_plan:{plan.pk}", patient_key=patient.key,
        after={"balance": str(balance), "count": count, "schedule": plan.schedule},
    )  # fmt: skip
    return plan


# ---- statements (P6) ------------------------------------------------------------------------------


def _aging_json(aging) -> dict:
    return {"0-30": str(aging.days_0_30), "31-60": str(aging.days_31_60), "61-90": str(aging.days_61_90),
            "90+": str(aging.over_90)}  # fmt: skip


@transaction.atomic
def statement_run_create(*, shift: Shift, patient_ids: list[int]) -> StatementRun:
    """Send statements to the chosen accounts, as of the office's today. An account the patient owes
    nothing on is refused; which accounts *should* get one (no insurance pending) is the trainee's call."""
    shift = _require_open(shift)
    ids = sorted({int(i) for i in patient_ids if str(i).isdigit()})
    if not ids:
        raise OfficeActionError("Choose at least one account to send a statement to.")
    patients = {p.pk: p for p in Patient.objects.for_shift(shift).filter(pk__in=ids)}
    if len(patients) != len(ids):
        raise OfficeActionError("That record is not in this office.")
    today = shift.now.date()
    if StatementRun.objects.for_shift(shift).filter(as_of=today).exists():
        raise OfficeActionError("Statements already went out today; the next run is next cycle.")
    by_patient: dict[int, list] = defaultdict(list)
    for row in LedgerEntry.objects.for_shift(shift).filter(patient_id__in=ids).order_by("pk"):
        by_patient[row.patient_id].append(entry_domain(row))
    built = {}
    problems = []
    for pk, p in sorted(patients.items(), key=lambda item: item[1].last_name):
        data = statement_build(dl.Ledger(by_patient[pk]), as_of=today)
        if data.amount_due <= 0:
            problems.append(f"{p.full_name} owes nothing: no statement.")
        built[pk] = data
    if problems:
        raise OfficeActionError(*problems)
    run = StatementRun.objects.create(shift=shift, as_of=today, created_at=shift.now)
    Statement.objects.bulk_create(
        Statement(
            shift=shift,
            run=run,
            patient=patients[pk],
            amount_due=data.amount_due,
            aging=_aging_json(data.aging),
            data={
                "items": [
                    {
                        "on": i.on.isoformat(),
                        "description": i.description,
                        "amount": str(i.amount),
                        "patient_side": i.patient_side,
                    }
                    for i in data.items
                ],
                "notes": list(data.notes),
            },
        )  # fmt: skip
        for pk, data in built.items()
    )
    ids = list(Statement.objects.for_shift(shift).filter(run=run).values_list("pk", flat=True))
    transaction.on_commit(lambda: _statements_render_enqueue(ids))
    action_log_write(
        shift=shift, kind="statements_sent", target=f"statement_run:{run.pk}",
        after={"as_of": today.isoformat(), "patients": sorted(patients[pk].key for pk in built)},
    )  # fmt: skip
    return run


def _statements_render_enqueue(statement_ids: list[int]) -> None:
    from .accounts_tasks import statement_render_task

    for statement_id in statement_ids:
        statement_render_task.enqueue(statement_id=statement_id)


def statement_pdf_store(*, statement: Statement, content: bytes) -> Statement:
    """Keep the rendered PDF under an unguessable name. The first render to finish wins; a later
    duplicate file is deleted (the task may run twice)."""
    name = default_storage.save(
        f"statements/{statement.shift_id}/{statement.pk}-{secrets.token_hex(8)}.pdf", ContentFile(content)
    )
    if not Statement.objects.filter(pk=statement.pk, pdf="").update(pdf=name):
        default_storage.delete(name)
    statement.refresh_from_db(fields=["pdf"])
    return statement


# ---- the daily close (P3) -------------------------------------------------------------------------


def day_entries(*, shift: Shift, day: date) -> list[dl.Entry]:
    return [entry_domain(r) for r in LedgerEntry.objects.for_shift(shift).filter(posted_on=day).order_by("pk")]


@transaction.atomic
def deposit_count_record(*, shift: Shift, counts: dict[str, str], note: str = "") -> DepositCount:
    """Record the count of today's deposit by method and reconcile it with the day sheet, to the cent."""
    shift = _require_open(shift)
    try:
        counted = parse_counts(counts)
    except CountError as exc:
        raise OfficeActionError(*exc.args) from exc
    today = shift.now.date()
    result = deposit_reconcile(day_sheet(day_entries(shift=shift, day=today), day=today), counted)
    row = DepositCount.objects.create(
        shift=shift, day=today, balanced=result.balanced, note=str(note).strip()[:300], created_at=shift.now,
        counted={ln.method.value: str(ln.counted) for ln in result.lines},
        expected={ln.method.value: str(ln.expected) for ln in result.lines},
    )  # fmt: skip
    action_log_write(
        shift=shift, kind="deposit_counted", target=f"deposit_count:{row.pk}",
        after={"day": today.isoformat(), "counted": row.counted, "balanced": row.balanced,
               "mismatches": [ln.method.value for ln in result.lines if not ln.matches]},
    )  # fmt: skip
    return row


# ---- the ERA posting worksheet (P1) ---------------------------------------------------------------


@transaction.atomic
def era_worksheet_post(*, shift: Shift, remittance: Remittance, lines: dict[str, dict[str, str]]) -> list[LedgerEntry]:
    """Post the remittance as typed on the worksheet: per line the payment, the write-off and the amount
    moved to the patient. Every line must balance; all or nothing."""
    shift = _require_open(shift)
    _in_shift(shift, remittance)
    remittance = Remittance.objects.select_for_update().select_related("claim__patient").get(pk=remittance.pk)
    if remittance.posted:
        raise OfficeActionError("This remittance is already posted; posting it twice would pay the claim twice.")
    domain = remittance_domain(remittance.data)
    try:
        entries = worksheet_entries(domain, worksheet_parse(lines, domain))
        ledger = ledger_load(shift=shift, patient=remittance.claim.patient)
        for entry in entries:
            ledger.post(entry)
    except (WorksheetError, dl.LedgerError, MoneyError) as exc:
        raise OfficeActionError(*_sentence(exc)) from exc
    patient = remittance.claim.patient
    rows = LedgerEntry.objects.bulk_create(
        [entry_row(e, shift=shift, patient=patient, claim_number=remittance.claim.number) for e in entries]
    )
    remittance.posted = True
    remittance.save(update_fields=["posted"])
    action_log_write(
        shift=shift, kind="era_posted", target=f"remittance:{remittance.pk}", patient_key=patient.key,
        after={"claim": remittance.claim.number,
               "lines": {k: {f: str(v.get(f, "")) for f in ("paid", "write_off", "patient")} for k, v in lines.items()}},
    )  # fmt: skip
    return rows


# ---- scenario setup: seeded accounts and remittances ----------------------------------------------


def _seed_entry(shift: Shift, patient: Patient, item: dict) -> dl.Entry:
    prefix = f"S-{patient.key}-"
    on = date.fromisoformat(str(item["date"]))
    common = {"entry_id": prefix + str(item["id"]), "posted_on": on, "amount": money(str(item["amount"]))}
    charge = {"charge_id": prefix + str(item["charge"]) if item.get("charge") else None,
              "reference": str(item.get("reference", "seeded"))}  # fmt: skip
    kind = item["kind"]
    if kind == "charge":
        return dl.Charge(**common, service_date=date.fromisoformat(str(item.get("service_date", on))),
                         code=str(item["code"]), units=int(item.get("units", 1)),
                         responsibility=dl.Party(item.get("party", "insurance")))  # fmt: skip
    if kind == "payment":
        return dl.Payment(**common, payer=dl.Party(item["party"]), method=dl.PaymentMethod(item["method"]), **charge)
    if kind == "adjustment":
        return dl.Adjustment(**common, group=GroupCode(item["group"]), carc=str(item["carc"]), **charge)
    if kind == "transfer":
        return dl.TransferToPatient(**common, group=GroupCode(item["group"]), carc=str(item["carc"]), **charge)
    raise ValueError(f"unknown seeded ledger entry kind {kind!r}")


def accounts_setup(*, shift: Shift, by_key: dict[str, Patient]) -> None:
    """Build the scenario's `ledger:` (seeded account history) and `era:` (a sent claim and the payer's
    remittance, to be posted by hand) setup kinds; see content/FORMAT.md."""
    setup = shift.variant["setup"]
    rows: list[LedgerEntry] = []
    for account in setup.get("ledger") or []:
        patient = by_key[account["patient"]]
        ledger = dl.Ledger()
        for item in account["entries"]:
            rows.append(entry_row(ledger.post(_seed_entry(shift, patient, item)), shift=shift, patient=patient))
    LedgerEntry.objects.bulk_create(rows)
    for era in setup.get("era") or []:
        _era_seed(shift, by_key[era["patient"]], era)


def _era_seed(shift: Shift, patient: Patient, era: dict) -> None:
    service_date = date.fromisoformat(str(era["service_date"]))
    paid_on = date.fromisoformat(str(era["paid_on"]))
    visit = Appointment.objects.create(
        shift=shift, key=f"era-{era['claim']}", patient=patient, provider_key=era.get("provider", "okafor"),
        type_key="follow-up", date=service_date, start=time(9, 0), minutes=15, status=Appointment.Status.ARRIVED,
    )  # fmt: skip
    coverage = primary_coverage(patient)  # the seeded ERA answers a claim billed to the primary plan
    claim = Claim.objects.create(
        shift=shift, patient=patient, appointment=visit, number=str(era["claim"]), status=Claim.Status.ADJUDICATED,
        payer_key=coverage.payer_key, member_id=coverage.member_id, group_number=coverage.group_number,
        relationship=coverage.relationship, diagnoses=list(era.get("diagnoses") or ["Z00.00"]),
        service_date=service_date, scrub_at_submission=[],
        created_at=datetime.combine(service_date, time(17, 0), tzinfo=shift.clock_start.tzinfo),
    )  # fmt: skip
    ledger, remit_lines, entries = dl.Ledger(), [], []
    for position, line in enumerate(era["lines"], start=1):
        line_id = f"{claim.number}-{position}"
        charge, paid = money(str(line["charge"])), money(str(line["paid"]))
        cas = tuple(Cas(GroupCode(a["group"]), str(a["carc"]), money(str(a["amount"]))) for a in line["adjustments"])
        pr = sum((c.amount for c in cas if c.group is GroupCode.PR), Decimal("0.00"))
        ClaimLine.objects.create(shift=shift, claim=claim, line_id=line_id, position=position, code=line["code"],
                                 units=int(line.get("units", 1)), pointers=["A"], charge=charge)  # fmt: skip
        entries.append(ledger.post(dl.Charge(entry_id=line_id, posted_on=service_date, amount=charge,
                                             service_date=service_date, code=line["code"],
                                             units=int(line.get("units", 1)), claim_id=claim.number)))  # fmt: skip
        remit_lines.append(RemitLine(line_id=line_id, service_date=service_date, code=line["code"], charge=charge,
                                     paid=paid, allowed=paid + pr, adjustments=cas,
                                     units=int(line.get("units", 1))))  # fmt: skip
    payer = shift.office["payers"][coverage.payer_key]
    remit = DomainRemittance(
        payer_id=payer["plan"]["payer_id"], payer_name=payer["name"], payee_name=shift.office["practice"]["name"],
        payee_npi=str(shift.office["practice"]["billing"]["npi"]), trace_number=str(era["trace"]), paid_on=paid_on,
        claims=(RemitClaim(claim_id=claim.number, payer_claim_number=f"P{era['trace']}", status=ClaimStatus.PRIMARY,
                           member_id=coverage.member_id, patient_last_name=patient.last_name,
                           patient_first_name=patient.first_name, lines=tuple(remit_lines)),),
    )  # fmt: skip
    errors = remit.balancing_errors()
    if errors:
        raise ValueError(f"seeded ERA {era['claim']} does not balance: {'; '.join(errors)}")
    LedgerEntry.objects.bulk_create([entry_row(e, shift=shift, patient=patient) for e in entries])
    Remittance.objects.create(shift=shift, claim=claim, trace_number=remit.trace_number, paid_on=paid_on,
                              data={**remittance_json(remit), "posting": "manual"})  # fmt: skip
